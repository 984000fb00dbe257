// The HTTP server in the test process on a free loopback port, run on its own thread and
// shut down (drained) when the object goes: for routes the binary does not have.
#pragma once

#include "http/server.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

namespace cubeauth::testing {

/// Loopback, port 0, two I/O threads, no access log, a 5 s drain.
inline http::ServerOptions in_process_options() {
  http::ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  options.threads = 2;
  options.access_log = false;
  options.shutdown_timeout = std::chrono::seconds(5);
  return options;
}

class InProcessServer {
 public:
  explicit InProcessServer(std::shared_ptr<http::Router> router,
                           http::ServerOptions options = in_process_options()) {
    server_ = std::make_unique<http::Server>(options, std::move(router));
    auto listening = server_->listen();
    EXPECT_TRUE(listening);
    thread_ = std::thread([this] { server_->run(); });
  }
  ~InProcessServer() {
    server_->shutdown();
    if (thread_.joinable()) {
      thread_.join();
    }
  }
  InProcessServer(const InProcessServer&) = delete;
  InProcessServer& operator=(const InProcessServer&) = delete;

  http::Server& server() { return *server_; }
  std::uint16_t port() const { return server_->port(); }
  std::thread& thread() { return thread_; }

 private:
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

}  // namespace cubeauth::testing
