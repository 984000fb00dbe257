#include "emulator.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/value.hpp>
#include <cctype>

#include "api.hpp"
#include "params.hpp"

namespace cubeauth::connectycube::emulator {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using asio::awaitable;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxLoggedRequests = 10'000;
constexpr std::string_view kControlPrefix = "/_emulator/";

std::int64_t param_number(const json::object& params, std::string_view key, std::int64_t fallback) {
  const std::string text = param_text(params, key);
  try {
    return text.empty() ? fallback : std::stoll(text);
  } catch (const std::exception&) {
    return fallback;
  }
}

}  // namespace

class Emulator::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, EmulatorOptions options)
      : io_(io), acceptor_(io), options_(options), api_(std::move(options)) {}

  Result<void, std::string> listen() {
    beast::error_code ec;
    const auto address = asio::ip::make_address(options_.address, ec);
    if (ec) {
      return unexpected("'" + options_.address + "' is not an IP address");
    }
    const tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) {
      acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    }
    if (!ec) {
      acceptor_.bind(endpoint, ec);
    }
    if (!ec) {
      acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
      return unexpected("cannot listen on " + options_.address + ":" +
                        std::to_string(options_.port) + ": " + ec.message());
    }
    return {};
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  void start() { asio::co_spawn(io_, accept_loop(shared_from_this()), asio::detached); }

  void stop() {
    asio::post(io_, [self = shared_from_this()] {
      beast::error_code ignored;
      self->acceptor_.close(ignored);
    });
  }

 private:
  static awaitable<void> accept_loop(std::shared_ptr<Impl> self) {
    while (self->acceptor_.is_open()) {
      auto [ec, socket] = co_await self->acceptor_.async_accept(kNoThrow);
      if (ec) {
        if (!self->acceptor_.is_open()) {
          break;
        }
        continue;
      }
      asio::co_spawn(self->io_, serve(self, std::move(socket)), asio::detached);
    }
  }

  static awaitable<void> serve(std::shared_ptr<Impl> self, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
      http::beast_http::request_parser<http::beast_http::string_body> parser;
      parser.body_limit(4 * 1024 * 1024);
      stream.expires_after(std::chrono::seconds(30));
      auto [read_ec, read] =
          co_await http::beast_http::async_read(stream, buffer, parser, kNoThrow);
      (void)read;
      if (read_ec) {
        break;
      }
      http::Request request = parser.release();
      std::optional<http::Response> response = co_await self->respond(request);
      if (!response) {  // an injected drop: close without answering
        break;
      }
      response->version(request.version());
      response->keep_alive(request.keep_alive());
      response->prepare_payload();
      stream.expires_after(std::chrono::seconds(30));
      auto [write_ec, written] =
          co_await http::beast_http::async_write(stream, *response, kNoThrow);
      (void)written;
      if (write_ec || !request.keep_alive()) {
        break;
      }
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
  }

  /// The answer to `request`, or nullopt to drop the connection.
  awaitable<std::optional<http::Response>> respond(const http::Request& request) {
    const std::string_view target = request.target();
    if (target.starts_with(kControlPrefix)) {
      co_return control(request);
    }
    record(request);
    if (drop_remaining_ > 0) {
      --drop_remaining_;
      co_return std::nullopt;
    }
    if (latency_.count() > 0 && latency_remaining_ != 0) {
      if (latency_remaining_ > 0) {
        --latency_remaining_;
      }
      asio::steady_timer wait(io_, latency_);
      co_await wait.async_wait(kNoThrow);
    }
    if (fail_remaining_ > 0) {
      --fail_remaining_;
      co_return http::json_response(static_cast<http::Status>(fail_status_),
                                    json::object{{"errors", json::array{"Emulated failure"}}});
    }
    co_return co_await api_.handle(request);
  }

  void record(const http::Request& request) {
    json::object headers;
    for (const auto& field : request) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      headers[name] = field.value();
    }
    if (log_.size() >= kMaxLoggedRequests) {
      log_.erase(log_.begin());
    }
    log_.push_back(json::object{{"method", request.method_string()},
                                {"path", request.target()},
                                {"headers", std::move(headers)},
                                {"body", request.body()}});
  }

  http::Response control(const http::Request& request) {
    std::string_view path = request.target();
    path = path.substr(kControlPrefix.size());
    path = path.substr(0, path.find('?'));
    const json::object params = request_params(request).value_or(json::object{});
    const auto ok = [] {
      return http::json_response(http::Status::ok, json::object{{"ok", true}});
    };
    using http::Verb;
    if (path == "requests" && request.method() == Verb::get) {
      return http::json_response(http::Status::ok, json::object{{"requests", log_}});
    }
    if (path == "requests" && request.method() == Verb::delete_) {
      log_.clear();
      return ok();
    }
    if (request.method() != Verb::post) {
      return http::json_response(http::Status::not_found,
                                 json::object{{"errors", json::array{"Unknown control"}}});
    }
    if (path == "fail") {
      fail_remaining_ = param_number(params, "count", 1);
      fail_status_ = static_cast<unsigned>(
          std::clamp<std::int64_t>(param_number(params, "status", 503), 100, 599));
      return ok();
    }
    if (path == "latency") {
      latency_ = std::chrono::milliseconds(param_number(params, "ms", 0));
      latency_remaining_ = param_number(params, "count", -1);
      return ok();
    }
    if (path == "drop") {
      drop_remaining_ = param_number(params, "count", 1);
      return ok();
    }
    if (path == "reset") {
      fail_remaining_ = 0;
      drop_remaining_ = 0;
      latency_ = std::chrono::milliseconds(0);
      latency_remaining_ = -1;
      log_.clear();
      api_.clear();
      return ok();
    }
    return http::json_response(http::Status::not_found,
                               json::object{{"errors", json::array{"Unknown control"}}});
  }

  asio::io_context& io_;
  tcp::acceptor acceptor_;
  EmulatorOptions options_;
  Api api_;
  json::array log_;
  std::int64_t fail_remaining_ = 0;
  unsigned fail_status_ = 503;
  std::int64_t drop_remaining_ = 0;
  std::chrono::milliseconds latency_{0};
  std::int64_t latency_remaining_ = -1;  ///< -1: every request
};

Emulator::Emulator(asio::io_context& io, EmulatorOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {}

Emulator::~Emulator() = default;

Result<void, std::string> Emulator::listen() { return impl_->listen(); }
std::uint16_t Emulator::port() const { return impl_->port(); }
void Emulator::start() { impl_->start(); }
void Emulator::stop() { impl_->stop(); }

}  // namespace cubeauth::connectycube::emulator
