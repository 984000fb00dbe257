#include "http/cors.hpp"

namespace cubeauth::http {

void apply_cors(const Request& request, Response& response) {
  const auto origin = request.find(beast_http::field::origin);
  if (origin == request.end()) {
    return;
  }
  response.set(beast_http::field::access_control_allow_origin, origin->value());
  response.set(beast_http::field::access_control_allow_credentials, "true");
  response.set(beast_http::field::vary, "Origin");
}

std::optional<Response> preflight_response(const Request& request) {
  if (request.method() != Verb::options ||
      request.find(beast_http::field::access_control_request_method) == request.end()) {
    return std::nullopt;
  }
  Response response{Status::no_content, request.version()};
  apply_cors(request, response);
  response.set(beast_http::field::access_control_allow_methods, kCorsAllowedMethods);
  // Like the old server: the requested headers are allowed back.
  const auto requested = request.find(beast_http::field::access_control_request_headers);
  if (requested != request.end()) {
    response.set(beast_http::field::access_control_allow_headers, requested->value());
    response.insert(beast_http::field::vary, "Access-Control-Request-Headers");
  }
  response.content_length(0);
  return response;
}

}  // namespace cubeauth::http
