#include "http/websocket_test_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <sys/socket.h>
#include <sys/time.h>

namespace cubeauth::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

struct WebSocketTestClient::Impl {
  asio::io_context io;
  websocket::stream<tcp::socket> ws{io};
  websocket::response_type handshake_response;
  bool open = false;
  std::string error;
  std::uint16_t close_code = 0;
  std::string close_reason;
};

WebSocketTestClient::WebSocketTestClient(std::uint16_t port, std::string_view target,
                                         std::string_view subprotocols,
                                         std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  beast::error_code ec;
  impl_->ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) {
    impl_->error = ec.message();
    return;
  }
  // Blocking reads give up after `timeout` (EAGAIN), so a test never hangs.
  timeval limit{};
  limit.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  limit.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(impl_->ws.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  const std::string offered(subprotocols);
  impl_->ws.set_option(websocket::stream_base::decorator([offered](websocket::request_type& request) {
    if (!offered.empty()) {
      request.set(beast::http::field::sec_websocket_protocol, offered);
    }
  }));
  impl_->ws.handshake(impl_->handshake_response, "127.0.0.1", target, ec);
  if (ec) {
    impl_->error = ec.message();
    return;
  }
  impl_->open = true;
}

WebSocketTestClient::~WebSocketTestClient() = default;

bool WebSocketTestClient::open() const { return impl_->open; }
const std::string& WebSocketTestClient::handshake_error() const { return impl_->error; }
const beast::http::fields& WebSocketTestClient::handshake_headers() const {
  return impl_->handshake_response.base();
}

void WebSocketTestClient::send(std::string_view text) {
  beast::error_code ec;
  impl_->ws.text(true);
  impl_->ws.write(asio::buffer(text.data(), text.size()), ec);
}

std::optional<std::string> WebSocketTestClient::receive() {
  beast::flat_buffer buffer;
  beast::error_code ec;
  impl_->ws.read(buffer, ec);
  if (ec) {
    if (ec == websocket::error::closed) {
      impl_->close_code = impl_->ws.reason().code;
      impl_->close_reason = std::string(impl_->ws.reason().reason.data(), impl_->ws.reason().reason.size());
    }
    return std::nullopt;
  }
  return beast::buffers_to_string(buffer.data());
}

std::uint16_t WebSocketTestClient::close_code() const { return impl_->close_code; }
const std::string& WebSocketTestClient::close_reason() const { return impl_->close_reason; }

void WebSocketTestClient::close(std::uint16_t code) {
  beast::error_code ec;
  impl_->ws.close(websocket::close_reason(static_cast<websocket::close_code>(code)), ec);
}

}  // namespace cubeauth::testing
