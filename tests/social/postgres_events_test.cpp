// EventHub over PostgreSQL LISTEN/NOTIFY: two hubs on one database stand for two
// cubeauth processes; an event published through either reaches the subscribers of
// both, in publication order, a message on the channel that is not an event
// (someone's stray NOTIFY) is ignored, and a revocation through one ends the user's
// subscribers on the other.
#include "social/event_hub.hpp"

#include "store/postgres/postgres_env.hpp"
#include "store/postgres/postgres_event_channel.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <iterator>

namespace cubeauth::social {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

/// Every event of `queue` until it ends. (Not a fixed count: a publisher's own subscribers
/// hear its probes at once, and more of them while the other side's LISTEN is slow to start.)
asio::awaitable<void> read_events(std::shared_ptr<EventQueue> queue, std::vector<std::string>* into) {
  for (;;) {
    auto event = co_await queue->next();
    if (!event) {
      co_return;
    }
    into->push_back(boost::json::serialize(*event));
  }
}

/// Runs `io` until `done` or the deadline.
template <class Done>
void run_until(asio::io_context& io, Done done, std::chrono::milliseconds deadline = 10s) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.restart();
    io.run_for(20ms);
  }
}

TEST(PostgresEvents, AnEventPublishedThroughEitherProcessReachesTheSubscribersOfBoth) {
  const std::string url = store::testing::postgres_url();
  if (url.empty()) {
    GTEST_SKIP() << store::testing::kNoPostgres;
  }
  // A channel name of this test's own, so that parallel tests do not hear it.
  const std::string channel = "cubeauth_test_" + std::to_string(::getpid());
  // The subscribers' io_context outlives the hubs: a hub's channel thread can hold the
  // last reference to a queue (whose timer belongs to `io`) until the hub stops it.
  asio::io_context io;
  auto first_channel = store::make_postgres_event_channel(url, channel);
  auto second_channel = store::make_postgres_event_channel(url, channel);
  EventHub first(first_channel.get());
  EventHub second(second_channel.get());
  first.start();
  second.start();

  std::vector<std::string> on_first, on_second;
  auto first_queue = first.subscribe("alice", io.get_executor());
  auto second_queue = second.subscribe("alice", io.get_executor());
  asio::co_spawn(io, read_events(first_queue, &on_first), asio::detached);
  asio::co_spawn(io, read_events(second_queue, &on_second), asio::detached);

  // LISTEN happens on each channel's own thread: publish until both hear a probe.
  std::vector<std::string> expected;
  run_until(io, [&] {
    if (!on_first.empty() && !on_second.empty()) {
      return true;
    }
    first.publish("alice", boost::json::value("probe"));
    return false;
  });
  ASSERT_FALSE(on_first.empty()) << "the first process never heard its own NOTIFY";
  ASSERT_FALSE(on_second.empty()) << "the second process never heard the first's NOTIFY";
  on_first.clear();
  on_second.clear();
  io.restart();
  io.run_for(200ms);  // late probes
  on_first.clear();
  on_second.clear();

  // A stray NOTIFY on the channel changes nothing.
  {
    PGconn* raw = PQconnectdb(url.c_str());
    ASSERT_EQ(PQstatus(raw), CONNECTION_OK);
    const std::string stray = "NOTIFY " + channel + ", 'not an event'";
    PQclear(PQexec(raw, stray.c_str()));
    PQfinish(raw);
  }
  second.publish("alice", boost::json::value(1));
  first.publish("bob", boost::json::value("for bob"));
  second.publish("alice", boost::json::value(2));
  second.publish("alice", boost::json::value(3));
  // A probe's NOTIFY can still arrive late on a loaded machine: it is not what is tested here.
  const auto events = [](const std::vector<std::string>& heard) {
    std::vector<std::string> kept;
    std::copy_if(heard.begin(), heard.end(), std::back_inserter(kept),
                 [](const std::string& event) { return event != "\"probe\""; });
    return kept;
  };
  run_until(io, [&] { return events(on_first).size() >= 3 && events(on_second).size() >= 3; });
  io.restart();
  io.run_for(100ms);  // anything more would be a duplicate
  EXPECT_EQ(events(on_first), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(events(on_second), (std::vector<std::string>{"1", "2", "3"}));
  first_queue->close();
  second_queue->close();

  // Carol is disabled through the second process: her subscription on the first ends.
  std::vector<std::string> carol_events;
  auto carol_queue = first.subscribe("carol", io.get_executor());
  asio::co_spawn(io, read_events(carol_queue, &carol_events), asio::detached);
  second.revoke("carol");
  run_until(io, [&] { return !carol_events.empty(); });
  ASSERT_EQ(carol_events.size(), 1u);
  EXPECT_TRUE(EventQueue::is_revoked_event(boost::json::parse(carol_events[0])));
}

}  // namespace
}  // namespace cubeauth::social
