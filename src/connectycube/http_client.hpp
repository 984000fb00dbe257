// Outbound HTTP/1.1 for the ConnectyCube client (and the emulator's identity-provider
// calls): keep-alive pool per io_context, TLS verified against the system store,
// connect and response timeouts, bounded retries with jitter, a body limit.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "connectycube/error.hpp"

namespace cubeauth::connectycube {

/// Where requests go: scheme, host, port and a base path (no trailing slash).
struct Endpoint {
  bool tls = true;
  std::string host;
  std::string port;
  std::string base_path;  ///< "" or "/prefix"
  std::string query;      ///< the URL's query string without '?', if it had one
};

/// Parses "https://api.connectycube.com" or "http://127.0.0.1:8080/prefix?a=b".
Result<Endpoint, std::string> parse_endpoint(std::string_view url);

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{5000};    ///< resolve + connect + TLS handshake
  std::chrono::milliseconds response_timeout{10000};  ///< write the request, read the whole answer
  int max_retries = 2;                                ///< extra attempts for retry-safe requests
  std::chrono::milliseconds retry_backoff{100};       ///< base of the jittered exponential backoff
  std::size_t max_response_bytes = 1 << 20;           ///< body limit; larger answers are refused
  std::size_t pool_size_per_host = 16;  ///< idle keep-alive connections kept per io_context
  std::chrono::milliseconds idle_timeout{4000};  ///< idle connections older than this are closed
  /// Extra trusted CA certificates (PEM file) beside the system store: a private CA, or a
  /// test's own. Empty: the system store only.
  std::string ca_file{};
};

struct OutgoingRequest {
  std::string method;  ///< "GET", "POST", "DELETE", ...
  std::string target;  ///< path and query, e.g. "/session.json"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// True when sending it twice does no harm. Only such requests are retried after a
  /// timeout, a broken connection or a 5xx/429; others are retried only when a reused
  /// keep-alive connection failed before the request was written at all.
  bool retry_safe = false;
};

struct IncomingResponse {
  int status = 0;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends `request` to `endpoint` from the calling coroutine's executor. Any HTTP answer
  /// is a value (a 4xx too); failures are kUnavailable (network, timeout, 5xx after the
  /// last retry is returned as a response) or kInvalidResponse (not HTTP, too large).
  boost::asio::awaitable<Result<IncomingResponse, Error>> send(const Endpoint& endpoint,
                                                               OutgoingRequest request);

  const HttpClientOptions& options() const { return options_; }

  struct Tls;  ///< the TLS context, loaded on first use (defined in http_client.cpp)

 private:
  HttpClientOptions options_;
  std::unique_ptr<Tls> tls_;
};

}  // namespace cubeauth::connectycube
