#include "http/server.hpp"

#include "common/logging.hpp"
#include "http/cors.hpp"
#include "http/detail/request_id.hpp"
#include "http/detail/http_date.hpp"
#include "http/detail/response_head.hpp"
#include "http/detail/websocket_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>
#include <array>
#include <list>
#include <thread>

namespace cubeauth::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using asio::awaitable;

// Every asynchronous call reports its error_code as a value instead of throwing.
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

/// What went wrong while reading a request, and what the client is told.
struct ReadFailure {
  Status status;       ///< unknown: close quietly (the peer left)
  const char* message;  ///< null: the connection is already closed, only log
};

ReadFailure classify_read_error(const beast::error_code& ec) {
  if (ec == beast::http::error::header_limit || ec == beast::http::error::buffer_overflow) {
    return {Status::request_header_fields_too_large,
            "The request headers are larger than this server accepts."};
  }
  if (ec == beast::http::error::body_limit) {
    return {Status::payload_too_large, "The request body is larger than this server accepts."};
  }
  if (ec == beast::error::timeout) {
    // beast::tcp_stream has already closed the socket: nothing can be answered.
    return {Status::request_timeout, nullptr};
  }
  if (ec == beast::http::error::end_of_stream || ec == beast::http::error::partial_message ||
      ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor) {
    return {Status::unknown, ""};
  }
  if (ec.category() == beast::http::make_error_code(beast::http::error::bad_target).category()) {
    return {Status::bad_request, "The request is not valid HTTP/1.1."};
  }
  return {Status::unknown, ""};
}

}  // namespace

/// One I/O thread: its io_context, its acceptor and the connections it serves.
class Server::Worker {
 public:
  struct Connection {
    beast::tcp_stream* stream = nullptr;
    bool idle = true;  ///< waiting for the first byte of a request
    WebSocket* websocket = nullptr;  ///< set once upgraded (a drain closes it with 1001)
  };

  explicit Worker(Server& server) : server_(server), io_(1), acceptor_(io_) {}

  Result<void, std::string> listen(const tcp::endpoint& endpoint) {
    beast::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) {
      acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    }
    if (!ec) {
      acceptor_.set_option(ReusePort(true), ec);
    }
    if (!ec) {
      acceptor_.bind(endpoint, ec);
    }
    if (!ec) {
      acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
      return unexpected("cannot listen on " + endpoint.address().to_string() + ":" +
                        std::to_string(endpoint.port()) + ": " + ec.message());
    }
    return {};
  }

  std::uint16_t local_port() const { return acceptor_.local_endpoint().port(); }
  asio::io_context& io() { return io_; }

  void start() { asio::co_spawn(io_, accept_loop(), asio::detached); }

  /// Runs on this worker's thread: stop accepting, close the idle connections.
  void begin_drain() {
    beast::error_code ignored;
    acceptor_.close(ignored);
    for (Connection* connection : connections_) {
      if (connection->websocket != nullptr) {
        connection->websocket->close(close_code::kGoingAway, "Going Away");
      } else if (connection->idle) {
        connection->stream->socket().close(ignored);
      }
    }
  }

 private:
  awaitable<void> accept_loop() {
    while (acceptor_.is_open()) {
      auto [ec, socket] = co_await acceptor_.async_accept(kNoThrow);
      if (ec) {
        if (!acceptor_.is_open() || ec == asio::error::operation_aborted) {
          break;
        }
        // Out of descriptors or similar: say so, back off, keep serving who is connected.
        log::warn("accept failed: {}", ec.message());
        asio::steady_timer pause(io_, std::chrono::milliseconds(100));
        co_await pause.async_wait(kNoThrow);
        continue;
      }
      if (server_.open_connections_.load() >= server_.options_.max_connections) {
        asio::co_spawn(io_, refuse(std::move(socket)), asio::detached);
        continue;
      }
      server_.open_connections_.fetch_add(1);
      asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
    }
  }

  /// Over the connection limit: a 503 and a close, without reading the request.
  awaitable<void> refuse(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    Response response = error_response(Status::service_unavailable,
                                       "The server has too many open connections; retry shortly.");
    response.keep_alive(false);
    response.set(beast_http::field::retry_after, "1");
    response.prepare_payload();
    stream.expires_after(std::chrono::seconds(1));
    co_await beast_http::async_write(stream, response, kNoThrow);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  awaitable<void> serve(tcp::socket socket);

  /// The WebSocket route a request asks to be upgraded on, or null (then it is an
  /// ordinary request for the path's HTTP routes).
  const WebSocketRoute* websocket_route_for(const Request& request) const {
    if (!beast::websocket::is_upgrade(request)) {
      return nullptr;
    }
    const std::string_view target = request.target();
    return server_.router_->match_websocket(target.substr(0, target.find('?')));
  }
  awaitable<Response> dispatch(const Request& request, std::string_view request_id,
                               const asio::ip::address& remote);

  Server& server_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::list<Connection*> connections_;
};

awaitable<void> Server::Worker::serve(tcp::socket socket) {
  const ServerOptions& options = server_.options_;
  beast::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  // Lets write_some below return at once when the send buffer is full (asynchronous
  // operations are not affected: Asio runs them non-blocking in any case).
  socket.non_blocking(true, ec);
  const auto remote = socket.remote_endpoint(ec).address();

  beast::tcp_stream stream(std::move(socket));
  Connection connection{&stream, true};
  const auto registration = connections_.insert(connections_.end(), &connection);
  beast::flat_buffer buffer;
  bool upgraded = false;
  std::string head_bytes;  // the response head, reused from one request to the next
  head_bytes.reserve(512);

  for (;;) {
    // Idle: wait for the first byte of the next request (keep-alive timeout).
    connection.idle = true;
    if (buffer.size() == 0) {
      if (server_.draining()) {
        break;
      }
      stream.expires_after(options.idle_timeout);
      auto [read_ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kNoThrow);
      if (read_ec) {
        break;
      }
      buffer.commit(n);
    }
    connection.idle = false;
    const auto started = std::chrono::steady_clock::now();

    // One parser per request, with the limits applied to each read.
    beast_http::request_parser<beast_http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    parser.body_limit(options.body_limit);
    stream.expires_after(options.header_timeout);
    auto [header_ec, header_bytes] = co_await beast_http::async_read_header(stream, buffer, parser, kNoThrow);
    (void)header_bytes;
    beast::error_code read_ec = header_ec;
    if (!read_ec && parser.get().count(beast_http::field::transfer_encoding) != 0 && !parser.chunked()) {
      // RFC 9112 6.3: a Transfer-Encoding whose last coding is not chunked leaves the
      // body's length unknown; reading it as empty would answer its bytes as another
      // request (smuggling). Refuse with 400 and close.
      read_ec = beast_http::error::bad_transfer_encoding;
    }
    if (!read_ec && !parser.is_done()) {
      const auto expect = parser.get()[beast_http::field::expect];
      if (beast::iequals(expect, "100-continue")) {
        beast_http::response<beast_http::empty_body> go_on{Status::continue_, 11};
        stream.expires_after(options.write_timeout);
        auto [write_ec, written] = co_await beast_http::async_write(stream, go_on, kNoThrow);
        (void)written;
        read_ec = write_ec;
      }
      if (!read_ec) {
        stream.expires_after(options.body_timeout);
        auto [body_ec, body_bytes] = co_await beast_http::async_read(stream, buffer, parser, kNoThrow);
        (void)body_bytes;
        read_ec = body_ec;
      }
    }
    if (read_ec) {
      const ReadFailure failure = classify_read_error(read_ec);
      if (failure.status != Status::unknown && failure.message == nullptr) {
        // The socket is already closed: nothing to answer, at most a log line.
        if (options.access_log) {
          log::info("- - {} closed {:.1f}ms ip={} (request not received in time)",
                    static_cast<unsigned>(failure.status),
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count(),
                    remote.to_string());
        }
      } else if (failure.status != Status::unknown) {
        Response response = error_response(failure.status, failure.message);
        response.keep_alive(false);
        response.set(beast_http::field::date, detail::http_date_now());
        response.prepare_payload();
        stream.expires_after(std::chrono::seconds(2));
        co_await beast_http::async_write(stream, response, kNoThrow);
        if (options.access_log) {
          log::info("- - {} {}B {:.1f}ms ip={} ({})", static_cast<unsigned>(failure.status),
                    response.body().size(),
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count(),
                    remote.to_string(), read_ec.message());
        }
      }
      break;
    }

    Request request = parser.release();
    const std::string request_id = detail::request_id_for(request);
    if (const WebSocketRoute* route = websocket_route_for(request)) {
      if (buffer.size() != 0 || server_.draining()) {
        // Bytes after the upgrade request (RFC 6455 4.1: a client waits for the answer), or
        // a shutdown under way: refused, and the connection closes.
        Response refused = buffer.size() != 0
                               ? error_response(Status::bad_request, "Data was sent before the WebSocket handshake ended.")
                               : error_response(Status::service_unavailable, "The server is shutting down.");
        refused.keep_alive(false);
        refused.set(beast_http::field::date, detail::http_date_now());
        refused.prepare_payload();
        stream.expires_after(std::chrono::seconds(2));
        co_await beast_http::async_write(stream, refused, kNoThrow);
        break;
      }
      const std::string_view target = request.target();
      const std::size_t question = target.find('?');
      RequestContext context(request, target.substr(0, question),
                             question == std::string_view::npos ? std::string_view{} : target.substr(question + 1),
                             request_id, remote);
      const detail::WebSocketLimits limits{options.websocket_message_limit, options.websocket_write_queue_limit,
                                           options.websocket_handshake_timeout, options.websocket_idle_timeout};
      upgraded = true;
      // The HTTP loop's buffers stay idle for the socket's lifetime: give their memory back
      // (it adds up over thousands of idle subscribers).
      buffer = beast::flat_buffer();
      std::string().swap(head_bytes);
      co_await detail::serve_websocket(std::move(stream), request, context, *route, limits, server_.draining_,
                                       connection.websocket);
      if (options.access_log) {
        log::info("{} {} websocket {:.1f}ms ip={} id={}", request.method_string(), context.path(),
                  std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count(),
                  remote.to_string(), request_id);
      }
      break;
    }
    Response response = co_await dispatch(request, request_id, remote);

    const bool keep_alive = request.keep_alive() && !server_.draining();
    const bool head = request.method() == Verb::head;
    apply_cors(request, response);
    response.version(request.version());
    response.set("X-Request-Id", request_id);
    response.set(beast_http::field::date, detail::http_date_now());
    response.keep_alive(keep_alive);
    response.prepare_payload();
    const std::size_t body_bytes = response.body().size();
    if (head) {
      response.body().clear();  // Content-Length stays that of the GET answer
    }

    // Head and body in one gathered write (see detail/response_head.hpp).
    detail::write_response_head(response, head_bytes);
    std::array<asio::const_buffer, 2> wire{asio::buffer(head_bytes), asio::buffer(response.body())};
    // An answer nearly always fits the socket's send buffer: one non-blocking attempt
    // sends it without arming the write timer or suspending the coroutine. Whatever is
    // left (a large body, a slow reader) goes out asynchronously under the timeout.
    beast::error_code write_ec;
    const std::size_t sent_now = stream.socket().write_some(wire, write_ec);
    if (write_ec == asio::error::would_block || write_ec == asio::error::try_again) {
      write_ec = {};
    }
    if (!write_ec && sent_now < head_bytes.size() + response.body().size()) {
      const std::size_t head_sent = std::min(sent_now, head_bytes.size());
      wire[0] += head_sent;
      wire[1] += sent_now - head_sent;
      stream.expires_after(options.write_timeout);
      auto [rest_ec, rest] = co_await asio::async_write(stream, wire, kNoThrow);
      (void)rest;
      write_ec = rest_ec;
    }
    if (options.access_log) {
      const auto target = request.target();
      const auto path = target.substr(0, target.find('?'));  // query strings may hold tokens
      log::info("{} {} {} {}B {:.1f}ms ip={} id={}", request.method_string(), path,
                response.result_int(), body_bytes,
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count(),
                remote.to_string(), request_id);
    }
    if (write_ec || !keep_alive) {
      break;
    }
  }

  // The stream is moved from only on upgrade, and then closed by its WebSocket.
  // NOLINTBEGIN(bugprone-use-after-move)
  if (!upgraded) {
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.close();
  }
  // NOLINTEND(bugprone-use-after-move)
  connections_.erase(registration);
  server_.open_connections_.fetch_sub(1);
}

awaitable<Response> Server::Worker::dispatch(const Request& request, std::string_view request_id,
                                             const asio::ip::address& remote) {
  if (auto preflight = preflight_response(request)) {
    co_return std::move(*preflight);
  }
  const std::string_view target = request.target();
  const std::size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);

  const Router::Match match = server_.router_->match(request.method(), path);
  if (match.handler == nullptr) {
    if (!match.path_known) {
      co_return error_response(Status::not_found, "No resource at " + std::string(path) + ".");
    }
    if (request.method() == Verb::options) {
      Response response{Status::no_content, 11};
      response.set(beast_http::field::allow, match.allowed_methods);
      co_return response;
    }
    Response response = error_response(
        Status::method_not_allowed,
        std::string(request.method_string()) + " is not allowed on " + std::string(path) + ".");
    response.set(beast_http::field::allow, match.allowed_methods);
    co_return response;
  }

  RequestContext context(request, path, query, request_id, remote);
  try {
    co_return co_await (*match.handler)(context);
  } catch (const std::exception& error) {
    log::error("handler for {} {} failed (id={}): {}", request.method_string(), path, request_id,
               error.what());
  } catch (...) {
    log::error("handler for {} {} failed (id={}) with a non-standard exception",
               request.method_string(), path, request_id);
  }
  co_return error_response(Status::internal_server_error,
                           "The server failed to answer this request; it has been logged.");
}

Server::Server(ServerOptions options, std::shared_ptr<const Router> router)
    : options_(std::move(options)), router_(std::move(router)) {
  std::size_t threads = options_.threads;
  if (threads == 0) {
    threads = std::max(1u, std::thread::hardware_concurrency());
  }
  for (std::size_t i = 0; i < threads; ++i) {
    workers_.push_back(std::make_unique<Worker>(*this));
  }
}

Server::~Server() = default;

asio::io_context& Server::main_context() { return workers_.front()->io(); }

Result<void, std::string> Server::listen() {
  beast::error_code ec;
  const auto address = asio::ip::make_address(options_.address, ec);
  if (ec) {
    return unexpected("'" + options_.address + "' is not an IP address");
  }
  tcp::endpoint endpoint(address, options_.port);
  if (options_.port != 0) {
    // The workers share the port with SO_REUSEPORT, which would also let them share it
    // with another process: a plain bind first makes "address in use" an error again.
    tcp::acceptor probe(main_context());
    probe.open(endpoint.protocol(), ec);
    if (!ec) {
      probe.bind(endpoint, ec);
    }
    if (ec) {
      return unexpected("cannot listen on " + options_.address + ":" + std::to_string(options_.port) + ": " +
                        ec.message());
    }
  }
  for (auto& worker : workers_) {
    if (auto listening = worker->listen(endpoint); !listening) {
      return listening;
    }
    // Port 0: the first worker picks the port, the others share it.
    endpoint.port(worker->local_port());
  }
  port_ = endpoint.port();
  return {};
}

void Server::run() {
  for (auto& worker : workers_) {
    worker->start();
  }
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < workers_.size(); ++i) {
    threads.emplace_back([&io = workers_[i]->io()] { io.run(); });
  }
  workers_.front()->io().run();
  for (auto& thread : threads) {
    thread.join();
  }
}

void Server::shutdown() {
  if (draining_.exchange(true, std::memory_order_acq_rel)) {
    return;
  }
  for (auto& worker : workers_) {
    asio::post(worker->io(), [&worker = *worker] { worker.begin_drain(); });
  }
  // Wait for the connections to finish, at most shutdown_timeout, then stop every thread
  // (also ending timers and outbound keep-alive connections that would keep them running).
  asio::co_spawn(
      main_context(),
      [this]() -> awaitable<void> {
        const auto deadline = std::chrono::steady_clock::now() + options_.shutdown_timeout;
        asio::steady_timer tick(main_context());
        while (open_connections_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
          tick.expires_after(std::chrono::milliseconds(20));
          co_await tick.async_wait(kNoThrow);
        }
        if (open_connections_.load() > 0) {
          log::warn("shutdown: {} connection(s) still busy after {} ms; closing them",
                    open_connections_.load(), options_.shutdown_timeout.count());
        }
        for (auto& worker : workers_) {
          worker->io().stop();
        }
      },
      asio::detached);
}

}  // namespace cubeauth::http
