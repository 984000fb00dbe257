#include "hostile/fault_support.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <stdexcept>

#include "support/raw_client.hpp"

namespace cubeauth::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

EmulatorProcess::EmulatorProcess(std::vector<std::string> flags) {
  flags.push_back("--app-id=" + std::string(kFaultAppId));
  flags.push_back("--auth-key=" + std::string(kFaultAuthKey));
  flags.push_back("--port=0");
  process_ =
      std::make_unique<ServerProcess>(CONNECTYCUBE_EMULATOR, std::map<std::string, std::string>{},
                                      std::move(flags), "listening on 127.0.0.1:");
  if (!process_->wait_ready()) {
    throw std::runtime_error("emulator did not start:\n" + process_->output());
  }
}

void EmulatorProcess::control(const std::string& control, const std::string& json) {
  const auto response = http_request(port(), "POST", "/_emulator/" + control, json,
                                     "Content-Type: application/json\r\n");
  if (!response || response->result_int() >= 300) {
    throw std::runtime_error("emulator control " + control + " failed");
  }
}

boost::json::array EmulatorProcess::requests() {
  const auto response = http_request(port(), "GET", "/_emulator/requests");
  if (!response) {
    throw std::runtime_error("emulator did not list its requests");
  }
  return boost::json::parse(response->body()).at("requests").as_array();
}

std::size_t EmulatorProcess::count_requests(std::string_view method, std::string_view path) {
  std::size_t count = 0;
  for (const auto& request : requests()) {
    if (request.at("method").as_string() == method &&
        request.at("path").as_string().starts_with(path)) {
      ++count;
    }
  }
  return count;
}

GarbageProxy::GarbageProxy(std::uint16_t upstream)
    : upstream_(upstream), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
  acceptor_thread_ = std::thread([this] { accept_loop(); });
}

GarbageProxy::~GarbageProxy() {
  stopping_ = true;
  boost::system::error_code ignored;
  {
    // Wake the blocking accept with a connection of our own, and end every open one.
    tcp::socket waker(io_);
    waker.connect(acceptor_.local_endpoint(), ignored);
    acceptor_thread_.join();
  }
  std::lock_guard lock(mutex_);
  for (auto& socket : sockets_) {
    socket.shutdown(tcp::socket::shutdown_both, ignored);
  }
  for (auto& thread : threads_) {
    thread.join();
  }
}

std::string GarbageProxy::url() const {
  return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
}

void GarbageProxy::set_garbage(std::string bytes) {
  std::lock_guard lock(mutex_);
  garbage_ = std::move(bytes);
}

std::string GarbageProxy::garbage() const {
  std::lock_guard lock(mutex_);
  return garbage_;
}

void GarbageProxy::accept_loop() {
  while (!stopping_) {
    tcp::socket socket(io_);
    boost::system::error_code ec;
    acceptor_.accept(socket, ec);
    if (ec || stopping_) {
      return;
    }
    std::lock_guard lock(mutex_);
    tcp::socket& kept = sockets_.emplace_back(std::move(socket));
    threads_.emplace_back([this, &kept] { serve(kept); });
  }
}

void GarbageProxy::serve(tcp::socket& socket) {
  boost::beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> request;
    boost::system::error_code ec;
    http::read(socket, buffer, request, ec);
    if (ec) {
      return;
    }
    if (const std::string bytes = garbage(); !bytes.empty()) {
      ++garbage_answers_;
      asio::write(socket, asio::buffer(bytes), ec);
      socket.shutdown(tcp::socket::shutdown_both, ec);
      return;
    }
    // One upstream connection per request keeps the proxy simple; the answer goes back as is.
    tcp::socket upstream(io_);
    upstream.connect({asio::ip::make_address("127.0.0.1"), upstream_}, ec);
    if (!ec) {
      request.keep_alive(false);
      http::write(upstream, request, ec);
    }
    http::response<http::string_body> response;
    boost::beast::flat_buffer upstream_buffer;
    if (!ec) {
      http::read(upstream, upstream_buffer, response, ec);
    }
    if (ec) {
      socket.shutdown(tcp::socket::shutdown_both, ec);
      return;
    }
    response.keep_alive(true);
    http::write(socket, response, ec);
    if (ec) {
      return;
    }
  }
}

std::map<std::string, std::string> fault_environment(const std::string& api_url,
                                                     const std::string& database) {
  return {{"JWT_SECRET", "fault-secret"},
          {"BCRYPT_COST", "4"},
          {"CUBEAUTH_RATE_PER_CLIENT_BURST", "0"},
          {"DATABASE_URL", "sqlite://" + database},
          {"APP_ID", kFaultAppId},
          {"AUTH_KEY", kFaultAuthKey},
          {"CONNECTYCUBE_API_URL", api_url}};
}

std::unique_ptr<ServerProcess> start_cubeauth(std::map<std::string, std::string> environment) {
  environment.try_emplace("HOST", "127.0.0.1");
  environment.try_emplace("PORT", "0");
  environment.try_emplace("CUBEAUTH_THREADS", "2");
  auto process = std::make_unique<ServerProcess>(CUBEAUTH_BINARY, std::move(environment));
  if (!process->wait_ready()) {
    throw std::runtime_error("cubeauth did not start:\n" + process->output());
  }
  return process;
}

std::string http_answer(int status, const std::string& content_type, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + content_type +
         "\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         body;
}

}  // namespace cubeauth::testing
