#include "http/message.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace cubeauth::http {

Response json_response(Status status, const boost::json::value& body) {
  Response response{status, 11};
  response.set(beast_http::field::content_type, "application/json; charset=utf-8");
  response.body() = boost::json::serialize(body);
  return response;
}

Response error_response(Status status, std::string_view message) {
  boost::json::object body;
  body["error"] = beast_http::obsolete_reason(status);
  body["message"] = message;
  return json_response(status, body);
}

Response text_response(Status status, std::string_view body) {
  Response response{status, 11};
  response.set(beast_http::field::content_type, "text/plain; charset=utf-8");
  response.body() = body;
  return response;
}

}  // namespace cubeauth::http
