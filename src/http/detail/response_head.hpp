// The bytes of a response's status line and header fields, written into a caller's
// string: the server sends them and the body in one gathered write, which costs far
// less per request than beast::http::serializer's buffer views.
#pragma once

#include "http/message.hpp"

#include <string>

namespace cubeauth::http::detail {

/// Replaces `out` with "HTTP/1.x <code> <reason>\r\n", every field as "Name: value\r\n"
/// in the response's order, and the closing "\r\n". The body is not touched: the caller
/// has already set Content-Length (prepare_payload) and sends the body after these bytes.
void write_response_head(const Response& response, std::string& out);

}  // namespace cubeauth::http::detail
