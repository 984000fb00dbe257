#include "http/detail/websocket_connection.hpp"

#include "common/logging.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>
#include <optional>

namespace cubeauth::http::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using asio::awaitable;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

/// A close frame's payload holds at most 125 bytes: the code and 123 bytes of reason,
/// cut before a UTF-8 continuation byte (browsers fail a connection whose close reason
/// is not valid UTF-8, and the reason may quote client text).
std::string clip_reason(std::string_view reason) {
  constexpr std::size_t kLongest = 123;
  if (reason.size() <= kLongest) {
    return std::string(reason);
  }
  std::size_t end = kLongest;
  while (end > 0 && (static_cast<unsigned char>(reason[end]) & 0xC0) == 0x80) {
    --end;
  }
  return std::string(reason.substr(0, end));
}

class WebSocketConnection final : public WebSocket {
 public:
  WebSocketConnection(beast::tcp_stream stream, RequestContext& context,
                      std::string subprotocol, const WebSocketLimits& limits)
      : ws_(std::move(stream)), context_(context), subprotocol_(std::move(subprotocol)),
        limits_(limits), executor_(ws_.get_executor()), writer_done_(executor_) {}

  awaitable<bool> accept(const Request& request) {
    // The websocket stream keeps its own timers: the TCP stream's must stay off.
    ws_.next_layer().expires_never();
    websocket::stream_base::timeout timeout;
    timeout.handshake_timeout = limits_.handshake_timeout;
    timeout.idle_timeout = limits_.idle_timeout;
    timeout.keep_alive_pings = true;
    ws_.set_option(timeout);
    ws_.read_message_max(limits_.message_limit);
    ws_.set_option(websocket::stream_base::decorator(
        [subprotocol = subprotocol_, request_id = std::string(context_.request_id())](
            websocket::response_type& response) {
          response.set(beast_http::field::server, "cubeauth");  // not Beast's version
          if (!subprotocol.empty()) {
            response.set(beast_http::field::sec_websocket_protocol, subprotocol);
          }
          response.set("X-Request-Id", request_id);
        }));
    auto [ec] = co_await ws_.async_accept(request, kNoThrow);
    if (ec) {
      log::info("websocket handshake refused ip={} id={}: {}", context_.remote_address().to_string(),
                context_.request_id(), ec.message());
      co_return false;
    }
    co_return true;
  }

  awaitable<Result<std::string, WebSocketClose>> read() override {
    if (read_end_) {
      co_return unexpected(*read_end_);
    }
    auto [ec, bytes] = co_await ws_.async_read(read_buffer_, kNoThrow);
    (void)bytes;
    if (!ec) {
      std::string message = beast::buffers_to_string(read_buffer_.data());
      read_buffer_.consume(read_buffer_.size());
      co_return message;
    }
    closing_ = true;
    read_end_ = end_of(ec);
    co_return unexpected(*read_end_);
  }

  bool write_text(std::string message) override {
    if (closing_) {
      return false;
    }
    if (queued_bytes_ + message.size() > limits_.write_queue_limit) {
      log::warn("websocket ip={} id={}: the peer does not read its messages ({} bytes queued); dropped",
                context_.remote_address().to_string(), context_.request_id(), queued_bytes_);
      fail();
      return false;
    }
    queued_bytes_ += message.size();
    queue_.push_back(std::move(message));
    start_writer();
    return true;
  }

  void close(std::uint16_t code, std::string_view reason) override {
    if (closing_) {
      return;
    }
    closing_ = true;
    close_to_send_ = websocket::close_reason(static_cast<websocket::close_code>(code), clip_reason(reason));
    start_writer();
  }

  bool closing() const override { return closing_; }
  std::string_view subprotocol() const override { return subprotocol_; }
  RequestContext& request() override { return context_; }
  const asio::any_io_executor& get_executor() const override { return executor_; }

  /// After the handler: close if it did not, read until the close handshake is over (the
  /// peer's answer completes it), and wait for the writer to stop using the stream.
  awaitable<void> finish() {
    close(close_code::kNormal, "");
    while (!read_end_) {
      auto ignored = co_await read();
      (void)ignored;
    }
    while (writer_running_) {
      writer_done_.expires_at(asio::steady_timer::time_point::max());
      auto [ec] = co_await writer_done_.async_wait(kNoThrow);
      (void)ec;
    }
  }

 private:
  void start_writer() {
    if (writer_running_) {
      return;
    }
    writer_running_ = true;
    asio::co_spawn(executor_, write_loop(), asio::detached);
  }

  /// Writes the queue in order, then the close frame if one is due; ends when there is
  /// nothing left (start_writer starts it again).
  awaitable<void> write_loop() {
    while (!failed_) {
      if (!queue_.empty()) {
        const std::string message = std::move(queue_.front());
        queue_.pop_front();
        ws_.text(true);
        auto [ec, written] = co_await ws_.async_write(asio::buffer(message), kNoThrow);
        (void)written;
        queued_bytes_ -= message.size();
        if (ec) {
          fail();
        }
        continue;
      }
      if (close_to_send_ && !close_sent_) {
        close_sent_ = true;
        const websocket::close_reason reason = *close_to_send_;
        // Completes when the peer answers (or the handshake timeout): the outstanding
        // read then ends. An error means the peer is already gone; the socket is closed.
        auto [ec] = co_await ws_.async_close(reason, kNoThrow);
        (void)ec;
      }
      break;
    }
    writer_running_ = false;
    writer_done_.cancel();
  }

  /// Drops the connection without a close handshake (write failure, slow reader).
  void fail() {
    failed_ = true;
    closing_ = true;
    queue_.clear();
    queued_bytes_ = 0;
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  WebSocketClose end_of(const beast::error_code& ec) const {
    WebSocketClose end;
    const websocket::close_reason& received = ws_.reason();
    if (ec == websocket::error::message_too_big) {
      end.code = close_code::kMessageTooBig;
      end.reason = "Message too big";
    } else if (received.code != websocket::close_code::none) {
      end.code = received.code;
      end.reason = std::string(received.reason.data(), received.reason.size());
    } else if (ec == websocket::error::closed) {
      end.code = 1005;  // RFC 6455 7.1.5: a close frame without a status code
    } else if (close_sent_ && !failed_) {
      end.code = close_to_send_->code;  // the peer never answered ours
      end.reason = std::string(close_to_send_->reason.data(), close_to_send_->reason.size());
    }
    return end;
  }

  websocket::stream<beast::tcp_stream> ws_;
  RequestContext& context_;
  std::string subprotocol_;
  WebSocketLimits limits_;
  asio::any_io_executor executor_;
  beast::flat_buffer read_buffer_;
  std::optional<WebSocketClose> read_end_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  bool writer_running_ = false;
  bool closing_ = false;
  bool failed_ = false;
  std::optional<websocket::close_reason> close_to_send_;
  bool close_sent_ = false;
  asio::steady_timer writer_done_;  ///< cancelled when the writer stops
};

}  // namespace

awaitable<void> serve_websocket(beast::tcp_stream stream, const Request& request,
                                RequestContext& context, const WebSocketRoute& route,
                                const WebSocketLimits& limits, const std::atomic<bool>& draining,
                                WebSocket*& registered) {
  std::string subprotocol =
      choose_subprotocol(route.subprotocols, request[beast_http::field::sec_websocket_protocol]);
  WebSocketConnection connection(std::move(stream), context, std::move(subprotocol), limits);
  const bool accepted = co_await connection.accept(request);
  if (!accepted) {
    co_return;
  }
  registered = &connection;
  if (draining.load(std::memory_order_acquire)) {
    connection.close(close_code::kGoingAway, "Going Away");
  }
  try {
    co_await route.handler(connection);
  } catch (const std::exception& error) {
    log::error("websocket handler for {} failed (id={}): {}", context.path(), context.request_id(),
               error.what());
    connection.close(close_code::kInternalError, "Internal Error");
  } catch (...) {
    log::error("websocket handler for {} failed (id={}) with a non-standard exception",
               context.path(), context.request_id());
    connection.close(close_code::kInternalError, "Internal Error");
  }
  co_await connection.finish();
  registered = nullptr;
}

}  // namespace cubeauth::http::detail
