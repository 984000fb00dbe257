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

/// "/users/100001.json?x=1" -> "/users/100001": the path as rules match it.
std::string_view route_of(std::string_view target) {
  target = target.substr(0, target.find('?'));
  if (target.ends_with(".json")) {
    target.remove_suffix(5);
  }
  return target;
}

/// Glob match where '*' stands for any run of characters within one path segment.
bool glob_matches(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) {
    return text.empty();
  }
  if (pattern.front() == '*') {
    for (std::size_t taken = 0;; ++taken) {
      if (glob_matches(pattern.substr(1), text.substr(taken))) {
        return true;
      }
      if (taken == text.size() || text[taken] == '/') {
        return false;
      }
    }
  }
  return !text.empty() && pattern.front() == text.front() &&
         glob_matches(pattern.substr(1), text.substr(1));
}

/// One injected fault: which requests it hits, how many more times, and what it does.
struct Fault {
  std::string method;          ///< "" any; else upper case, e.g. "PUT"
  std::string path;            ///< "" any; else a glob over the path without ".json" and query
  std::int64_t remaining = 1;  ///< -1: every matching request
  bool after = false;     ///< act after the request took effect (its answer is lost/late/replaced)
  unsigned status = 503;  ///< fail
  std::chrono::milliseconds delay{0};  ///< latency

  bool matches(const http::Request& request) const {
    if (!method.empty() && request.method_string() != method) {
      return false;
    }
    return path.empty() || glob_matches(path, route_of(request.target()));
  }
};

Fault fault_from(const json::object& params, std::int64_t default_count) {
  Fault fault;
  fault.method = param_text(params, "method");
  std::transform(fault.method.begin(), fault.method.end(), fault.method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  fault.path = std::string(route_of(param_text(params, "path")));
  fault.remaining = param_number(params, "count", default_count);
  const std::string after = param_text(params, "after");
  fault.after = after == "true" || after == "1";
  return fault;
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
    // Each kind of fault takes at most one rule per request (the first that matches).
    const std::optional<Fault> drop = take(drops_, request);
    const std::optional<Fault> latency = take(latencies_, request);
    const std::optional<Fault> fail = take(failures_, request);
    if (drop && !drop->after) {
      co_return std::nullopt;
    }
    if (latency && !latency->after) {
      asio::steady_timer wait(io_, latency->delay);
      co_await wait.async_wait(kNoThrow);
    }
    if (fail && !fail->after) {
      co_return emulated_failure(fail->status);
    }
    http::Response response = co_await api_.handle(request);
    // "after" faults: the request took effect, but its answer is lost, late or replaced.
    if (drop) {
      co_return std::nullopt;
    }
    if (latency) {
      asio::steady_timer wait(io_, latency->delay);
      co_await wait.async_wait(kNoThrow);
    }
    if (fail) {
      co_return emulated_failure(fail->status);
    }
    co_return response;
  }

  static http::Response emulated_failure(unsigned status) {
    return http::json_response(static_cast<http::Status>(status),
                               json::object{{"errors", json::array{"Emulated failure"}}});
  }

  /// Consumes one use of the first rule in `faults` that matches `request`.
  static std::optional<Fault> take(std::vector<Fault>& faults, const http::Request& request) {
    for (auto it = faults.begin(); it != faults.end(); ++it) {
      if (!it->matches(request)) {
        continue;
      }
      Fault fault = *it;
      if (it->remaining > 0 && --it->remaining == 0) {
        faults.erase(it);
      }
      return fault;
    }
    return std::nullopt;
  }

  /// Replaces the rule of the same method and path in `faults` (count 0 only removes it).
  static void set_fault(std::vector<Fault>& faults, Fault fault) {
    std::erase_if(faults, [&fault](const Fault& existing) {
      return existing.method == fault.method && existing.path == fault.path;
    });
    if (fault.remaining != 0) {
      faults.push_back(std::move(fault));
    }
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
      Fault fault = fault_from(params, 1);
      fault.status = static_cast<unsigned>(
          std::clamp<std::int64_t>(param_number(params, "status", 503), 100, 599));
      set_fault(failures_, std::move(fault));
      return ok();
    }
    if (path == "latency") {
      Fault fault = fault_from(params, -1);
      fault.delay = std::chrono::milliseconds(param_number(params, "ms", 0));
      if (fault.delay.count() <= 0) {
        fault.remaining = 0;  // ms 0 turns it off
      }
      set_fault(latencies_, std::move(fault));
      return ok();
    }
    if (path == "drop") {
      set_fault(drops_, fault_from(params, 1));
      return ok();
    }
    if (path == "reset") {
      failures_.clear();
      drops_.clear();
      latencies_.clear();
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
  std::vector<Fault> failures_;
  std::vector<Fault> latencies_;
  std::vector<Fault> drops_;
};

Emulator::Emulator(asio::io_context& io, EmulatorOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {}

Emulator::~Emulator() = default;

Result<void, std::string> Emulator::listen() { return impl_->listen(); }
std::uint16_t Emulator::port() const { return impl_->port(); }
void Emulator::start() { impl_->start(); }
void Emulator::stop() { impl_->stop(); }

}  // namespace cubeauth::connectycube::emulator
