// Test helpers: an emulator on its own I/O thread, running a coroutine to completion,
// and the emulator's /_emulator/ controls.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <thread>

#include "connectycube/http_client.hpp"
#include "emulator.hpp"

namespace cubeauth::connectycube::testing {

/// Runs `make()`'s coroutine on a fresh io_context in this thread and returns its value.
template <class MakeAwaitable>
auto run(MakeAwaitable make) {
  boost::asio::io_context io;
  auto future = boost::asio::co_spawn(io, make(), boost::asio::use_future);
  io.run();
  return future.get();
}

/// Which requests an injected fault hits (default: all) and whether it acts after the
/// request took effect (its answer lost, late or replaced) instead of before.
struct FaultRoute {
  std::string method;  ///< e.g. "PUT"
  std::string path;    ///< e.g. "/users/*" ('*' within one segment; ".json" ignored)
  bool after = false;
};

class EmulatorThread {
 public:
  explicit EmulatorThread(emulator::EmulatorOptions options = default_options())
      : emulator_(io_, std::move(options)) {
    if (auto listening = emulator_.listen(); !listening) {
      throw std::runtime_error(listening.error());
    }
    emulator_.start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~EmulatorThread() {
    emulator_.stop();
    io_.stop();
    thread_.join();
  }

  static emulator::EmulatorOptions default_options() {
    emulator::EmulatorOptions options;
    options.app_id = "5120";
    options.auth_key = "Xk2pQr7sTuVw9yZ";
    return options;
  }

  std::uint16_t port() const { return emulator_.port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }

  /// Calls a control (or any path) on the emulator; returns the status and parsed body.
  std::pair<int, boost::json::value> call(
      std::string method, std::string target, std::string body = "",
      std::vector<std::pair<std::string, std::string>> headers = {}) {
    Endpoint endpoint{false, "127.0.0.1", std::to_string(port()), "", ""};
    OutgoingRequest request{std::move(method), std::move(target), std::move(headers),
                            std::move(body), false};
    if (!request.body.empty()) {
      request.headers.emplace_back("Content-Type", "application/json");
    }
    auto response = run([&]() -> boost::asio::awaitable<Result<IncomingResponse, Error>> {
      HttpClient http(
          HttpClientOptions{std::chrono::milliseconds(2000), std::chrono::milliseconds(5000), 0});
      co_return co_await http.send(endpoint, request);
    });
    if (!response) {
      throw std::runtime_error("emulator call failed: " + response.error().message);
    }
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(response->body, ec);
    return {response->status, ec ? boost::json::value(response->body) : parsed};
  }

  using Route = FaultRoute;

  void fail_next(int count, int status, const Route& route = {}) {
    boost::json::object params{{"count", count}, {"status", status}};
    call("POST", "/_emulator/fail", boost::json::serialize(with_route(params, route)));
  }
  void add_latency(int ms, int count = -1, const Route& route = {}) {
    boost::json::object params{{"ms", ms}, {"count", count}};
    call("POST", "/_emulator/latency", boost::json::serialize(with_route(params, route)));
  }
  void drop_next(int count, const Route& route = {}) {
    boost::json::object params{{"count", count}};
    call("POST", "/_emulator/drop", boost::json::serialize(with_route(params, route)));
  }
  boost::json::array requests() {
    return call("GET", "/_emulator/requests").second.at("requests").as_array();
  }
  void reset() { call("POST", "/_emulator/reset"); }

 private:
  static boost::json::object& with_route(boost::json::object& params, const Route& route) {
    if (!route.method.empty()) {
      params["method"] = route.method;
    }
    if (!route.path.empty()) {
      params["path"] = route.path;
    }
    if (route.after) {
      params["after"] = true;
    }
    return params;
  }

  boost::asio::io_context io_{1};
  emulator::Emulator emulator_;
  std::thread thread_;
};

}  // namespace cubeauth::connectycube::testing
