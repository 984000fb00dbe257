// The schema the graphql-transport-ws tests serve (gtest and the graphql-ws npm client):
// subscriptions fed by test event streams, a query that needs the connection's user, a field
// that fails, and a mutation that publishes to the subscribers of a topic on any thread.
#pragma once

#include "api/graphql_ws_session.hpp"
#include "graphql/execution/subscribe.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/value.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace cubeauth::graphql {
class Service;
}

namespace cubeauth::testing {

/// A source event stream fed on its executor: push() events, end() the source.
class TestEventStream final : public graphql::EventStream,
                              public std::enable_shared_from_this<TestEventStream> {
 public:
  explicit TestEventStream(boost::asio::any_io_executor executor) : signal_(std::move(executor)) {}

  void push(boost::json::value event);
  void end();
  boost::asio::awaitable<std::optional<boost::json::value>> next() override;
  void close() override;
  /// Readable from any thread.
  bool closed() const { return closed_.load(); }
  const boost::asio::any_io_executor& executor() { return signal_.get_executor(); }

 private:
  boost::asio::steady_timer signal_;  // waited on without a deadline; cancel() wakes next()
  std::deque<boost::json::value> events_;
  bool ended_ = false;
  std::atomic<bool> closed_{false};
};

/// The subscribers of each topic, across threads.
class TopicHub {
 public:
  void add(const std::string& topic, const std::shared_ptr<TestEventStream>& stream);
  /// Posts `event` to every open stream of `topic`; how many there were.
  std::size_t publish(const std::string& topic, const boost::json::value& event);
  /// The open streams of `topic`.
  std::size_t count(const std::string& topic);

 private:
  std::mutex mutex_;
  std::multimap<std::string, std::weak_ptr<TestEventStream>> streams_;
};

/// The user the authentication hook puts into each operation's context.
struct TestUser {
  std::string name;
};

/// type Query { hello(name: String): String!  whoami: String  fail: String }
/// type Mutation { publish(topic: String!, text: String!): Int! }
/// type Subscription { count(to: Int!): Int!  messages(topic: String!): Message! }
std::shared_ptr<const graphql::Service> make_test_service(std::shared_ptr<TopicHub> hub);

/// Accepts connection_init payloads with {"token": "let-me-in"} (user: payload.user or
/// "tester", echoed in the ack), refuses any other.
api::GraphqlWsOptions test_ws_options(std::chrono::milliseconds init_timeout);

}  // namespace cubeauth::testing
