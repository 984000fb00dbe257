// CORS as the old server had it (CONTRACT section 2): every origin is echoed,
// credentials are allowed, preflight requests are answered for every path.
#pragma once

#include "http/message.hpp"

#include <optional>

namespace cubeauth::http {

/// The methods a preflight answer allows (those of the old server's CORS setup).
inline constexpr std::string_view kCorsAllowedMethods = "GET,HEAD,PUT,PATCH,POST,DELETE";

/// Adds the CORS headers for `request` to `response` (only when it has an Origin).
void apply_cors(const Request& request, Response& response);

/// The answer to a preflight request, or nullopt when `request` is not one.
std::optional<Response> preflight_response(const Request& request);

}  // namespace cubeauth::http
