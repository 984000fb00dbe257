// A ready-made source event stream (subscribe.hpp): a queue that the embedding server fills
// on the subscription's executor (post there from other threads). Events wait in the queue
// until the subscription asks for them.
#pragma once

#include "graphql/execution/subscribe.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <deque>
#include <limits>

namespace cubeauth::graphql {

class EventQueue final : public EventStream {
 public:
  /// `capacity`: events kept waiting; one more ends the stream after those (a subscriber that
  /// cannot keep up is dropped rather than holding unbounded memory).
  explicit EventQueue(const boost::asio::any_io_executor& executor,
                      std::size_t capacity = std::numeric_limits<std::size_t>::max());

  /// Adds an event (on the executor). Ignored once the stream has ended.
  void push(boost::json::value event);
  /// The source ends: next() yields the queued events, then nullopt.
  void end();

  /// Keep the queue alive while a next() is outstanding (a Subscription shares ownership).
  boost::asio::awaitable<std::optional<boost::json::value>> next() override;
  /// Drops the waiting events; next() yields nullopt.
  void close() override;

  std::size_t size() const { return events_.size(); }
  /// push() would be ignored: end(), close() or overflow happened.
  bool ended() const { return ended_ || closed_; }
  /// A next() is waiting for an event.
  bool waiting() const { return waiting_; }

 private:
  boost::asio::steady_timer signal_;  // waited on with no deadline; cancel() wakes next()
  std::size_t capacity_;
  std::deque<boost::json::value> events_;
  bool ended_ = false;
  bool closed_ = false;
  bool waiting_ = false;
};

}  // namespace cubeauth::graphql
