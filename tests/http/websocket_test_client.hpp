// A blocking loopback WebSocket client for tests (Beast's synchronous stream): connects
// with chosen subprotocols, sends and receives text, and reports how the server closed.
#pragma once

#include <boost/beast/http/fields.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cubeauth::testing {

class WebSocketTestClient {
 public:
  /// Connects to 127.0.0.1:port and upgrades `target`, offering `subprotocols` (a header
  /// value; empty offers none). Every read waits at most `timeout`.
  WebSocketTestClient(std::uint16_t port, std::string_view target, std::string_view subprotocols,
                      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  ~WebSocketTestClient();

  /// True when the handshake succeeded; handshake_error() says why not.
  bool open() const;
  const std::string& handshake_error() const;
  /// The server's 101 answer headers.
  const boost::beast::http::fields& handshake_headers() const;

  void send(std::string_view text);
  /// The next message, or nullopt when the connection closed (see close_code()) or the
  /// read timed out.
  std::optional<std::string> receive();
  /// After receive() returned nullopt: the server's close code (0: none, the read timed
  /// out or the connection dropped) and reason.
  std::uint16_t close_code() const;
  const std::string& close_reason() const;
  /// Starts a close with `code` and waits for the server's answer.
  void close(std::uint16_t code = 1000);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cubeauth::testing
