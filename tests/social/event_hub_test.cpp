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

TEST(EventHub, RevokingAUserEndsEachOfItsSubscribersWithOneRevokedEvent) {
  EventHub hub;
  asio::io_context io;
  auto phone = hub.subscribe("alice", io.get_executor());
  auto laptop = hub.subscribe("alice", io.get_executor());
  auto bob = hub.subscribe("bob", io.get_executor());
  std::vector<std::string> phone_events, laptop_events, bob_events;
  bool phone_ended = false, laptop_ended = false, bob_ended = false;
  asio::co_spawn(io, read_events(phone, 3, &phone_events, &phone_ended), asio::detached);
  io.poll();  // the phone waits in next(); the laptop has not asked yet
  hub.publish("alice", boost::json::value(1));
  io.poll();  // the phone reads it; the laptop's copy waits
  std::thread revoker([&] { hub.revoke("alice"); });  // from a request's thread
  revoker.join();
  hub.publish("alice", boost::json::value("after"));  // never delivered
  io.run();
  ASSERT_EQ(phone_events.size(), 2u);
  EXPECT_EQ(phone_events[0], "1");
  EXPECT_TRUE(EventQueue::is_revoked_event(boost::json::parse(phone_events[1])));
  EXPECT_FALSE(EventQueue::is_expired_event(boost::json::parse(phone_events[1])));
  EXPECT_TRUE(phone_ended);

  // The laptop's undelivered event is dropped: the revocation is all it hears.
  io.restart();
  asio::co_spawn(io, read_events(laptop, 3, &laptop_events, &laptop_ended), asio::detached);
  io.run();
  ASSERT_EQ(laptop_events.size(), 1u);
  EXPECT_TRUE(EventQueue::is_revoked_event(boost::json::parse(laptop_events[0])));
  EXPECT_TRUE(laptop_ended);

  // Bob is untouched.
  hub.publish("bob", boost::json::value(2));
  io.restart();
  asio::co_spawn(io, read_events(bob, 1, &bob_events, &bob_ended), asio::detached);
  io.run();
  EXPECT_EQ(bob_events, std::vector<std::string>{"2"});
  EXPECT_FALSE(bob_ended);
  EXPECT_EQ(hub.subscriber_count(), 1u);

  // A later subscription of Alice's (a new sign-in) lives on.
  auto again = hub.subscribe("alice", io.get_executor());
  std::vector<std::string> again_events;
  bool again_ended = false;
  hub.publish("alice", boost::json::value(3));
  io.restart();
  asio::co_spawn(io, read_events(again, 1, &again_events, &again_ended), asio::detached);
  io.run();
  EXPECT_EQ(again_events, std::vector<std::string>{"3"});
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

TEST(EventHub, ARevocationGoesThroughTheChannelAndEndsTheSubscribersOfEveryProcess) {
  LoopbackChannel channel;
  EventHub hub(&channel);
  hub.start();
  asio::io_context io;
  auto queue = hub.subscribe("alice", io.get_executor());
  std::vector<std::string> events;
  bool ended = false;
  asio::co_spawn(io, read_events(queue, 2, &events, &ended), asio::detached);
  io.poll();
  // Another process revokes Alice: its message reaches this hub through the channel.
  const EventHub another_process;
  channel.publish(another_process.revocation_text("alice"));
  io.run();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(EventQueue::is_revoked_event(boost::json::parse(events[0])));
  EXPECT_TRUE(ended);

  // This hub's own revocation goes out for the others.
  channel.sent.clear();
  hub.revoke("bob");
  ASSERT_EQ(channel.sent.size(), 1u);
  const auto sent = boost::json::parse(channel.sent[0]);
  EXPECT_EQ(sent.at("r"), "bob");
  EXPECT_FALSE(sent.as_object().contains("e"));
}

}  // namespace
}  // namespace cubeauth::social
