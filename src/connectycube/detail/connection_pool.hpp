// Idle keep-alive connections, kept as a service of the io_context they belong to, so
// that they are used only on that context and are destroyed with it (never after).
#pragma once

#include <boost/asio/execution_context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace cubeauth::connectycube::detail {

/// One outbound connection: plain TCP, or TLS over TCP.
struct Connection {
  std::unique_ptr<boost::beast::tcp_stream> plain;
  std::unique_ptr<boost::asio::ssl::stream<boost::beast::tcp_stream>> secure;
  boost::beast::flat_buffer buffer;
  std::chrono::steady_clock::time_point idle_since;
  bool reused = false;

  boost::beast::tcp_stream& tcp() { return secure ? secure->next_layer() : *plain; }
  /// False when the peer has closed it (or sent bytes nobody asked for) while idle.
  bool still_open();
};

class ConnectionPool : public boost::asio::execution_context::service {
 public:
  using key_type = ConnectionPool;
  // Asio's service-id idiom: the id's constructor does nothing and cannot throw, though it is
  // not declared noexcept.
  static inline boost::asio::execution_context::id id;  // NOLINT(cert-err58-cpp)

  explicit ConnectionPool(boost::asio::execution_context& context) : service(context) {}

  /// An idle connection to `key` younger than `max_idle` and still open, or null.
  std::unique_ptr<Connection> take(const std::string& key, std::chrono::milliseconds max_idle);
  /// Keeps `connection` for reuse unless `limit` connections to `key` are already idle.
  void give(const std::string& key, std::unique_ptr<Connection> connection, std::size_t limit);

 private:
  void shutdown() override;

  std::mutex mutex_;
  std::map<std::string, std::deque<std::unique_ptr<Connection>>> idle_;
};

}  // namespace cubeauth::connectycube::detail
