#include "api/graphql_ws_test_schema.hpp"

#include "graphql/request/service.hpp"
#include "graphql/schema/schema.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <stdexcept>

namespace cubeauth::testing {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr std::string_view kSdl = R"(
type Query { hello(name: String): String!  whoami: String  fail: String }
type Mutation { publish(topic: String!, text: String!): Int! }
type Subscription { count(to: Int!): Int!  messages(topic: String!): Message! }
type Message { topic: String!  text: String! }
)";

void must(Result<void, std::string> bound) {
  if (!bound) {
    throw std::runtime_error(bound.error());
  }
}

}  // namespace

void TestEventStream::push(json::value event) {
  if (ended_ || closed_) {
    return;
  }
  events_.push_back(std::move(event));
  signal_.cancel();
}

void TestEventStream::end() {
  ended_ = true;
  signal_.cancel();
}

asio::awaitable<std::optional<json::value>> TestEventStream::next() {
  const auto self = shared_from_this();  // alive while the awaitable is
  while (events_.empty() && !ended_ && !closed_) {
    signal_.expires_at(asio::steady_timer::time_point::max());
    auto [ec] = co_await signal_.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)ec;
  }
  if (closed_ || events_.empty()) {
    co_return std::nullopt;
  }
  json::value event = std::move(events_.front());
  events_.pop_front();
  co_return event;
}

void TestEventStream::close() {
  closed_ = true;
  events_.clear();
  signal_.cancel();
}

void TopicHub::add(const std::string& topic, const std::shared_ptr<TestEventStream>& stream) {
  std::lock_guard lock(mutex_);
  streams_.emplace(topic, stream);
}

std::size_t TopicHub::publish(const std::string& topic, const json::value& event) {
  std::lock_guard lock(mutex_);
  std::size_t delivered = 0;
  auto [first, last] = streams_.equal_range(topic);
  for (auto it = first; it != last;) {
    auto stream = it->second.lock();
    if (!stream || stream->closed()) {
      it = streams_.erase(it);
      continue;
    }
    ++delivered;
    asio::post(stream->executor(), [stream, event] { stream->push(event); });
    ++it;
  }
  return delivered;
}

std::size_t TopicHub::count(const std::string& topic) {
  std::lock_guard lock(mutex_);
  std::size_t open = 0;
  auto [first, last] = streams_.equal_range(topic);
  for (auto it = first; it != last; ++it) {
    auto stream = it->second.lock();
    open += stream && !stream->closed() ? 1 : 0;
  }
  return open;
}

std::shared_ptr<const graphql::Service> make_test_service(std::shared_ptr<TopicHub> hub) {
  auto built = graphql::build_schema(kSdl);
  if (!built) {
    throw std::runtime_error("the test schema does not build: " + built.error().front().message);
  }
  std::shared_ptr<graphql::Schema> schema = std::move(*built);
  must(schema->bind("Query.hello", [](const graphql::ResolveParams& params) -> graphql::ResolverResult {
    const json::value& name = params.arg("name");
    return json::value("Hello, " + std::string(name.is_string() ? std::string_view(name.as_string()) : "world") + "!");
  }));
  must(schema->bind("Query.whoami", [](const graphql::ResolveParams& params) -> graphql::ResolverResult {
    const auto* user = params.context.get<TestUser>();
    return user == nullptr ? json::value(nullptr) : json::value(user->name);
  }));
  must(schema->bind("Query.fail", [](const graphql::ResolveParams&) -> graphql::ResolverResult {
    return graphql::FieldError("boom", "TEST_FAILURE");
  }));
  must(schema->bind("Mutation.publish", [hub](const graphql::ResolveParams& params) -> graphql::ResolverResult {
    const std::string topic(params.arg("topic").as_string());
    json::object message{{"topic", topic}, {"text", params.arg("text")}};
    const json::value event = json::object{{"messages", std::move(message)}};
    return json::value(static_cast<std::int64_t>(hub->publish(topic, event)));
  }));
  must(schema->bind_subscriber(
      "Subscription.count",
      [](const graphql::ResolveParams& params) -> asio::awaitable<graphql::SubscribeOutcome> {
        const std::int64_t to = params.arg("to").as_int64();
        if (to < 0 || to > 1000) {
          co_return unexpected(graphql::FieldError("count(to:) takes 0 to 1000", "BAD_USER_INPUT"));
        }
        auto stream = std::make_shared<TestEventStream>(co_await asio::this_coro::executor);
        for (std::int64_t i = 1; i <= to; ++i) {
          stream->push(json::object{{"count", i}});
        }
        stream->end();
        co_return std::shared_ptr<graphql::EventStream>(std::move(stream));
      }));
  must(schema->bind_subscriber(
      "Subscription.messages",
      [hub](const graphql::ResolveParams& params) -> asio::awaitable<graphql::SubscribeOutcome> {
        auto stream = std::make_shared<TestEventStream>(co_await asio::this_coro::executor);
        hub->add(std::string(params.arg("topic").as_string()), stream);
        co_return std::shared_ptr<graphql::EventStream>(std::move(stream));
      }));
  return std::make_shared<const graphql::Service>(std::move(schema));
}

api::GraphqlWsOptions test_ws_options(std::chrono::milliseconds init_timeout) {
  api::GraphqlWsOptions options;
  options.connection_init_timeout = init_timeout;
  options.authenticate = [](const json::object& payload, const http::RequestContext&)
      -> asio::awaitable<Result<api::GraphqlWsAccepted, api::GraphqlWsRefused>> {
    const json::value* token = payload.if_contains("token");
    if (token == nullptr || *token != "let-me-in") {
      co_return unexpected(api::GraphqlWsRefused{"no valid token"});
    }
    const json::value* user = payload.if_contains("user");
    const std::string name = user != nullptr && user->is_string() ? std::string(user->as_string()) : "tester";
    api::GraphqlWsAccepted accepted;
    accepted.context.set(TestUser{name});
    accepted.ack_payload["user"] = name;
    co_return accepted;
  };
  return options;
}

}  // namespace cubeauth::testing
