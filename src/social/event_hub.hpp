// EventHub: relationship events to the subscribers of each user, within this process
// and, through the store's EventChannel (PostgreSQL LISTEN/NOTIFY), in every other
// process sharing the database. Each subscriber is an EventQueue consumed on its own
// connection's executor; publishers on any thread post to it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cubeauth::store {
class EventChannel;
}

namespace cubeauth::social {

class EventHub;

/// One subscriber's pending events. next() and close() run on the queue's executor;
/// push() may be called from any thread.
class EventQueue : public std::enable_shared_from_this<EventQueue> {
 public:
  /// A subscriber this far behind is closed rather than buffered without bound (the
  /// client re-subscribes and re-reads its lists).
  static constexpr std::size_t kMaxPending = 256;

  EventQueue(const boost::asio::any_io_executor& executor, EventHub* hub, std::string user_id);
  ~EventQueue();

  /// The next event, or nullopt once closed (by close(), or for falling behind). Once
  /// the deadline (set_deadline) has passed, the queue closes and next() returns an
  /// expired event once, then nullopt; once the user's access was revoked (revoke()),
  /// a revoked event once (undelivered events dropped), then nullopt.
  boost::asio::awaitable<std::optional<boost::json::value>> next();
  /// Ends the queue at `deadline` (the subscriber's access token expires then).
  void set_deadline(std::chrono::system_clock::time_point deadline) { deadline_ = deadline; }
  /// What next() returns when the deadline passed: {"__expired": true}.
  static bool is_expired_event(const boost::json::value& event);
  /// What next() returns after revoke(): {"__revoked": true}.
  static bool is_revoked_event(const boost::json::value& event);
  /// Ends the queue because its user's access was withdrawn (disabled, deleted, every
  /// session revoked); callable from any thread, like push().
  void revoke();
  /// Unregisters and ends the queue; an outstanding next() returns nullopt. Idempotent.
  void close();
  /// Delivers `event` on the queue's executor.
  void push(std::shared_ptr<const boost::json::value> event);

  const std::string& user_id() const { return user_id_; }

 private:
  friend class EventHub;  // detaches queues that outlive it
  void enqueue(std::shared_ptr<const boost::json::value> event);

  boost::asio::any_io_executor executor_;
  boost::asio::steady_timer wakeup_;
  EventHub* hub_;
  std::string user_id_;
  std::deque<std::shared_ptr<const boost::json::value>> pending_;
  bool closed_ = false;
  bool revoked_ = false;
  std::optional<std::chrono::system_clock::time_point> deadline_;
};

class EventHub {
 public:
  /// `channel` null: events reach only this process's subscribers. The channel, when
  /// given, must be started by the hub (start()) and outlive it.
  explicit EventHub(store::EventChannel* channel = nullptr);
  ~EventHub();
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  /// Starts receiving from the channel (no-op without one).
  void start();
  /// Stops the channel's thread (before the executors of the subscribers go away).
  void stop();

  /// Sends `event` to every subscriber of `user_id`, in every process. Events of one
  /// publisher reach a subscriber in the order they were published.
  void publish(const std::string& user_id, boost::json::value event);

  /// Ends every subscriber of `user_id`, in every process: their access was withdrawn
  /// (auth::AuthService's revocation listener). Each one's next() says so once
  /// (EventQueue::is_revoked_event), then ends.
  void revoke(const std::string& user_id);

  /// A new subscriber of `user_id`'s events, consumed on `executor`.
  std::shared_ptr<EventQueue> subscribe(const std::string& user_id, const boost::asio::any_io_executor& executor);

  /// Subscribers in this process now.
  std::size_t subscriber_count() const;

  /// The wire form between processes: {"p": sender, "u": user_id, "e": event}, where
  /// the sender tag lets a process skip its own messages (it delivered them already),
  /// and {"p": sender, "r": user_id} for revoke(). Anything else heard on the channel
  /// is ignored (a stray NOTIFY must not crash it).
  std::string message_text(const std::string& user_id, const boost::json::value& event) const;
  std::string revocation_text(const std::string& user_id) const;

 private:
  friend class EventQueue;
  void deliver_local(const std::string& user_id, std::shared_ptr<const boost::json::value> event);
  void revoke_local(const std::string& user_id);
  /// This process's live subscribers of `user_id`.
  std::vector<std::shared_ptr<EventQueue>> queues_of(const std::string& user_id) const;
  void receive(std::string_view message);
  void unregister(const EventQueue* queue);

  store::EventChannel* channel_;
  std::string sender_;  // random per process
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::vector<std::weak_ptr<EventQueue>>> subscribers_;
  std::size_t count_ = 0;
};

}  // namespace cubeauth::social
