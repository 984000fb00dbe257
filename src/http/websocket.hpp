// A WebSocket connection (RFC 6455) as a route's handler sees it after the upgrade: read
// one message at a time, write from any coroutine of the connection (writes are queued),
// close with a code. The server's implementation is detail/websocket_connection.hpp.
#pragma once

#include "common/result.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cubeauth::http {

class RequestContext;

/// Close codes of RFC 6455 section 7.4.1 that the server uses itself.
namespace close_code {
inline constexpr std::uint16_t kNormal = 1000;
inline constexpr std::uint16_t kGoingAway = 1001;         ///< the server is shutting down
inline constexpr std::uint16_t kProtocolError = 1002;
inline constexpr std::uint16_t kAbnormal = 1006;          ///< never sent: the connection dropped
inline constexpr std::uint16_t kPolicyViolation = 1008;
inline constexpr std::uint16_t kMessageTooBig = 1009;
inline constexpr std::uint16_t kInternalError = 1011;
}  // namespace close_code

/// How a WebSocket ended: the peer's close frame (code and reason), the one this side sent
/// when the peer did not answer it, or 1006 when the connection dropped without one.
struct WebSocketClose {
  std::uint16_t code = close_code::kAbnormal;
  std::string reason;
};

/// One upgraded connection. Every member is called on get_executor() (the connection's
/// I/O thread); the object lives until the route's handler returns.
class WebSocket {
 public:
  virtual ~WebSocket() = default;

  /// The next message (text; a binary message is returned as its bytes), or how the
  /// connection ended. A message over the server's limit ends it with 1009. One read at a
  /// time; writes and close() may be called while it is outstanding.
  virtual boost::asio::awaitable<Result<std::string, WebSocketClose>> read() = 0;

  /// Queues `message` as a text frame and returns at once: the queue is written in order.
  /// False when the connection is closing or gone, or when the peer reads so slowly that
  /// the queue passed the server's limit (the connection is then dropped).
  virtual bool write_text(std::string message) = 0;

  /// Queues a close frame after the messages already queued; later writes are refused.
  /// The outstanding read() ends once the peer answers (or the close times out).
  /// Idempotent: only the first call's code is sent.
  virtual void close(std::uint16_t code, std::string_view reason) = 0;

  /// True once close() was called or the connection failed.
  virtual bool closing() const = 0;

  /// The subprotocol agreed in the handshake; empty when the client offered none of the
  /// route's (the handler decides what that means).
  virtual std::string_view subprotocol() const = 0;

  /// The upgrade request: headers, query string, remote address, request id.
  virtual RequestContext& request() = 0;

  virtual const boost::asio::any_io_executor& get_executor() const = 0;
};

using WebSocketHandler = std::function<boost::asio::awaitable<void>(WebSocket&)>;

/// A path that accepts WebSocket upgrades (a GET with `Upgrade: websocket`); other
/// requests to the same path still go to its ordinary routes.
///
/// Origin is not checked, as CORS echoes every origin for HTTP (cors.hpp): cubeauth keeps no
/// cookies or other ambient credentials, so a page of another origin gains nothing a script
/// could not do anyway (no cross-site WebSocket hijacking); a handler authenticates with
/// what the client sends (graphql-transport-ws: the connection_init payload). A handler
/// that needs an origin policy reads the Origin header from request().
struct WebSocketRoute {
  /// The subprotocols served, in order of preference: the first one the client's
  /// Sec-WebSocket-Protocol also lists is answered. When none matches the handshake still
  /// succeeds without the header (RFC 6455 4.2.2), and subprotocol() is empty.
  std::vector<std::string> subprotocols;
  WebSocketHandler handler;
};

/// The first of `supported` that the Sec-WebSocket-Protocol header value `offered` (a
/// comma-separated list, possibly from several header lines joined) lists; empty if none.
std::string choose_subprotocol(const std::vector<std::string>& supported, std::string_view offered);

}  // namespace cubeauth::http
