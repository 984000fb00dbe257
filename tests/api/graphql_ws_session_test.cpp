// graphql-transport-ws over real loopback sockets (the server in-process, a Beast client):
// every rule of PROTOCOL.md the server enforces, operations, and what closing ends.
#include "api/graphql_ws_session.hpp"

#include "api/graphql_ws_message.hpp"
#include "api/graphql_ws_test_schema.hpp"
#include "http/in_process_server.hpp"
#include "http/websocket_test_client.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <thread>

namespace cubeauth::api {
namespace {

using namespace std::chrono_literals;
using testing::WebSocketTestClient;

constexpr std::string_view kInit = R"({"type":"connection_init","payload":{"token":"let-me-in","user":"ann"}})";

/// The test schema at /api, with a short connection_init timeout.
class GraphqlWsTest : public ::testing::Test {
 protected:
  explicit GraphqlWsTest(std::chrono::milliseconds init_timeout = 2s, std::size_t max_operations = 100) {
    auto router = std::make_shared<http::Router>();
    auto options = testing::test_ws_options(init_timeout);
    options.max_operations = max_operations;
    add_graphql_ws_route(*router, "/api", testing::make_test_service(hub_), std::move(options));
    server_ = std::make_unique<testing::InProcessServer>(router);
  }

  std::unique_ptr<WebSocketTestClient> connect(std::string_view subprotocol = kGraphqlTransportWs) {
    auto client = std::make_unique<WebSocketTestClient>(server_->port(), "/api", subprotocol);
    EXPECT_TRUE(client->open()) << client->handshake_error();
    return client;
  }
  /// Connected and acknowledged.
  std::unique_ptr<WebSocketTestClient> connect_acked() {
    auto client = connect();
    client->send(kInit);
    EXPECT_EQ(client->receive(), R"({"type":"connection_ack","payload":{"user":"ann"}})");
    return client;
  }
  /// Waits (bounded) until `n` streams of `topic` are open.
  bool wait_for_subscribers(const std::string& topic, std::size_t n) {
    for (int i = 0; i < 5000; ++i) {
      if (hub_->count(topic) == n) {
        return true;
      }
      std::this_thread::sleep_for(1ms);
    }
    return false;
  }

  static std::string subscribe(std::string_view id, std::string_view query) {
    boost::json::object message{{"id", id}, {"type", "subscribe"}, {"payload", {{"query", query}}}};
    return boost::json::serialize(message);
  }

  std::shared_ptr<testing::TopicHub> hub_ = std::make_shared<testing::TopicHub>();
  std::unique_ptr<testing::InProcessServer> server_;
};

TEST_F(GraphqlWsTest, AcknowledgesAnAcceptedInitWithTheHooksPayloadAndGivesItsContextToOperations) {
  auto client = connect_acked();
  client->send(subscribe("1", "{ whoami }"));
  EXPECT_EQ(client->receive(), R"({"id":"1","type":"next","payload":{"data":{"whoami":"ann"}}})");
  EXPECT_EQ(client->receive(), R"({"id":"1","type":"complete"})");
}

TEST_F(GraphqlWsTest, DeliversASubscriptionsEventsInOrderThenCompletes) {
  auto client = connect_acked();
  client->send(subscribe("c", "subscription { count(to: 3) }"));
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(client->receive(),
              R"({"id":"c","type":"next","payload":{"data":{"count":)" + std::to_string(i) + "}}}");
  }
  EXPECT_EQ(client->receive(), R"({"id":"c","type":"complete"})");
}

TEST_F(GraphqlWsTest, RunsOperationsConcurrentlyOnOneConnection) {
  auto client = connect_acked();
  client->send(subscribe("listen", R"(subscription { messages(topic: "t") { text } })"));
  ASSERT_TRUE(wait_for_subscribers("t", 1));
  client->send(subscribe("q", R"({ hello(name: "you") })"));  // answered while "listen" waits
  EXPECT_EQ(client->receive(), R"({"id":"q","type":"next","payload":{"data":{"hello":"Hello, you!"}}})");
  EXPECT_EQ(client->receive(), R"({"id":"q","type":"complete"})");
  hub_->publish("t", boost::json::parse(R"({"messages":{"topic":"t","text":"hi"}})"));
  EXPECT_EQ(client->receive(), R"({"id":"listen","type":"next","payload":{"data":{"messages":{"text":"hi"}}}})");
}

TEST_F(GraphqlWsTest, SendsRequestErrorsAsAnErrorMessageWithCodesAndNoComplete) {
  auto client = connect_acked();
  client->send(subscribe("s", "{ hello("));
  auto syntax = boost::json::parse(client->receive().value_or("{}")).as_object();
  EXPECT_EQ(syntax["type"], "error");
  EXPECT_EQ(syntax["id"], "s");
  EXPECT_EQ(syntax["payload"].as_array().at(0).at("extensions").at("code"), "GRAPHQL_PARSE_FAILED");
  client->send(subscribe("v", "subscription { nope }"));
  auto invalid = boost::json::parse(client->receive().value_or("{}")).as_object();
  EXPECT_EQ(invalid["payload"].as_array().at(0).at("extensions").at("code"), "GRAPHQL_VALIDATION_FAILED");
  // The ids are free again: no complete was due, and they can be used once more.
  client->send(subscribe("s", "{ fail }"));
  auto field = boost::json::parse(client->receive().value_or("{}")).as_object();
  EXPECT_EQ(field["type"], "next");
  EXPECT_EQ(field["payload"].at("data"), boost::json::parse(R"({"fail":null})"));
  EXPECT_EQ(field["payload"].at("errors").at(0).at("message"), "boom");
  EXPECT_EQ(client->receive(), R"({"id":"s","type":"complete"})");
}

TEST_F(GraphqlWsTest, StopsTheServersStreamWhenTheClientCompletes) {
  auto client = connect_acked();
  client->send(subscribe("a", R"(subscription { messages(topic: "t") { text } })"));
  client->send(subscribe("b", R"(subscription { messages(topic: "t") { text } })"));
  ASSERT_TRUE(wait_for_subscribers("t", 2));
  client->send(R"({"id":"a","type":"complete"})");
  EXPECT_TRUE(wait_for_subscribers("t", 1));
  EXPECT_EQ(hub_->publish("t", boost::json::parse(R"({"messages":{"topic":"t","text":"x"}})")), 1u);
  EXPECT_EQ(client->receive(), R"({"id":"b","type":"next","payload":{"data":{"messages":{"text":"x"}}}})");
  // The completed id may be used again at once.
  client->send(subscribe("a", "{ whoami }"));
  EXPECT_EQ(client->receive(), R"({"id":"a","type":"next","payload":{"data":{"whoami":"ann"}}})");
}

TEST_F(GraphqlWsTest, ClosesEverySubscriptionWhenTheConnectionCloses) {
  auto client = connect_acked();
  client->send(subscribe("a", R"(subscription { messages(topic: "t") { text } })"));
  client->send(subscribe("b", R"(subscription { messages(topic: "u") { text } })"));
  ASSERT_TRUE(wait_for_subscribers("t", 1));
  ASSERT_TRUE(wait_for_subscribers("u", 1));
  client->close();
  EXPECT_TRUE(wait_for_subscribers("t", 0));
  EXPECT_TRUE(wait_for_subscribers("u", 0));
}

TEST_F(GraphqlWsTest, AnswersPingWithPongEchoingThePayloadAndAcceptsPongs) {
  auto client = connect();
  client->send(R"({"type":"ping","payload":{"n":1}})");  // allowed before connection_init
  EXPECT_EQ(client->receive(), R"({"type":"pong","payload":{"n":1}})");
  client->send(R"({"type":"pong"})");
  client->send(R"({"type":"ping"})");
  EXPECT_EQ(client->receive(), R"({"type":"pong"})");
}

TEST_F(GraphqlWsTest, ClosesWith4403WhenTheHookRefusesTheInit) {
  auto client = connect();
  client->send(R"({"type":"connection_init","payload":{"token":"wrong"}})");
  EXPECT_EQ(client->receive(), std::nullopt);
  EXPECT_EQ(client->close_code(), ws_close::kForbidden);
  EXPECT_EQ(client->close_reason(), "Forbidden");
}

TEST_F(GraphqlWsTest, ClosesWith4429OnASecondInit) {
  auto client = connect_acked();
  client->send(kInit);
  EXPECT_EQ(client->receive(), std::nullopt);
  EXPECT_EQ(client->close_code(), ws_close::kTooManyInitialisationRequests);
  EXPECT_EQ(client->close_reason(), "Too many initialisation requests");
}

TEST_F(GraphqlWsTest, ClosesWith4401OnSubscribeBeforeTheAck) {
  auto client = connect();
  client->send(subscribe("1", "{ whoami }"));
  EXPECT_EQ(client->receive(), std::nullopt);
  EXPECT_EQ(client->close_code(), ws_close::kUnauthorized);
  EXPECT_EQ(client->close_reason(), "Unauthorized");
}

TEST_F(GraphqlWsTest, ClosesWith4409OnAnIdInUse) {
  auto client = connect_acked();
  client->send(subscribe("same", R"(subscription { messages(topic: "t") { text } })"));
  client->send(subscribe("same", R"(subscription { messages(topic: "t") { text } })"));
  EXPECT_EQ(client->receive(), std::nullopt);
  EXPECT_EQ(client->close_code(), ws_close::kSubscriberAlreadyExists);
  EXPECT_EQ(client->close_reason(), "Subscriber for same already exists");
  EXPECT_TRUE(wait_for_subscribers("t", 0));
}

TEST_F(GraphqlWsTest, ClosesWith4400OnAnInvalidMessageSayingWhy) {
  auto client = connect_acked();
  client->send(R"({"type":"subscribe","id":"1","payload":{"query":5}})");
  EXPECT_EQ(client->receive(), std::nullopt);
  EXPECT_EQ(client->close_code(), ws_close::kBadRequest);
  EXPECT_EQ(client->close_reason(),
            "\"subscribe\" message payload expects the 'query' property to be a string, but got number");
}

TEST_F(GraphqlWsTest, ClosesWith4406WhenTheSubprotocolWasNotAgreed) {
  auto client = connect("graphql-ws");
  EXPECT_EQ(client->handshake_headers().count("Sec-WebSocket-Protocol"), 0u);
  EXPECT_EQ(client->receive(), std::nullopt);
  EXPECT_EQ(client->close_code(), ws_close::kSubprotocolNotAcceptable);
  EXPECT_EQ(client->close_reason(), "Subprotocol not acceptable");
}

TEST_F(GraphqlWsTest, DrainClosesWith1001AndEndsTheSubscriptions) {
  auto client = connect_acked();
  client->send(subscribe("a", R"(subscription { messages(topic: "t") { text } })"));
  ASSERT_TRUE(wait_for_subscribers("t", 1));
  server_->server().shutdown();
  EXPECT_EQ(client->receive(), std::nullopt);
  EXPECT_EQ(client->close_code(), http::close_code::kGoingAway);
  EXPECT_TRUE(wait_for_subscribers("t", 0));
  server_.reset();
}

class GraphqlWsShortTimeoutTest : public GraphqlWsTest {
 protected:
  GraphqlWsShortTimeoutTest() : GraphqlWsTest(50ms) {}
};

TEST_F(GraphqlWsShortTimeoutTest, ClosesWith4408WithoutInitInTime) {
  const auto started = std::chrono::steady_clock::now();
  auto client = connect();
  EXPECT_EQ(client->receive(), std::nullopt);
  EXPECT_EQ(client->close_code(), ws_close::kConnectionInitialisationTimeout);
  EXPECT_EQ(client->close_reason(), "Connection initialisation timeout");
  EXPECT_GE(std::chrono::steady_clock::now() - started, 50ms);
}

TEST_F(GraphqlWsShortTimeoutTest, KeepsAConnectionInitialisedInTime) {
  auto client = connect_acked();
  std::this_thread::sleep_for(100ms);  // past the timeout: the init arrived, nothing happens
  client->send(subscribe("1", "{ whoami }"));
  EXPECT_EQ(client->receive(), R"({"id":"1","type":"next","payload":{"data":{"whoami":"ann"}}})");
}

class GraphqlWsLimitTest : public GraphqlWsTest {
 protected:
  GraphqlWsLimitTest() : GraphqlWsTest(2s, 1) {}
};

TEST_F(GraphqlWsLimitTest, RefusesAnOperationBeyondTheLimitWithAnErrorMessage) {
  auto client = connect_acked();
  client->send(subscribe("a", R"(subscription { messages(topic: "t") { text } })"));
  client->send(subscribe("b", "{ whoami }"));
  auto refused = boost::json::parse(client->receive().value_or("{}")).as_object();
  EXPECT_EQ(refused["type"], "error");
  EXPECT_EQ(refused["id"], "b");
  EXPECT_EQ(refused["payload"].at(0).at("extensions").at("code"), "TOO_MANY_OPERATIONS");
}

TEST(GraphqlWsHook, ClosesWith1011WhenTheAuthenticationHookThrows) {
  auto router = std::make_shared<http::Router>();
  GraphqlWsOptions options;
  options.authenticate = [](const boost::json::object&, const http::RequestContext&)
      -> boost::asio::awaitable<Result<GraphqlWsAccepted, GraphqlWsRefused>> {
    throw std::runtime_error("store down");
    co_return GraphqlWsAccepted{};
  };
  add_graphql_ws_route(*router, "/api", testing::make_test_service(std::make_shared<testing::TopicHub>()),
                       std::move(options));
  testing::InProcessServer server(router);
  WebSocketTestClient client(server.port(), "/api", kGraphqlTransportWs);
  ASSERT_TRUE(client.open());
  client.send(kInit);
  EXPECT_EQ(client.receive(), std::nullopt);
  EXPECT_EQ(client.close_code(), http::close_code::kInternalError);
  EXPECT_EQ(client.close_reason().find("store"), std::string::npos);
}

}  // namespace
}  // namespace cubeauth::api
