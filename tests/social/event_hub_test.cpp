// EventHub: each user's subscribers get that user's events, in order, from any
// thread; a closed or slow subscriber ends cleanly; with a channel, events go out
// through it and come back to this process's subscribers from there.
#include "social/event_hub.hpp"

#include "store/event_channel.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <thread>

namespace cubeauth::social {
namespace {

namespace asio = boost::asio;

/// Reads `count` events (or until the queue ends) into `into`.
asio::awaitable<void> read_events(std::shared_ptr<EventQueue> queue, std::size_t count,
                                  std::vector<std::string>* into, bool* ended) {
  while (into->size() < count) {
    auto event = co_await queue->next();
    if (!event) {
      *ended = true;
      co_return;
    }
    into->push_back(boost::json::serialize(*event));
  }
}

TEST(EventHub, ASubscriberGetsItsUsersEventsInOrderAndNoOneElses) {
  EventHub hub;
  asio::io_context io;
  auto alice = hub.subscribe("alice", io.get_executor());
  auto bob = hub.subscribe("bob", io.get_executor());
  std::vector<std::string> alice_events, bob_events;
  bool alice_ended = false, bob_ended = false;
  asio::co_spawn(io, read_events(alice, 3, &alice_events, &alice_ended), asio::detached);
  asio::co_spawn(io, read_events(bob, 1, &bob_events, &bob_ended), asio::detached);
  // Published from another thread, as a request on another I/O thread would.
  std::thread publisher([&] {
    hub.publish("alice", boost::json::value(1));
    hub.publish("bob", boost::json::value("b"));
    hub.publish("alice", boost::json::value(2));
    hub.publish("carol", boost::json::value("nobody listens"));
    hub.publish("alice", boost::json::value(3));
  });
  publisher.join();
  io.run();
  EXPECT_EQ(alice_events, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(bob_events, (std::vector<std::string>{"\"b\""}));
  EXPECT_FALSE(alice_ended);
  EXPECT_EQ(hub.subscriber_count(), 2u);
}

TEST(EventHub, ClosingEndsAPendingNextAndUnregisters) {
  EventHub hub;
  asio::io_context io;
  auto queue = hub.subscribe("alice", io.get_executor());
  std::vector<std::string> events;
  bool ended = false;
  asio::co_spawn(io, read_events(queue, 1, &events, &ended), asio::detached);
  io.poll();  // the reader now waits
  EXPECT_FALSE(ended);
  queue->close();
  io.run();
  EXPECT_TRUE(ended);
  EXPECT_TRUE(events.empty());
  EXPECT_EQ(hub.subscriber_count(), 0u);
  hub.publish("alice", boost::json::value(1));  // nobody to deliver to: nothing happens
}

TEST(EventHub, ADestroyedSubscriberIsForgotten) {
  EventHub hub;
  asio::io_context io;
  hub.subscribe("alice", io.get_executor());  // dropped at once
  EXPECT_EQ(hub.subscriber_count(), 0u);
  auto kept = hub.subscribe("alice", io.get_executor());
  EXPECT_EQ(hub.subscriber_count(), 1u);
}

TEST(EventHub, ASubscriberThatFallsTooFarBehindIsClosed) {
  EventHub hub;
  asio::io_context io;
  auto queue = hub.subscribe("alice", io.get_executor());
  for (std::size_t i = 0; i <= EventQueue::kMaxPending; ++i) {
    hub.publish("alice", boost::json::value(i));
  }
  io.run();  // delivers every event; the last one overflows the queue
  std::vector<std::string> events;
  bool ended = false;
  asio::co_spawn(io, read_events(queue, 1, &events, &ended), asio::detached);
  io.restart();
  io.run();
  EXPECT_TRUE(ended);
  EXPECT_TRUE(events.empty());
  EXPECT_EQ(hub.subscriber_count(), 0u);
}

TEST(EventHub, AQueuePastItsDeadlineSaysSoOnceThenEnds) {
  EventHub hub;
  asio::io_context io;
  auto queue = hub.subscribe("alice", io.get_executor());
  queue->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(50));
  std::vector<std::string> events;
  bool ended = false;
  asio::co_spawn(io, read_events(queue, 2, &events, &ended), asio::detached);
  io.run();  // the wait ends at the deadline
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(EventQueue::is_expired_event(boost::json::parse(events[0])));
  EXPECT_TRUE(ended);
  EXPECT_EQ(hub.subscriber_count(), 0u);
}

/// A channel that loops messages back, like NOTIFY to a process that also LISTENs.
class LoopbackChannel final : public store::EventChannel {
 public:
  void start(Receiver receiver) override { receiver_ = std::move(receiver); }
  bool publish(std::string payload) override {
    sent.push_back(payload);
    if (refuse) {
      return false;
    }
    receiver_(payload);
    return true;
  }
  void stop() override { stopped = true; }

  std::vector<std::string> sent;
  bool refuse = false;
  bool stopped = false;

 private:
  Receiver receiver_;
};

TEST(EventHub, WithAChannelEventsGoOutThroughItAndLocalSubscribersGetThemOnce) {
  LoopbackChannel channel;
  {
    EventHub hub(&channel);
    hub.start();
    asio::io_context io;
    auto queue = hub.subscribe("alice", io.get_executor());
    std::vector<std::string> events;
    bool ended = false;
    asio::co_spawn(io, read_events(queue, 2, &events, &ended), asio::detached);
    hub.publish("alice", boost::json::parse(R"({"kind":"ACCEPTED"})"));
    channel.refuse = true;  // the channel is full: delivered here only, not lost here
    hub.publish("alice", boost::json::value(7));
    io.run();
    ASSERT_EQ(channel.sent.size(), 2u);
    const auto sent = boost::json::parse(channel.sent[0]);
    EXPECT_EQ(sent.at("u"), "alice");
    EXPECT_EQ(sent.at("e"), boost::json::parse(R"({"kind":"ACCEPTED"})"));
    // Delivered here once, although the channel brought the first one back too.
    EXPECT_EQ(events, (std::vector<std::string>{R"({"kind":"ACCEPTED"})", "7"}));
  }
  EXPECT_TRUE(channel.stopped);
}

TEST(EventHub, MessagesThatAreNotEventsAreIgnored) {
  LoopbackChannel channel;
  EventHub hub(&channel);
  hub.start();
  asio::io_context io;
  auto queue = hub.subscribe("alice", io.get_executor());
  for (const char* stray : {"", "not json", "[]", R"({"u":1,"e":2})", R"({"u":"alice"})"}) {
    channel.publish(stray);
  }
  io.poll();
  io.restart();
  std::vector<std::string> events;
  bool ended = false;
  asio::co_spawn(io, read_events(queue, 1, &events, &ended), asio::detached);
  const EventHub another_process;
  channel.publish(another_process.message_text("alice", boost::json::value("real")));
  io.run();
  EXPECT_EQ(events, (std::vector<std::string>{"\"real\""}));
}

}  // namespace
}  // namespace cubeauth::social
