// Request ids: the client's X-Request-Id when it is short and plain, else a new
// process-unique one (random prefix + counter).
#pragma once

#include "http/message.hpp"

#include <string>

namespace cubeauth::http::detail {

std::string request_id_for(const Request& request);

}  // namespace cubeauth::http::detail
