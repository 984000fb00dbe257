#include "http/detail/response_head.hpp"

#include <gtest/gtest.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/write.hpp>

#include <sstream>

namespace cubeauth::http::detail {
namespace {

/// What beast::http::serializer writes for the same message: head and body.
std::string beast_bytes(const Response& response) {
  std::ostringstream out;
  out << response;
  return out.str();
}

Response sample(Status status, unsigned version) {
  Response response{status, version};
  response.set(beast_http::field::content_type, "application/json; charset=utf-8");
  response.set("X-Request-Id", "0123456789abcdef");
  response.set(beast_http::field::date, "Fri, 27 Nov 2026 07:00:00 GMT");
  response.insert(beast_http::field::vary, "Origin");
  response.insert(beast_http::field::vary, "Access-Control-Request-Headers");
  response.body() = R"({"data":{"hello":"Hello from API!"}})";
  response.keep_alive(version == 11);
  response.prepare_payload();
  return response;
}

TEST(ResponseHead, WritesTheSameBytesAsBeastsSerializerBeforeTheBody) {
  for (const unsigned version : {10u, 11u}) {
    for (const Status status : {Status::ok, Status::unauthorized, Status::method_not_allowed,
                                Status::internal_server_error, Status::service_unavailable}) {
      const Response response = sample(status, version);
      std::string head = "left over from the previous request";
      write_response_head(response, head);
      EXPECT_EQ(head + response.body(), beast_bytes(response)) << "version " << version << ", status "
                                                               << response.result_int();
    }
  }
}

TEST(ResponseHead, EndsWithAnEmptyLineAndParsesBackToTheSameFields) {
  Response response = sample(Status::ok, 11);
  response.set(beast_http::field::access_control_allow_credentials, "true");
  std::string head;
  write_response_head(response, head);
  ASSERT_TRUE(head.ends_with("\r\n\r\n"));

  beast_http::response_parser<beast_http::string_body> parser;
  boost::beast::error_code ec;
  const std::string wire = head + response.body();
  parser.eager(true);
  std::size_t used = 0;
  while (!ec && !parser.is_done() && used < wire.size()) {
    used += parser.put(boost::asio::buffer(wire.data() + used, wire.size() - used), ec);
  }
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(used, wire.size());
  ASSERT_TRUE(parser.is_done());
  const auto& parsed = parser.get();
  EXPECT_EQ(parsed.result(), Status::ok);
  EXPECT_EQ(parsed.body(), response.body());
  EXPECT_EQ(parsed[beast_http::field::access_control_allow_credentials], "true");
  EXPECT_EQ(parsed["X-Request-Id"], "0123456789abcdef");
}

TEST(ResponseHead, KeepsAReasonPhraseTheHandlerChose) {
  Response response{Status::ok, 11};
  response.reason("Fine");
  response.content_length(0);
  std::string head;
  write_response_head(response, head);
  EXPECT_TRUE(head.starts_with("HTTP/1.1 200 Fine\r\n")) << head;
}

}  // namespace
}  // namespace cubeauth::http::detail
