// The request and response types every handler sees, and the JSON helpers that
// build cubeauth's responses (error bodies are always {"error", "message"}).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/fwd.hpp>

#include <string_view>

namespace cubeauth::http {

namespace beast_http = boost::beast::http;

using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;
using Status = beast_http::status;
using Verb = beast_http::verb;

/// A response whose body is `body` serialised as JSON.
Response json_response(Status status, const boost::json::value& body);

/// A response with body {"error": <reason phrase>, "message": message}.
Response error_response(Status status, std::string_view message);

/// A text/plain response.
Response text_response(Status status, std::string_view body);

}  // namespace cubeauth::http
