#include "graphql/execution/subscribe.hpp"

#include "graphql/execution/event_queue.hpp"
#include "graphql/request/service.hpp"
#include "graphql/response/write_response.hpp"
#include "graphql/support/run_query.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace cubeauth::graphql {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr std::string_view kSdl = R"(
  type Query { hello: String }
  type Mutation { bump: Int }
  type Subscription {
    message(room: String!): Message
    count: Int!
    echo: String
    closedRoom: String
    throwing: String
    unbound: String
  }
  type Message { room: String! text: String! author: String }
)";

template <class T>
asio::awaitable<void> fill(std::shared_ptr<std::optional<T>> slot, asio::awaitable<T> work) {
  T value = co_await std::move(work);
  slot->emplace(std::move(value));
}

/// Spawns `work` on `io`; the slot fills in when it completes. (The value is stored by a
/// coroutine rather than passed to the completion handler: g++ 12 -O3 warns, wrongly, that a
/// Response moved through asio's handler binder may be used uninitialized.)
template <class T>
std::shared_ptr<std::optional<T>> spawn(asio::io_context& io, asio::awaitable<T> work) {
  auto slot = std::make_shared<std::optional<T>>();
  asio::co_spawn(io, fill(slot, std::move(work)),
                 [](std::exception_ptr error) { ASSERT_FALSE(error); });
  return slot;
}

/// Runs what is ready, without waiting for anything (the queues never time out).
void poll(asio::io_context& io) {
  io.restart();
  io.poll();
}

class SubscribeTest : public ::testing::Test {
 protected:
  SubscribeTest() {
    schema_ = testing::make_schema(kSdl);
    // Each subscribe creates a queue the test pushes into.
    auto queue_subscriber =
        [this](const ResolveParams& params) -> asio::awaitable<SubscribeOutcome> {
      if (params.arg("room") == json::value("closed")) {
        co_return unexpected(FieldError("Room is closed.", "FORBIDDEN"));
      }
      auto executor = co_await asio::this_coro::executor;
      auto queue = std::make_shared<EventQueue>(executor);
      queues_.push_back(queue);
      co_return queue;
    };
    for (const char* field : {"Subscription.message", "Subscription.count", "Subscription.echo"}) {
      bind_subscriber(field, queue_subscriber);
    }
    bind_subscriber("Subscription.closedRoom",
                    [](const ResolveParams&) -> asio::awaitable<SubscribeOutcome> {
                      co_return unexpected(FieldError("No entry.", "FORBIDDEN"));
                    });
    bind_subscriber("Subscription.throwing",
                    [](const ResolveParams&) -> asio::awaitable<SubscribeOutcome> {
                      throw std::runtime_error("database on fire");
                    });
    // The root field's resolver maps each event: here it adds the room argument.
    testing::bind(*schema_, "Subscription.message",
                  [](const ResolveParams& params) -> ResolverResult {
                    json::object message = params.parent.as_object();
                    message["room"] = params.arg("room");
                    return json::value(std::move(message));
                  });
    // A failing resolver below the root field, and an asynchronous one.
    testing::bind(*schema_, "Message.text", [](const ResolveParams& params) -> ResolverResult {
      const json::value& text = params.parent.as_object().at("text");
      if (text == json::value("boom")) {
        return FieldError("Text exploded.", "BOOM");
      }
      return text;
    });
    testing::bind(*schema_, "Message.author", [](const ResolveParams& params) -> ResolverResult {
      json::value author = params.parent.as_object().at("author");
      return [](json::value value) -> asio::awaitable<FieldOutcome> {
        co_return value;
      }(std::move(author));
    });
    testing::bind(*schema_, "Query.hello",
                  [](const ResolveParams&) -> ResolverResult { return "world"; });
    testing::bind(*schema_, "Mutation.bump",
                  [](const ResolveParams&) -> ResolverResult { return 1; });
    service_.emplace(schema_);
  }

  void bind_subscriber(std::string_view coordinate, Subscriber subscriber) {
    auto bound = schema_->bind_subscriber(coordinate, std::move(subscriber));
    ASSERT_TRUE(bound) << bound.error();
  }

  /// Service::subscribe, run until it answers.
  Result<std::unique_ptr<Subscription>, Response> subscribe(std::string_view query,
                                                            std::string_view variables = "{}",
                                                            std::string_view operation = {}) {
    auto slot = spawn(io_, start(query, variables, operation));
    poll(io_);
    EXPECT_TRUE(slot->has_value()) << "subscribe did not complete";
    if (!slot->has_value()) {
      return unexpected(Response{});
    }
    return std::move(**slot);
  }

  /// The JSON of the subscription's next response, or "end".
  std::string next(Subscription& subscription) {
    auto slot = spawn(io_, subscription.next());
    poll(io_);
    EXPECT_TRUE(slot->has_value()) << "next() is still waiting";
    if (!slot->has_value()) {
      return "pending";
    }
    return **slot ? write_response(***slot) : "end";
  }

  EventQueue& queue(std::size_t index = 0) {
    EXPECT_LT(index, queues_.size());
    return *queues_.at(index);
  }

  asio::io_context io_;
  std::shared_ptr<Schema> schema_;
  std::optional<Service> service_;
  std::vector<std::shared_ptr<EventQueue>> queues_;

 private:
  asio::awaitable<Result<std::unique_ptr<Subscription>, Response>> start(
      std::string_view query, std::string_view variables, std::string_view operation) {
    json::object parsed = json::parse(variables).as_object();
    auto context = std::make_shared<RequestContext>();
    auto outcome = co_await service_->subscribe(query, parsed, operation, context);
    co_return outcome;
  }
};

// --- request errors ------------------------------------------------------------------------------

TEST_F(SubscribeTest, ReportsASyntaxErrorAsARequestError) {
  auto outcome = subscribe("subscription { echo");
  ASSERT_FALSE(outcome);
  EXPECT_EQ(write_response(outcome.error()),
            R"({"errors":[{"message":"Syntax Error: Expected Name, found <EOF>.",)"
            R"("locations":[{"line":1,"column":20}]}]})");
}

TEST_F(SubscribeTest, ReportsValidationErrorsAsARequestError) {
  auto outcome = subscribe("subscription { echo count }");
  ASSERT_FALSE(outcome);
  EXPECT_EQ(write_response(outcome.error()),
            R"({"errors":[{"message":"Anonymous Subscription must select only one top level )"
            R"(field.","locations":[{"line":1,"column":21}]}]})");
  EXPECT_TRUE(queues_.empty());
}

TEST_F(SubscribeTest, ChecksTheServicesLimits) {
  ServiceOptions options;
  options.limits.max_document_bytes = 16;
  service_.emplace(schema_, options);
  auto outcome = subscribe("subscription { echo }");
  ASSERT_FALSE(outcome);
  EXPECT_EQ(write_response(outcome.error()),
            R"({"errors":[{"message":"Syntax Error: Document is larger than 16 bytes. )"
            R"(Parsing aborted."}]})");
}

TEST_F(SubscribeTest, UsesTheServicesDocumentCache) {
  ASSERT_TRUE(subscribe("subscription { echo }"));
  ASSERT_TRUE(subscribe("subscription { echo }"));
  EXPECT_EQ(service_->cache().hits(), 1u);
}

TEST_F(SubscribeTest, ReportsAnUnknownOperationAsARequestError) {
  auto outcome = subscribe("subscription A { echo }", "{}", "B");
  ASSERT_FALSE(outcome);
  EXPECT_EQ(write_response(outcome.error()),
            R"({"errors":[{"message":"Unknown operation named \"B\"."}]})");
}

TEST_F(SubscribeTest, ReportsBadVariablesAsARequestError) {
  auto outcome = subscribe("subscription ($room: String!) { message(room: $room) { text } }");
  ASSERT_FALSE(outcome);
  EXPECT_EQ(write_response(outcome.error()),
            R"({"errors":[{"message":"Variable \"$room\" of required type \"String!\" was not )"
            R"(provided.","locations":[{"line":1,"column":15}]}]})");
  EXPECT_TRUE(queues_.empty());
}

TEST_F(SubscribeTest, ReportsBadVariablesOfAQueryAsARequestError) {
  auto outcome = subscribe("query ($n: Int) { hello }", R"({"n":"x"})");
  ASSERT_FALSE(outcome);
  EXPECT_FALSE(outcome.error().data);
  ASSERT_EQ(outcome.error().errors.size(), 1u);
}

TEST_F(SubscribeTest, RefusesARootFieldLeftOutBySkip) {
  // Validation counts root fields without variable values; at run time none is left.
  auto outcome =
      subscribe("subscription S($skip: Boolean!) { echo @skip(if: $skip) }", R"({"skip":true})");
  ASSERT_FALSE(outcome);
  EXPECT_EQ(write_response(outcome.error()),
            R"({"errors":[{"message":"Subscription \"S\" must not leave out its top level field )"
            R"(with @skip or @include.","locations":[{"line":1,"column":1}]}]})");
  EXPECT_TRUE(queues_.empty());
}

TEST_F(SubscribeTest, SubscribesWhenSkipOrIncludeKeepTheRootField) {
  auto skipped_not =
      subscribe("subscription ($skip: Boolean!) { echo @skip(if: $skip) }", R"({"skip":false})");
  ASSERT_TRUE(skipped_not);
  auto included = subscribe("subscription { echo @include(if: true) }");
  ASSERT_TRUE(included);
  EXPECT_EQ(queues_.size(), 2u);
}

// --- the root field's subscriber fails ---------------------------------------------------------

TEST_F(SubscribeTest, GivesTheSubscribersFieldErrorAsOneResponse) {
  auto outcome = subscribe("subscription { closedRoom }");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(next(**outcome),
            R"({"errors":[{"message":"No entry.","locations":[{"line":1,"column":16}],)"
            R"("path":["closedRoom"],"extensions":{"code":"FORBIDDEN"}}],"data":null})");
  EXPECT_EQ(next(**outcome), "end");
}

TEST_F(SubscribeTest, PassesCoercedArgumentsToTheSubscriber) {
  auto outcome = subscribe(R"(subscription { alias: message(room: "closed") { text } })");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(next(**outcome),
            R"({"errors":[{"message":"Room is closed.","locations":[{"line":1,"column":16}],)"
            R"("path":["alias"],"extensions":{"code":"FORBIDDEN"}}],"data":null})");
  EXPECT_EQ(next(**outcome), "end");
}

TEST_F(SubscribeTest, AnswersAFieldWithoutSubscriberWithAnInternalError) {
  auto outcome = subscribe("subscription { unbound }");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(next(**outcome),
            R"({"errors":[{"message":"Internal server error","locations":[{"line":1,)"
            R"("column":16}],"path":["unbound"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],)"
            R"("data":null})");
  EXPECT_EQ(next(**outcome), "end");
}

TEST_F(SubscribeTest, TurnsASubscribersExceptionIntoAnInternalError) {
  auto outcome = subscribe("subscription { throwing }");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(next(**outcome),
            R"({"errors":[{"message":"Internal server error","locations":[{"line":1,)"
            R"("column":16}],"path":["throwing"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],)"
            R"("data":null})");
}

// --- queries and mutations -------------------------------------------------------------------

TEST_F(SubscribeTest, AnswersAQueryOnceThenEnds) {
  auto outcome = subscribe("{ hello }");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(next(**outcome), R"({"data":{"hello":"world"}})");
  EXPECT_EQ(next(**outcome), "end");
}

TEST_F(SubscribeTest, AnswersAMutationOnceThenEnds) {
  auto outcome = subscribe("mutation M { bump } query Q { hello }", "{}", "M");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(next(**outcome), R"({"data":{"bump":1}})");
  EXPECT_EQ(next(**outcome), "end");
}

// --- events
// ---------------------------------------------------------------------------------------

TEST_F(SubscribeTest, ExecutesEachEventWithTheRootFieldsResolver) {
  auto outcome = subscribe(R"(subscription { message(room: "a") { room text author } })");
  ASSERT_TRUE(outcome);
  auto& subscription = **outcome;
  auto first = spawn(io_, subscription.next());
  poll(io_);
  EXPECT_FALSE(first->has_value());  // no event yet
  queue().push(json::parse(R"({"text":"hi","author":"ann"})"));
  queue().push(json::parse(R"({"text":"again","author":null})"));
  poll(io_);
  ASSERT_TRUE(first->has_value() && **first);
  EXPECT_EQ(write_response(***first),
            R"({"data":{"message":{"room":"a","text":"hi","author":"ann"}}})");
  EXPECT_EQ(next(subscription),
            R"({"data":{"message":{"room":"a","text":"again","author":null}}})");
  queue().end();
  EXPECT_EQ(next(subscription), "end");
}

TEST_F(SubscribeTest, ReadsTheEventsPropertyWithoutAResolver) {
  auto outcome = subscribe("subscription { n: count }");
  ASSERT_TRUE(outcome);
  queue().push(json::parse(R"({"count":7})"));
  EXPECT_EQ(next(**outcome), R"({"data":{"n":7}})");
}

TEST_F(SubscribeTest, PropagatesNullsAndLocatesErrorsOfAnEvent) {
  auto count = subscribe("subscription { count }");
  ASSERT_TRUE(count);
  queue(0).push(json::parse(R"({"other":1})"));
  EXPECT_EQ(
      next(**count),
      R"({"errors":[{"message":"Cannot return null for non-nullable field )"
      R"(Subscription.count.","locations":[{"line":1,"column":16}],"path":["count"]}],"data":null})");
  queue(0).push(json::parse(R"({"count":2})"));
  EXPECT_EQ(next(**count), R"({"data":{"count":2}})");  // one bad event does not end the stream

  auto message = subscribe(R"(subscription { message(room: "b") { text } })");
  ASSERT_TRUE(message);
  queue(1).push(json::parse(R"({"text":"boom","author":null})"));
  EXPECT_EQ(next(**message),
            R"({"errors":[{"message":"Text exploded.","locations":[{)"
            R"("line":1,"column":37}],"path":["message","text"],"extensions":{"code":"BOOM"}}],)"
            R"("data":{"message":null}})");
}

TEST_F(SubscribeTest, UsesVariablesForTheSubscriberAndEachEvent) {
  auto outcome = subscribe(
      "subscription S($room: String!, $withAuthor: Boolean = false) {"
      " message(room: $room) { room author @include(if: $withAuthor) } }",
      R"({"room":"vars","withAuthor":true})");
  ASSERT_TRUE(outcome);
  queue().push(json::parse(R"({"text":"x","author":"bo"})"));
  EXPECT_EQ(next(**outcome), R"({"data":{"message":{"room":"vars","author":"bo"}}})");
}

TEST_F(SubscribeTest, KeepsItsOwnSubscriptionsApart) {
  auto a = subscribe(R"(subscription { message(room: "a") { room } })");
  auto b = subscribe(R"(subscription { message(room: "b") { room } })");
  ASSERT_TRUE(a && b);
  queue(1).push(json::parse(R"({"text":"x"})"));
  EXPECT_EQ(next(**b), R"({"data":{"message":{"room":"b"}}})");
  auto pending = spawn(io_, (*a)->next());
  poll(io_);
  EXPECT_FALSE(pending->has_value());
  (*a)->close();
  poll(io_);
  ASSERT_TRUE(pending->has_value());
}

// --- lifetime
// -------------------------------------------------------------------------------------

TEST_F(SubscribeTest, CloseEndsAPendingNext) {
  auto outcome = subscribe("subscription { echo }");
  ASSERT_TRUE(outcome);
  auto pending = spawn(io_, (*outcome)->next());
  poll(io_);
  ASSERT_FALSE(pending->has_value());
  EXPECT_TRUE(queue().waiting());
  (*outcome)->close();
  EXPECT_TRUE(queue().ended());
  queue().push(json::parse(R"({"echo":"late"})"));  // ignored: the stream is closed
  poll(io_);
  ASSERT_TRUE(pending->has_value());
  EXPECT_FALSE(**pending);
  EXPECT_EQ(next(**outcome), "end");
  (*outcome)->close();  // idempotent
}

TEST_F(SubscribeTest, CloseDropsAnEventAlreadyQueued) {
  auto outcome = subscribe("subscription { echo }");
  ASSERT_TRUE(outcome);
  queue().push(json::parse(R"({"echo":"queued"})"));
  (*outcome)->close();
  EXPECT_EQ(next(**outcome), "end");
}

TEST_F(SubscribeTest, DestroyingTheSubscriptionEndsAPendingNext) {
  auto outcome = subscribe("subscription { echo }");
  ASSERT_TRUE(outcome);
  std::unique_ptr<Subscription> subscription = std::move(*outcome);
  auto pending = spawn(io_, subscription->next());
  poll(io_);
  ASSERT_FALSE(pending->has_value());
  std::weak_ptr<EventQueue> stream = queues_.front();
  queues_.clear();
  subscription.reset();  // the pending next() still holds what it uses
  EXPECT_FALSE(stream.expired());
  poll(io_);
  ASSERT_TRUE(pending->has_value());
  EXPECT_FALSE(**pending);
  EXPECT_TRUE(stream.expired());  // released with the last coroutine
}

TEST_F(SubscribeTest, ANextCreatedBeforeDestructionIsSafeToAwaitAfter) {
  auto outcome = subscribe("subscription { echo }");
  ASSERT_TRUE(outcome);
  std::unique_ptr<Subscription> subscription = std::move(*outcome);
  auto work = subscription->next();
  subscription.reset();
  auto result = spawn(io_, std::move(work));
  poll(io_);
  ASSERT_TRUE(result->has_value());
  EXPECT_FALSE(**result);
}

TEST_F(SubscribeTest, OutlivesTheServiceAndTheSchemaHandle) {
  auto outcome = subscribe(R"(subscription { message(room: "z") { room text } })");
  ASSERT_TRUE(outcome);
  service_.reset();
  schema_.reset();
  queue().push(json::parse(R"({"text":"still here"})"));
  EXPECT_EQ(next(**outcome), R"({"data":{"message":{"room":"z","text":"still here"}}})");
}

TEST_F(SubscribeTest, DeliversEventsPostedFromAnotherThreadThroughTheExecutor) {
  auto outcome = subscribe("subscription { echo }");
  ASSERT_TRUE(outcome);
  auto pending = spawn(io_, (*outcome)->next());
  poll(io_);
  std::shared_ptr<EventQueue> stream = queues_.front();
  std::thread producer(
      [&] { asio::post(io_, [stream] { stream->push(json::parse(R"({"echo":"from afar"})")); }); });
  producer.join();
  poll(io_);
  ASSERT_TRUE(pending->has_value() && **pending);
  EXPECT_EQ(write_response(***pending), R"({"data":{"echo":"from afar"}})");
}

// --- Schema::bind_subscriber
// -----------------------------------------------------------------------

TEST(BindSubscriber, RefusesFieldsOutsideTheSubscriptionRoot) {
  auto schema = testing::make_schema(kSdl);
  Subscriber subscriber = [](const ResolveParams&) -> asio::awaitable<SubscribeOutcome> {
    co_return unexpected(FieldError("unused"));
  };
  EXPECT_TRUE(schema->bind_subscriber("Subscription.echo", subscriber));
  EXPECT_NE(schema->subscriber(*schema->mutable_field("Subscription.echo")), nullptr);
  EXPECT_EQ(schema->subscriber(*schema->mutable_field("Subscription.count")), nullptr);
  for (const char* bad : {"Query.hello", "Message.text", "Subscription.nope", "Subscription",
                          "__Schema.types", "Nope.x"}) {
    auto bound = schema->bind_subscriber(bad, subscriber);
    ASSERT_FALSE(bound) << bad;
    EXPECT_NE(bound.error().find(bad), std::string::npos) << bound.error();
  }
  EXPECT_FALSE(schema->bind_subscriber("Subscription.echo", Subscriber()));
  auto without = testing::make_schema("type Query { a: Int }");
  EXPECT_EQ(without->bind_subscriber("Query.a", subscriber).error(),
            "cannot bind a subscriber to \"Query.a\": the schema has no subscription type");
}

}  // namespace
}  // namespace cubeauth::graphql
