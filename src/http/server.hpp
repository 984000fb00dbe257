// The HTTP/1.1 server: one io_context per I/O thread, each accepting on the same
// port (SO_REUSEPORT), keep-alive and pipelining, limits, CORS, access log and a
// graceful drain. Handlers come from a Router and never touch the server.
#pragma once

#include "common/result.hpp"
#include "http/router.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace cubeauth::http {

struct ServerOptions {
  std::string address = "0.0.0.0";
  std::uint16_t port = 3000;  ///< 0 picks a free port (see Server::port())
  std::size_t threads = 0;    ///< 0: one per core
  std::size_t body_limit = std::size_t{1024} * 1024;
  std::size_t header_limit = std::size_t{16} * 1024;
  std::chrono::milliseconds header_timeout{10'000};  ///< from the first byte to the end of headers
  std::chrono::milliseconds body_timeout{30'000};    ///< to receive the whole body
  std::chrono::milliseconds idle_timeout{5'000};     ///< keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{30'000};
  std::size_t max_connections = 10'000;  ///< WebSocket connections count too
  /// WebSocket routes: the largest message read (larger ones close the connection with 1009).
  std::size_t websocket_message_limit = std::size_t{64} * 1024;
  /// Bytes queued for a WebSocket peer that reads too slowly before it is dropped: small,
  /// as every open connection may hold this much (a subscriber that stops reading).
  std::size_t websocket_write_queue_limit = std::size_t{256} * 1024;
  /// A WebSocket silent this long is closed; a ping goes out at half of it.
  std::chrono::milliseconds websocket_idle_timeout{60'000};
  /// The upgrade handshake and the closing handshake of a WebSocket.
  std::chrono::milliseconds websocket_handshake_timeout{10'000};
  std::chrono::milliseconds shutdown_timeout{10'000};
  bool access_log = true;
};

class Server {
 public:
  Server(ServerOptions options, std::shared_ptr<const Router> router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and listens; an error text names the address when that fails.
  Result<void, std::string> listen();
  /// The bound port (after listen()).
  std::uint16_t port() const { return port_; }
  /// Serves on options.threads threads until a shutdown has drained; blocks.
  void run();
  /// Stops accepting, closes idle connections and WebSockets (1001 Going Away), lets
  /// requests in flight finish until shutdown_timeout, then stops. Thread-safe; returns at once.
  void shutdown();
  bool draining() const { return draining_.load(std::memory_order_acquire); }
  /// Connections open right now (all threads).
  std::size_t open_connections() const { return open_connections_.load(); }
  /// The io_context of I/O thread 0, for timers and signals of the embedding program.
  boost::asio::io_context& main_context();

 private:
  class Worker;
  friend class Session;

  ServerOptions options_;
  std::shared_ptr<const Router> router_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::uint16_t port_ = 0;
  std::atomic<bool> draining_{false};
  std::atomic<std::size_t> open_connections_{0};
};

}  // namespace cubeauth::http
