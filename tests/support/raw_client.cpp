#include "support/raw_client.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>

namespace cubeauth::testing {

namespace asio = boost::asio;

struct RawClient::Impl {
  asio::io_context io;
  asio::ip::tcp::socket socket{io};
  boost::beast::flat_buffer buffer;
};

RawClient::RawClient(std::uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->socket.connect({asio::ip::make_address("127.0.0.1"), port});
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(impl_->socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

RawClient::~RawClient() = default;

void RawClient::send(std::string_view bytes) {
  boost::system::error_code ec;
  asio::write(impl_->socket, asio::buffer(bytes.data(), bytes.size()), ec);
}

std::optional<TestResponse> RawClient::read_response() {
  boost::beast::http::response_parser<boost::beast::http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  boost::system::error_code ec;
  boost::beast::http::read(impl_->socket, impl_->buffer, parser, ec);
  if (ec) {
    return std::nullopt;
  }
  return parser.release();
}

std::string RawClient::read_until_closed() {
  std::string bytes(static_cast<const char*>(impl_->buffer.data().data()), impl_->buffer.size());
  impl_->buffer.consume(impl_->buffer.size());
  char chunk[4096];
  boost::system::error_code ec;
  for (;;) {
    const std::size_t n = impl_->socket.read_some(asio::buffer(chunk), ec);
    if (ec) {
      return bytes;
    }
    bytes.append(chunk, n);
  }
}

bool RawClient::closed_by_peer() {
  char byte;
  boost::system::error_code ec;
  for (;;) {
    impl_->socket.read_some(asio::buffer(&byte, 1), ec);
    if (ec == asio::error::eof || ec == asio::error::connection_reset) {
      return true;
    }
    if (ec) {
      return false;  // timed out while the connection stayed open
    }
  }
}

std::optional<TestResponse> http_request(std::uint16_t port, std::string_view method,
                                         std::string_view target, std::string_view body,
                                         std::string_view extra_headers) {
  RawClient client(port);
  std::string request = std::string(method) + " " + std::string(target) +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                        std::string(extra_headers);
  if (!body.empty() || method == "POST" || method == "PUT") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n";
  request += body;
  client.send(request);
  return client.read_response();
}

}  // namespace cubeauth::testing
