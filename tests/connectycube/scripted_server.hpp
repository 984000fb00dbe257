// A tiny raw-socket HTTP peer for tests: each connection reads one request and gets
// the scripted bytes back, verbatim (garbage, truncated or huge answers included).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <functional>
#include <string>
#include <thread>

namespace cubeauth::connectycube::testing {

class ScriptedServer {
 public:
  /// `reply` writes the answer on the socket (it may write in parts, or never).
  using Reply = std::function<void(boost::asio::ip::tcp::socket&)>;

  explicit ScriptedServer(Reply reply, bool keep_alive = false)
      : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}),
        reply_(std::move(reply)),
        keep_alive_(keep_alive) {
    thread_ = std::thread([this] { serve(); });
  }
  ~ScriptedServer() {
    stopping_ = true;
    boost::system::error_code ignored;
    // Wake the blocking accept with a connection of our own.
    boost::asio::ip::tcp::socket waker(io_);
    waker.connect(acceptor_.local_endpoint(), ignored);
    thread_.join();
  }

  static Reply send(std::string bytes) {
    return [bytes = std::move(bytes)](boost::asio::ip::tcp::socket& socket) {
      boost::system::error_code ignored;
      boost::asio::write(socket, boost::asio::buffer(bytes), ignored);
    };
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  int connections() const { return connections_.load(); }
  int requests() const { return requests_.load(); }

 private:
  void serve() {
    while (!stopping_) {
      boost::asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) {
        break;
      }
      ++connections_;
      boost::asio::streambuf buffer;
      for (;;) {
        const std::size_t header_end = boost::asio::read_until(socket, buffer, "\r\n\r\n", ec);
        if (ec) {
          break;
        }
        std::string head(static_cast<const char*>(buffer.data().data()), header_end);
        buffer.consume(header_end);
        std::size_t length = 0;
        if (const auto at = head.find("Content-Length: "); at != std::string::npos) {
          length = std::stoul(head.substr(at + 16));
        }
        if (buffer.size() < length) {
          boost::asio::read(socket, buffer, boost::asio::transfer_exactly(length - buffer.size()),
                            ec);
        }
        buffer.consume(length);
        ++requests_;
        reply_(socket);
        if (!keep_alive_) {
          break;
        }
      }
      socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    }
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Reply reply_;
  bool keep_alive_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace cubeauth::connectycube::testing
