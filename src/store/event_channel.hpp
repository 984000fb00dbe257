// EventChannel: messages between the cubeauth processes sharing one database, so an
// event caused through one process reaches subscribers connected to another. Only
// PostgreSQL has one (LISTEN/NOTIFY); with SQLite and MongoDB events stay within the
// process that caused them (UserStore::open_event_channel gives null).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace cubeauth::store {

class EventChannel {
 public:
  using Receiver = std::function<void(std::string_view payload)>;

  virtual ~EventChannel() = default;

  /// Starts the channel's own thread and connection; `receiver` gets every payload
  /// published by any process, this one included, on that thread, in publication order
  /// per publisher. While the database is unreachable the channel reconnects by itself;
  /// messages published meanwhile by other processes are lost (notifications are not
  /// stored), which it logs.
  virtual void start(Receiver receiver) = 0;

  /// Queues `payload` (at most kMaxPayload bytes) for every listener; returns at once.
  /// false when it is refused: too long, or the queue is full because the database has
  /// been unreachable for a while.
  virtual bool publish(std::string payload) = 0;

  /// Stops the thread; undelivered messages are dropped. Idempotent.
  virtual void stop() = 0;

  /// PostgreSQL's NOTIFY payload limit is 8000 bytes.
  static constexpr std::size_t kMaxPayload = 7900;
};

}  // namespace cubeauth::store
