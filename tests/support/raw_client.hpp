// A blocking loopback HTTP client for end-to-end tests: sends exact bytes (so a
// test can pipeline, lie or dawdle) and parses the responses that come back.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cubeauth::testing {

using TestResponse = boost::beast::http::response<boost::beast::http::string_body>;

class RawClient {
 public:
  /// Connects to 127.0.0.1:port; every read waits at most `timeout`.
  explicit RawClient(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  ~RawClient();

  void send(std::string_view bytes);
  /// The next response, or nullopt when the connection closed or timed out first.
  std::optional<TestResponse> read_response();
  /// Every byte until the server closes the connection (or the timeout).
  std::string read_until_closed();
  /// True when the server closed the connection (reads EOF) within the timeout.
  bool closed_by_peer();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// One request on a new connection: "GET /path" style helper.
std::optional<TestResponse> http_request(std::uint16_t port, std::string_view method,
                                         std::string_view target, std::string_view body = {},
                                         std::string_view extra_headers = {});

}  // namespace cubeauth::testing
