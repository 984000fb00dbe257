// The server's side of a WebSocket route: the upgrade handshake of a request already read
// by the HTTP loop, then the route's handler over Beast's websocket stream.
#pragma once

#include "http/message.hpp"
#include "http/router.hpp"
#include "http/websocket.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>

namespace cubeauth::http::detail {

struct WebSocketLimits {
  std::size_t message_limit = 0;
  std::size_t write_queue_limit = 0;
  std::chrono::milliseconds handshake_timeout{0};  ///< also bounds the close handshake
  std::chrono::milliseconds idle_timeout{0};       ///< a ping at half of it, then the end
};

/// Answers the upgrade `request` (101 with the chosen subprotocol, or Beast's 400 when the
/// handshake is not valid), runs `route.handler`, closes (1000 if the handler did not),
/// and returns once the connection is over. While the handler runs `*registered` points
/// at the connection so that a drain can close it with 1001; it is null again on return.
/// `draining`: set when the server drains (a handshake finishing then is closed at once).
boost::asio::awaitable<void> serve_websocket(boost::beast::tcp_stream stream,
                                             const Request& request, RequestContext& context,
                                             const WebSocketRoute& route,
                                             const WebSocketLimits& limits,
                                             const std::atomic<bool>& draining,
                                             WebSocket*& registered);

}  // namespace cubeauth::http::detail
