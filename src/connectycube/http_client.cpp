#include "connectycube/http_client.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <mutex>
#include <optional>
#include <random>

#include "connectycube/detail/connection_pool.hpp"

namespace cubeauth::connectycube {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

/// How one attempt ended when it produced no usable HTTP answer.
struct AttemptFailure {
  Error error;
  bool nothing_written = false;  ///< the request never left: always safe to send again
  bool reused = false;           ///< it ran on a pooled keep-alive connection
  bool no_answer = false;        ///< the peer closed before sending a single byte
};

std::chrono::milliseconds jittered_backoff(std::chrono::milliseconds base, int attempt) {
  thread_local std::mt19937 random{std::random_device{}()};
  const auto ceiling = base.count() << std::min(attempt, 6);
  std::uniform_int_distribution<long long> pick(ceiling / 2, std::max<long long>(ceiling, 1));
  return std::chrono::milliseconds(pick(random));  // "equal jitter": half fixed, half random
}

bool is_ip_literal(const std::string& host) {
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

std::string describe(const beast::error_code& ec) {
  return ec == beast::error::timeout ? std::string("timed out") : ec.message();
}

}  // namespace

/// Loading the system trust store costs ~100 ms, so it happens on the first https call.
struct HttpClient::Tls {
  explicit Tls(std::string ca_file) : ca_file(std::move(ca_file)) {}

  std::string ca_file;
  std::once_flag loaded;
  std::optional<asio::ssl::context> context;
  std::string load_error;  ///< why ca_file could not be used, if it could not

  asio::ssl::context& get() {
    std::call_once(loaded, [this] {
      context.emplace(asio::ssl::context::tls_client);
      beast::error_code ec;
      context->set_default_verify_paths(ec);
      context->set_verify_mode(asio::ssl::verify_peer, ec);
      if (!ca_file.empty()) {
        context->load_verify_file(ca_file, ec);
        if (ec) {
          load_error = "cannot load CA file " + ca_file + ": " + ec.message();
        }
      }
    });
    return *context;
  }
};

Result<Endpoint, std::string> parse_endpoint(std::string_view url) {
  // Explicit size: Boost 1.81 converts a std::string_view through `const char*` (strlen).
  auto parsed = boost::urls::parse_uri(boost::core::string_view(url.data(), url.size()));
  if (!parsed) {
    return unexpected("'" + std::string(url) + "' is not a URL");
  }
  Endpoint endpoint;
  const std::string scheme = parsed->scheme();
  if (scheme == "https") {
    endpoint.tls = true;
  } else if (scheme == "http") {
    endpoint.tls = false;
  } else {
    return unexpected("'" + std::string(url) + "' is neither http nor https");
  }
  endpoint.host = parsed->encoded_host();
  if (endpoint.host.empty()) {
    return unexpected("'" + std::string(url) + "' has no host");
  }
  if (endpoint.host.front() == '[' && endpoint.host.back() == ']') {
    endpoint.host = endpoint.host.substr(1, endpoint.host.size() - 2);
  }
  endpoint.port = parsed->has_port() ? std::string(parsed->port()) : (endpoint.tls ? "443" : "80");
  endpoint.base_path = parsed->encoded_path();
  while (!endpoint.base_path.empty() && endpoint.base_path.back() == '/') {
    endpoint.base_path.pop_back();
  }
  if (parsed->has_query()) {
    endpoint.query = parsed->encoded_query();
  }
  return endpoint;
}

HttpClient::HttpClient(HttpClientOptions options)
    : options_(std::move(options)), tls_(std::make_unique<Tls>(options_.ca_file)) {}

HttpClient::~HttpClient() = default;

namespace {

/// Opens a new connection within `deadline`: resolve, connect, TLS handshake.
awaitable<Result<std::unique_ptr<detail::Connection>, AttemptFailure>> open_connection(
    const Endpoint& endpoint, HttpClient::Tls& tls,
    std::chrono::steady_clock::time_point deadline) {
  auto executor = co_await asio::this_coro::executor;
  auto fail = [](std::string message) {
    return unexpected(AttemptFailure{unavailable_error(std::move(message)), true, false});
  };

  tcp::resolver::results_type addresses;
  if (is_ip_literal(endpoint.host)) {
    const auto port = static_cast<unsigned short>(std::stoul(endpoint.port));
    addresses = tcp::resolver::results_type::create(
        tcp::endpoint(asio::ip::make_address(endpoint.host), port), endpoint.host, endpoint.port);
  } else {
    auto resolver = std::make_shared<tcp::resolver>(executor);
    asio::steady_timer timer(executor);
    timer.expires_at(deadline);
    timer.async_wait([resolver](const beast::error_code& ec) {
      if (!ec) {
        resolver->cancel();
      }
    });
    auto [ec, results] = co_await resolver->async_resolve(endpoint.host, endpoint.port, kNoThrow);
    timer.cancel();
    if (ec) {
      co_return fail(
          "cannot resolve " + endpoint.host + ": " +
          (ec == asio::error::operation_aborted ? std::string("timed out") : ec.message()));
    }
    addresses = std::move(results);
  }

  auto connection = std::make_unique<detail::Connection>();
  if (endpoint.tls) {
    asio::ssl::context& context = tls.get();
    if (!tls.load_error.empty()) {
      co_return fail(tls.load_error);
    }
    connection->secure = std::make_unique<asio::ssl::stream<beast::tcp_stream>>(executor, context);
  } else {
    connection->plain = std::make_unique<beast::tcp_stream>(executor);
  }
  beast::tcp_stream& stream = connection->tcp();
  stream.expires_at(deadline);
  auto [connect_ec, connected] = co_await stream.async_connect(addresses, kNoThrow);
  (void)connected;
  if (connect_ec) {
    co_return fail("cannot connect to " + endpoint.host + ":" + endpoint.port + ": " +
                   describe(connect_ec));
  }
  beast::error_code ignored;
  stream.socket().set_option(tcp::no_delay(true), ignored);

  if (endpoint.tls) {
    auto& secure = *connection->secure;
    if (!is_ip_literal(endpoint.host) &&
        !SSL_set_tlsext_host_name(secure.native_handle(), endpoint.host.c_str())) {
      co_return fail("cannot set the TLS server name for " + endpoint.host);
    }
    secure.set_verify_mode(asio::ssl::verify_peer);
    secure.set_verify_callback(asio::ssl::host_name_verification(endpoint.host));
    auto [handshake_ec] = co_await secure.async_handshake(asio::ssl::stream_base::client, kNoThrow);
    if (handshake_ec) {
      co_return fail("TLS handshake with " + endpoint.host + " failed: " + describe(handshake_ec));
    }
  }
  stream.expires_never();
  co_return connection;
}

template <class Stream>
awaitable<std::tuple<beast::error_code, bool>> write_and_read(
    Stream& stream, beast::flat_buffer& buffer, http::request<http::string_body>& request,
    http::response_parser<http::string_body>& parser) {
  auto [write_ec, written] = co_await http::async_write(stream, request, kNoThrow);
  if (write_ec) {
    co_return std::tuple{write_ec, written == 0};
  }
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kNoThrow);
  (void)read;
  co_return std::tuple{read_ec, false};
}

/// One request on one connection (pooled or new).
awaitable<Result<IncomingResponse, AttemptFailure>> attempt(const Endpoint& endpoint,
                                                            const OutgoingRequest& outgoing,
                                                            const HttpClientOptions& options,
                                                            HttpClient::Tls& tls) {
  auto executor = co_await asio::this_coro::executor;
  auto& context = asio::query(executor, asio::execution::context);
  const std::string key =
      (endpoint.tls ? "https://" : "http://") + endpoint.host + ":" + endpoint.port;

  std::unique_ptr<detail::Connection> connection;
  if (asio::has_service<detail::ConnectionPool>(context)) {
    connection = asio::use_service<detail::ConnectionPool>(context).take(key, options.idle_timeout);
  }
  if (!connection) {
    auto opened = co_await open_connection(
        endpoint, tls, std::chrono::steady_clock::now() + options.connect_timeout);
    if (!opened) {
      co_return unexpected(std::move(opened).error());
    }
    connection = std::move(*opened);
  }

  http::request<http::string_body> request;
  request.method_string(outgoing.method);
  request.target(outgoing.target);
  request.version(11);
  const bool default_port = endpoint.port == (endpoint.tls ? "443" : "80");
  request.set(http::field::host,
              default_port ? endpoint.host : endpoint.host + ":" + endpoint.port);
  for (const auto& [name, value] : outgoing.headers) {
    request.set(name, value);
  }
  request.body() = outgoing.body;
  request.prepare_payload();

  http::response_parser<http::string_body> parser;
  parser.body_limit(options.max_response_bytes);
  parser.header_limit(64 * 1024);
  connection->tcp().expires_after(options.response_timeout);
  auto [ec, nothing_written] =
      connection->secure
          ? co_await write_and_read(*connection->secure, connection->buffer, request, parser)
          : co_await write_and_read(*connection->plain, connection->buffer, request, parser);
  const bool reused = connection->reused;
  if (ec) {
    const std::string where = outgoing.method + " " + endpoint.host + ":" + endpoint.port;
    if (ec == http::error::body_limit) {
      co_return unexpected(AttemptFailure{
          invalid_response_error(
              where + ": the answer is larger than " + std::to_string(options.max_response_bytes) +
                  " bytes",
              parser.is_header_done() ? static_cast<int>(parser.get().result_int()) : 0),
          false, reused});
    }
    // A parse error means the peer spoke something else than HTTP; anything else (reset,
    // EOF, timeout, a truncated answer) means the exchange broke and may work again.
    const bool parse_error =
        ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message &&
        ec != http::error::short_read;
    const bool broken = !parse_error;
    if (broken) {
      const bool no_answer =
          ec == http::error::end_of_stream || ec == asio::error::connection_reset;
      co_return unexpected(AttemptFailure{unavailable_error(where + ": " + describe(ec)),
                                          nothing_written, reused, no_answer});
    }
    co_return unexpected(AttemptFailure{
        invalid_response_error(where + ": the answer is not valid HTTP (" + ec.message() + ")"),
        false, reused});
  }

  auto& response = parser.get();
  IncomingResponse incoming;
  incoming.status = static_cast<int>(response.result_int());  // 100-999: beast parses three digits
  incoming.content_type = std::string(response[http::field::content_type]);
  for (const auto& field : response) {
    incoming.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  const bool keep = parser.keep_alive() && connection->buffer.size() == 0;
  incoming.body = std::move(response.body());
  if (keep) {
    connection->tcp().expires_never();
    asio::use_service<detail::ConnectionPool>(context).give(key, std::move(connection),
                                                            options.pool_size_per_host);
  }
  co_return incoming;
}

}  // namespace

awaitable<Result<IncomingResponse, Error>> HttpClient::send(const Endpoint& endpoint,
                                                            OutgoingRequest request) {
  auto executor = co_await asio::this_coro::executor;
  bool stale_resent = false;
  for (int attempt_number = 0;;) {
    auto outcome = co_await attempt(endpoint, request, options_, *tls_);
    const bool last = attempt_number >= options_.max_retries;
    if (outcome) {
      const int status = outcome->status;
      const bool retry = request.retry_safe && !last && (status >= 500 || status == 429);
      if (!retry) {
        co_return std::move(*outcome);
      }
    } else {
      const AttemptFailure& failure = outcome.error();
      // A pooled connection the peer closed while it was idle: resend once at once, without
      // counting it as a retry; for any request when nothing was written, otherwise only
      // for retry-safe ones (the peer may have closed just as the request arrived).
      const bool stale = failure.reused && !stale_resent &&
                         (failure.nothing_written || (request.retry_safe && failure.no_answer));
      if (stale) {
        stale_resent = true;
        continue;
      }
      const bool retry =
          !last && request.retry_safe && failure.error.kind == ErrorKind::kUnavailable;
      if (!retry) {
        co_return unexpected(std::move(outcome).error().error);
      }
    }
    asio::steady_timer pause(executor, jittered_backoff(options_.retry_backoff, attempt_number));
    co_await pause.async_wait(kNoThrow);
    ++attempt_number;
  }
}

}  // namespace cubeauth::connectycube
