#include "graphql/execution/event_queue.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <utility>

namespace cubeauth::graphql {
namespace asio = boost::asio;
namespace json = boost::json;

EventQueue::EventQueue(const asio::any_io_executor& executor, std::size_t capacity)
    : signal_(executor, asio::steady_timer::time_point::max()), capacity_(capacity) {}

void EventQueue::push(json::value event) {
  if (ended()) {
    return;
  }
  if (events_.size() >= capacity_) {
    end();  // the consumer fell behind: end its stream instead of growing without bound
    return;
  }
  events_.push_back(std::move(event));
  signal_.cancel();
}

void EventQueue::end() {
  ended_ = true;
  signal_.cancel();
}

void EventQueue::close() {
  closed_ = true;
  events_.clear();
  signal_.cancel();
}

asio::awaitable<std::optional<json::value>> EventQueue::next() {
  while (events_.empty() && !ended()) {
    signal_.expires_at(asio::steady_timer::time_point::max());
    waiting_ = true;
    // Woken by cancel(): the error code says so, and the loop looks at the queue anyway.
    co_await signal_.async_wait(asio::as_tuple(asio::use_awaitable));
    waiting_ = false;
  }
  if (closed_ || events_.empty()) {
    co_return std::nullopt;
  }
  std::optional<json::value> event(std::move(events_.front()));
  events_.pop_front();
  co_return event;
}

}  // namespace cubeauth::graphql
