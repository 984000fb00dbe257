#include "store/postgres/postgres_event_channel.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include "common/logging.hpp"

namespace cubeauth::store {
namespace {

constexpr std::size_t kMaxQueued = 10'000;
constexpr std::chrono::milliseconds kFirstRetry{200};
constexpr std::chrono::milliseconds kLongestRetry{5'000};

struct ConnectionDeleter {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
using Connection = std::unique_ptr<PGconn, ConnectionDeleter>;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using QueryResult = std::unique_ptr<PGresult, ResultDeleter>;

class PostgresEventChannel final : public EventChannel {
 public:
  PostgresEventChannel(std::string url, std::string channel)
      : url_(std::move(url)), channel_(std::move(channel)),
        wakeup_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

  ~PostgresEventChannel() override {
    stop();
    if (wakeup_ >= 0) {
      close(wakeup_);
    }
  }

  void start(Receiver receiver) override {
    receiver_ = std::move(receiver);
    thread_ = std::thread([this] { loop(); });
  }

  bool publish(std::string payload) override {
    if (payload.size() > kMaxPayload) {
      return false;
    }
    {
      std::lock_guard lock(mutex_);
      if (outbox_.size() >= kMaxQueued) {
        return false;
      }
      outbox_.push_back(std::move(payload));
    }
    wake();
    return true;
  }

  void stop() override {
    if (stopping_.exchange(true)) {
      return;
    }
    wake();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

 private:
  void wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = write(wakeup_, &one, sizeof one);
  }

  void drain_wakeups() {
    std::uint64_t count = 0;
    while (read(wakeup_, &count, sizeof count) > 0) {
    }
  }

  /// Connects and listens; null (logged once per outage) when that fails.
  Connection connect() {
    // Bounded waits: a database that vanishes without a reset must not stall events
    // (or the shutdown that joins this thread) for the kernel's retransmission timeout.
    // Values in the URL come later and override these.
    const char* keys[] = {"application_name", "connect_timeout", "keepalives", "keepalives_idle",
                          "keepalives_interval", "keepalives_count", "tcp_user_timeout", "dbname", nullptr};
    const char* values[] = {"cubeauth-events", "5", "1", "30", "10", "3", "10000", url_.c_str(), nullptr};
    Connection connection(PQconnectdbParams(keys, values, 1));
    if (!connection || PQstatus(connection.get()) != CONNECTION_OK) {
      note_outage(connection ? PQerrorMessage(connection.get()) : "out of memory");
      return nullptr;
    }
    const std::string listen = "LISTEN \"" + channel_ + "\"";
    QueryResult listened(PQexec(connection.get(), listen.c_str()));
    if (PQresultStatus(listened.get()) != PGRES_COMMAND_OK) {
      note_outage(PQerrorMessage(connection.get()));
      return nullptr;
    }
    if (outage_) {
      log::info("events: listening on PostgreSQL again; events published while it was unreachable are lost");
    }
    outage_ = false;
    return connection;
  }

  void note_outage(const char* why) {
    if (!outage_) {
      log::warn("events: PostgreSQL LISTEN connection failed, retrying: {}", why);
    }
    outage_ = true;
  }

  /// Sends everything queued; false when the connection broke (the rest stays queued).
  bool send_outbox(PGconn* connection) {
    for (;;) {
      std::string payload;
      {
        std::lock_guard lock(mutex_);
        if (outbox_.empty()) {
          return true;
        }
        payload = outbox_.front();
      }
      const char* params[] = {channel_.c_str(), payload.c_str()};
      QueryResult sent(PQexecParams(connection, "SELECT pg_notify($1, $2)", 2, nullptr, params,
                                    nullptr, nullptr, 0));
      if (PQresultStatus(sent.get()) != PGRES_TUPLES_OK) {
        if (PQstatus(connection) != CONNECTION_OK) {
          return false;
        }
        log::error("events: NOTIFY refused, event dropped: {}", PQerrorMessage(connection));
      }
      {
        std::lock_guard lock(mutex_);
        outbox_.pop_front();
      }
      // Incoming notifications are not held back while this process publishes a lot.
      deliver_notifications(connection);
    }
  }

  void deliver_notifications(PGconn* connection) {
    while (PGnotify* notification = PQnotifies(connection)) {
      const std::string_view payload = notification->extra;
      if (receiver_) {
        receiver_(payload);
      }
      PQfreemem(notification);
    }
  }

  /// Waits for the socket, a wakeup or the timeout.
  void wait(int socket, std::chrono::milliseconds timeout) {
    pollfd fds[2] = {{wakeup_, POLLIN, 0}, {socket, POLLIN, 0}};
    const nfds_t count = socket >= 0 ? 2 : 1;
    poll(fds, count, static_cast<int>(timeout.count()));
    if ((fds[0].revents & POLLIN) != 0) {
      drain_wakeups();
    }
  }

  void loop() {
    Connection connection;
    std::chrono::milliseconds retry = kFirstRetry;
    while (!stopping_.load()) {
      if (!connection) {
        connection = connect();
        if (!connection) {
          wait(-1, retry);
          retry = std::min(retry * 2, kLongestRetry);
          continue;
        }
        retry = kFirstRetry;
      }
      PGconn* raw = connection.get();
      if (!send_outbox(raw)) {
        note_outage(PQerrorMessage(raw));
        connection.reset();
        continue;
      }
      deliver_notifications(raw);
      wait(PQsocket(raw), std::chrono::seconds(30));
      if (PQconsumeInput(raw) == 0 || PQstatus(raw) != CONNECTION_OK) {
        note_outage(PQerrorMessage(raw));
        connection.reset();
        continue;
      }
      deliver_notifications(raw);
    }
  }

  std::string url_;
  std::string channel_;
  int wakeup_;
  Receiver receiver_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  bool outage_ = false;  // loop thread only
  std::mutex mutex_;
  std::deque<std::string> outbox_;
};

}  // namespace

std::unique_ptr<EventChannel> make_postgres_event_channel(std::string url, std::string channel) {
  return std::make_unique<PostgresEventChannel>(std::move(url), std::move(channel));
}

}  // namespace cubeauth::store
