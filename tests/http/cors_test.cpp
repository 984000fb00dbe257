#include "http/cors.hpp"

#include <gtest/gtest.h>

namespace cubeauth::http {
namespace {

TEST(Cors, EchoesTheOriginWithCredentials) {
  Request request{Verb::post, "/api", 11};
  request.set(beast_http::field::origin, "https://app.example.org");
  Response response = text_response(Status::ok, "x");
  apply_cors(request, response);
  EXPECT_EQ(response[beast_http::field::access_control_allow_origin], "https://app.example.org");
  EXPECT_EQ(response[beast_http::field::access_control_allow_credentials], "true");
}

TEST(Cors, AddsNothingWithoutAnOrigin) {
  Request request{Verb::get, "/", 11};
  Response response = text_response(Status::ok, "x");
  apply_cors(request, response);
  EXPECT_EQ(response.find(beast_http::field::access_control_allow_origin), response.end());
}

TEST(Cors, AnswersAPreflightWithMethodsAndRequestedHeaders) {
  Request request{Verb::options, "/api", 11};
  request.set(beast_http::field::origin, "http://localhost:8080");
  request.set(beast_http::field::access_control_request_method, "POST");
  request.set(beast_http::field::access_control_request_headers, "content-type,authorization");
  const auto response = preflight_response(request);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result(), Status::no_content);
  EXPECT_EQ((*response)[beast_http::field::access_control_allow_methods], kCorsAllowedMethods);
  EXPECT_EQ((*response)[beast_http::field::access_control_allow_headers], "content-type,authorization");
  EXPECT_EQ((*response)[beast_http::field::access_control_allow_origin], "http://localhost:8080");
}

TEST(Cors, PlainOptionsIsNotAPreflight) {
  Request request{Verb::options, "/api", 11};
  EXPECT_FALSE(preflight_response(request).has_value());
}

}  // namespace
}  // namespace cubeauth::http
