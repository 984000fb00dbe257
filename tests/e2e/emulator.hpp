// The ConnectyCube emulator as end-to-end tests drive it: started on a free loopback
// port with a fixed application, controlled through its /_emulator/ routes.
#pragma once

#include "support/raw_client.hpp"
#include "support/server_process.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace cubeauth::testing {

constexpr const char* kAppId = "5120";
constexpr const char* kAuthKey = "Xk2pQr7sTuVw9yZ";

inline std::uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

class Emulator {
 public:
  explicit Emulator(std::vector<std::string> flags = {}) {
    flags.push_back("--app-id=" + std::string(kAppId));
    flags.push_back("--auth-key=" + std::string(kAuthKey));
    flags.push_back("--port=0");
    process_ = std::make_unique<ServerProcess>(CONNECTYCUBE_EMULATOR, std::map<std::string, std::string>{}, flags,
                                               "listening on 127.0.0.1:");
    if (!process_->wait_ready()) {
      throw std::runtime_error("emulator did not start:\n" + process_->output());
    }
  }
  std::uint16_t port() const { return process_->port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  void control(const std::string& path, const std::string& json) {
    auto response = http_request(port(), "POST", path, json, "Content-Type: application/json\r\n");
    if (!response || response->result_int() >= 300) {
      throw std::runtime_error("emulator control " + path + " failed");
    }
  }
  boost::json::array requests() {
    auto response = http_request(port(), "GET", "/_emulator/requests");
    return boost::json::parse(response->body()).at("requests").as_array();
  }

 private:
  std::unique_ptr<ServerProcess> process_;
};


}  // namespace cubeauth::testing
