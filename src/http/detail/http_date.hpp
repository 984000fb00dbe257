// The Date header value (RFC 9110 IMF-fixdate), formatted once per second per thread.
#pragma once

#include <string_view>

namespace cubeauth::http::detail {

std::string_view http_date_now();

}  // namespace cubeauth::http::detail
