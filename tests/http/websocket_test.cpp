// WebSocket routes over real loopback sockets: the upgrade beside the path's HTTP routes,
// subprotocol negotiation, the message limit, writes while a read is outstanding, handler
// failures, the connection limit and the drain's 1001.
#include "http/websocket.hpp"

#include "http/in_process_server.hpp"
#include "http/router.hpp"
#include "http/websocket_test_client.hpp"
#include "support/raw_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <thread>

namespace cubeauth::http {
namespace {

using namespace std::chrono_literals;
using testing::InProcessServer;
using testing::WebSocketTestClient;

/// Echoes every message until the peer closes; "close:<code>" closes with that code.
boost::asio::awaitable<void> echo(WebSocket& socket) {
  for (;;) {
    auto message = co_await socket.read();
    if (!message) {
      co_return;
    }
    if (message->starts_with("close:")) {
      socket.close(static_cast<std::uint16_t>(std::stoi(message->substr(6))), "as asked");
      continue;
    }
    if (message->empty()) {
      socket.write_text("subprotocol=" + std::string(socket.subprotocol()));
      continue;
    }
    socket.write_text(std::move(*message));
  }
}

std::shared_ptr<Router> echo_router() {
  auto router = std::make_shared<Router>();
  router->add_websocket("/ws", WebSocketRoute{{"graphql-transport-ws", "other"}, echo});
  router->add(Verb::get, "/ws", [](RequestContext&) -> boost::asio::awaitable<Response> {
    co_return text_response(Status::ok, "plain GET");
  });
  return router;
}

TEST(ChooseSubprotocol, PicksTheServersFirstPreferenceAmongTheOffered) {
  EXPECT_EQ(choose_subprotocol({"a", "b"}, "b, a"), "a");
  EXPECT_EQ(choose_subprotocol({"a", "b"}, "x,\tb "), "b");
  EXPECT_EQ(choose_subprotocol({"a"}, "ab, xa"), "");
  EXPECT_EQ(choose_subprotocol({"a"}, ""), "");
}

TEST(WebSocketRoute, UpgradesAndEchoesWhileAPlainGetStillReachesTheHttpRoute) {
  InProcessServer server(echo_router());
  WebSocketTestClient client(server.port(), "/ws?token=x", "graphql-transport-ws");
  ASSERT_TRUE(client.open()) << client.handshake_error();
  EXPECT_EQ(client.handshake_headers()["Sec-WebSocket-Protocol"], "graphql-transport-ws");
  EXPECT_EQ(client.handshake_headers()["Server"], "cubeauth");  // no library version
  client.send("hello");
  EXPECT_EQ(client.receive(), "hello");
  client.send("");
  EXPECT_EQ(client.receive(), "subprotocol=graphql-transport-ws");

  const auto plain = testing::http_request(server.port(), "GET", "/ws");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->body(), "plain GET");
  client.close();
}

TEST(WebSocketRoute, AnswersWithoutASubprotocolWhenNoneOfTheOfferedIsServed) {
  InProcessServer server(echo_router());
  WebSocketTestClient client(server.port(), "/ws", "graphql-ws");
  ASSERT_TRUE(client.open()) << client.handshake_error();
  EXPECT_EQ(client.handshake_headers().count("Sec-WebSocket-Protocol"), 0u);
  client.send("");
  EXPECT_EQ(client.receive(), "subprotocol=");
}

TEST(WebSocketRoute, IsNotUpgradedOnAPathWithoutOne) {
  InProcessServer server(echo_router());
  WebSocketTestClient client(server.port(), "/elsewhere", "graphql-transport-ws");
  EXPECT_FALSE(client.open());
}

TEST(WebSocketRoute, ClosesWithTheHandlersCodeAndReason) {
  InProcessServer server(echo_router());
  WebSocketTestClient client(server.port(), "/ws", "graphql-transport-ws");
  ASSERT_TRUE(client.open());
  client.send("first");
  client.send("close:4403");
  EXPECT_EQ(client.receive(), "first");  // queued before the close: still delivered
  EXPECT_EQ(client.receive(), std::nullopt);
  EXPECT_EQ(client.close_code(), 4403);
  EXPECT_EQ(client.close_reason(), "as asked");
}

TEST(WebSocketRoute, ClosesWith1009OnAMessageOverTheLimit) {
  auto options = testing::in_process_options();
  options.websocket_message_limit = 1024;
  InProcessServer server(echo_router(), options);
  WebSocketTestClient client(server.port(), "/ws", "graphql-transport-ws");
  ASSERT_TRUE(client.open());
  client.send(std::string(1000, 'a'));
  EXPECT_EQ(client.receive()->size(), 1000u);
  // Just over the limit, so that the server has read the whole frame when it closes: with
  // bytes still unread its close would reset the connection (Beast 1.81's teardown stops
  // reading after one read) and the client could lose the close frame.
  client.send(std::string(1100, 'a'));
  EXPECT_EQ(client.receive(), std::nullopt);
  EXPECT_EQ(client.close_code(), 1009);
}

/// Writes three ticks from a coroutine of its own while the handler waits in read().
boost::asio::awaitable<void> ticker(WebSocket& socket) {
  boost::asio::steady_timer timer(socket.get_executor());
  for (int i = 0; i < 3; ++i) {
    timer.expires_after(5ms);
    co_await timer.async_wait(boost::asio::use_awaitable);
    socket.write_text("tick " + std::to_string(i));
  }
}

TEST(WebSocketRoute, WritesFromAnotherCoroutineWhileAReadIsOutstanding) {
  auto router = std::make_shared<Router>();
  router->add_websocket("/ticks", WebSocketRoute{{}, [](WebSocket& socket) -> boost::asio::awaitable<void> {
                                                   boost::asio::co_spawn(socket.get_executor(), ticker(socket),
                                                                         boost::asio::detached);
                                                   // Ends with the client's close, after the last tick.
                                                   auto message = co_await socket.read();
                                                   EXPECT_FALSE(message);
                                                 }});
  InProcessServer server(router);
  WebSocketTestClient client(server.port(), "/ticks", "");
  ASSERT_TRUE(client.open());
  EXPECT_EQ(client.receive(), "tick 0");
  EXPECT_EQ(client.receive(), "tick 1");
  EXPECT_EQ(client.receive(), "tick 2");
  client.close();
}

TEST(WebSocketRoute, ClosesWith1011WhenTheHandlerThrows) {
  auto router = std::make_shared<Router>();
  router->add_websocket("/boom", WebSocketRoute{{}, [](WebSocket& socket) -> boost::asio::awaitable<void> {
                                                  auto message = co_await socket.read();
                                                  (void)message;
                                                  throw std::runtime_error("secret detail");
                                                }});
  InProcessServer server(router);
  WebSocketTestClient client(server.port(), "/boom", "");
  ASSERT_TRUE(client.open());
  client.send("go");
  EXPECT_EQ(client.receive(), std::nullopt);
  EXPECT_EQ(client.close_code(), 1011);
  EXPECT_EQ(client.close_reason().find("secret"), std::string::npos);
}

TEST(WebSocketRoute, CountsTowardsTheConnectionLimit) {
  auto options = testing::in_process_options();
  options.max_connections = 1;
  InProcessServer server(echo_router(), options);
  WebSocketTestClient first(server.port(), "/ws", "");
  ASSERT_TRUE(first.open());
  EXPECT_EQ(server.server().open_connections(), 1u);
  WebSocketTestClient second(server.port(), "/ws", "");
  EXPECT_FALSE(second.open());  // answered 503
  first.close();
}

TEST(WebSocketRoute, IsClosedWithGoingAwayWhenTheServerDrains) {
  auto owned = std::make_unique<InProcessServer>(echo_router());
  WebSocketTestClient client(owned->port(), "/ws", "graphql-transport-ws");
  ASSERT_TRUE(client.open());
  client.send("ping");
  EXPECT_EQ(client.receive(), "ping");
  owned->server().shutdown();
  EXPECT_EQ(client.receive(), std::nullopt);
  EXPECT_EQ(client.close_code(), 1001);
  owned.reset();  // the drain ends as soon as the WebSocket is closed
}

TEST(WebSocketRoute, RefusesBytesSentBeforeTheHandshakeEnded) {
  InProcessServer server(echo_router());
  testing::RawClient client(server.port());
  client.send(
      "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n\x81\x05hello");
  const auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 400u);
}

TEST(WebSocketRoute, AnswersABadHandshakeWith400) {
  InProcessServer server(echo_router());
  testing::RawClient client(server.port());
  client.send(
      "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n");  // no Sec-WebSocket-Key
  const auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 400u);
}

}  // namespace
}  // namespace cubeauth::http
