// Shared by the fault tests: the ConnectyCube emulator as a process with its test controls,
// a proxy in front of it that can answer garbage instead, cubeauth attached to either, and
// waiting for a log line.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/array.hpp>
#include <chrono>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "support/server_process.hpp"

namespace cubeauth::testing {

inline constexpr const char* kFaultAppId = "5120";
inline constexpr const char* kFaultAuthKey = "Xk2pQr7sTuVw9yZ";

/// The connectycube_emulator binary on a loopback port, with its /_emulator/ controls.
class EmulatorProcess {
 public:
  explicit EmulatorProcess(std::vector<std::string> flags = {});
  std::uint16_t port() const { return process_->port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  /// POST /_emulator/<control> with a JSON body; throws when the emulator refuses it.
  void control(const std::string& control, const std::string& json);
  /// The recorded requests (method, path, headers, body), oldest first.
  boost::json::array requests();
  /// Recorded requests with this method whose path starts with `path`.
  std::size_t count_requests(std::string_view method, std::string_view path);

 private:
  std::unique_ptr<ServerProcess> process_;
};

/// An HTTP/1.1 proxy in front of `upstream` (127.0.0.1:port): passes each request on and
/// its answer back, or, while garbage() is set, answers every request with those exact bytes
/// instead (the request then never reaches the upstream).
class GarbageProxy {
 public:
  explicit GarbageProxy(std::uint16_t upstream);
  ~GarbageProxy();
  GarbageProxy(const GarbageProxy&) = delete;
  GarbageProxy& operator=(const GarbageProxy&) = delete;

  std::string url() const;
  /// Empty: pass requests on. Otherwise the raw bytes of every answer.
  void set_garbage(std::string bytes);
  int garbage_answers() const { return garbage_answers_.load(); }

 private:
  void accept_loop();
  void serve(boost::asio::ip::tcp::socket& socket);
  std::string garbage() const;

  std::uint16_t upstream_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  mutable std::mutex mutex_;
  std::string garbage_;
  std::list<boost::asio::ip::tcp::socket> sockets_;
  std::list<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> garbage_answers_{0};
  std::thread acceptor_thread_;
};

/// cubeauth's environment attached to ConnectyCube at `api_url` (sign-up at registration on),
/// on the SQLite file `database` (a path), with bcrypt cost 4 and no per-client limit.
std::map<std::string, std::string> fault_environment(const std::string& api_url,
                                                     const std::string& database);

/// Starts cubeauth with exactly `environment` (HOST, PORT 0 and two threads added); throws
/// when it does not start.
std::unique_ptr<ServerProcess> start_cubeauth(std::map<std::string, std::string> environment);

/// A full HTTP answer with a body ("HTTP/1.1 <status> X", Content-Length, Connection: close).
std::string http_answer(int status, const std::string& content_type, const std::string& body);

}  // namespace cubeauth::testing
