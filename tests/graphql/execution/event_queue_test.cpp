#include "graphql/execution/event_queue.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

namespace cubeauth::graphql {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

class EventQueueTest : public ::testing::Test {
 protected:
  ~EventQueueTest() override {
    queue_->close();  // a next() still waiting finishes while the queue lives
    poll();
  }

  /// The next event as JSON text, "end", or "pending" when next() is still waiting.
  std::string next() {
    auto slot = std::make_shared<std::optional<std::optional<json::value>>>();
    asio::co_spawn(io_, queue_->next(),
                   [slot](std::exception_ptr error, std::optional<json::value> event) {
                     ASSERT_FALSE(error);
                     slot->emplace(std::move(event));
                   });
    poll();
    if (!slot->has_value()) {
      pending_ = slot;
      return "pending";
    }
    return **slot ? json::serialize(***slot) : "end";
  }
  void poll() {
    io_.restart();
    io_.poll();
  }

  asio::io_context io_;
  std::shared_ptr<EventQueue> queue_ = std::make_shared<EventQueue>(io_.get_executor(), 2);
  std::shared_ptr<std::optional<std::optional<json::value>>> pending_;
};

TEST_F(EventQueueTest, GivesEventsInOrder) {
  queue_->push(1);
  queue_->push(2);
  EXPECT_EQ(queue_->size(), 2u);
  EXPECT_EQ(next(), "1");
  EXPECT_EQ(next(), "2");
  EXPECT_EQ(next(), "pending");
  EXPECT_TRUE(queue_->waiting());
}

TEST_F(EventQueueTest, WakesAWaitingNextWhenAnEventArrives) {
  EXPECT_EQ(next(), "pending");
  queue_->push("late");
  poll();
  ASSERT_TRUE(pending_->has_value() && **pending_);
  EXPECT_EQ(json::serialize(***pending_), "\"late\"");
  EXPECT_FALSE(queue_->waiting());
}

TEST_F(EventQueueTest, EndDeliversWhatIsQueuedThenEnds) {
  queue_->push(1);
  queue_->end();
  queue_->push(2);  // ignored
  EXPECT_TRUE(queue_->ended());
  EXPECT_EQ(next(), "1");
  EXPECT_EQ(next(), "end");
  EXPECT_EQ(next(), "end");
}

TEST_F(EventQueueTest, EndWakesAWaitingNext) {
  EXPECT_EQ(next(), "pending");
  queue_->end();
  poll();
  ASSERT_TRUE(pending_->has_value());
  EXPECT_FALSE(**pending_);
}

TEST_F(EventQueueTest, CloseDropsQueuedEventsAndWakesAWaitingNext) {
  EXPECT_EQ(next(), "pending");
  queue_->close();
  queue_->close();  // idempotent
  poll();
  ASSERT_TRUE(pending_->has_value());
  EXPECT_FALSE(**pending_);
  queue_ = std::make_shared<EventQueue>(io_.get_executor());
  queue_->push(1);
  queue_->close();
  EXPECT_EQ(queue_->size(), 0u);
  EXPECT_EQ(next(), "end");
}

TEST_F(EventQueueTest, EndsAConsumerThatFallsBehindAfterWhatIsQueued) {
  queue_->push(1);
  queue_->push(2);
  queue_->push(3);  // over capacity 2: the stream ends after 1 and 2
  EXPECT_TRUE(queue_->ended());
  EXPECT_EQ(next(), "1");
  EXPECT_EQ(next(), "2");
  EXPECT_EQ(next(), "end");
}

}  // namespace
}  // namespace cubeauth::graphql
