// The server in-process, with handlers the binary does not have: one that throws
// and one that takes its time while a shutdown begins.
#include "http/server.hpp"

#include "http/in_process_server.hpp"
#include "support/raw_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

#include <thread>

namespace cubeauth::http {
namespace {

using namespace std::chrono_literals;

using testing::InProcessServer;

TEST(Server, TurnsAHandlerExceptionIntoALogged500WithoutItsText) {
  auto router = std::make_shared<Router>();
  router->add(Verb::get, "/boom", [](RequestContext&) -> boost::asio::awaitable<Response> {
    throw std::runtime_error("secret driver detail");
    co_return text_response(Status::ok, "never");
  });
  InProcessServer server(router);
  const auto response = testing::http_request(server.port(), "GET", "/boom");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 500u);
  EXPECT_EQ(response->body().find("secret"), std::string::npos);
  const auto body = boost::json::parse(response->body()).as_object();
  EXPECT_EQ(body.at("error"), "Internal Server Error");
}

TEST(Server, LetsAHandlerInFlightFinishDuringShutdown) {
  auto router = std::make_shared<Router>();
  std::atomic<bool> entered{false};
  router->add(Verb::get, "/slow", [&entered](RequestContext&) -> boost::asio::awaitable<Response> {
    entered = true;
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, 300ms);
    co_await timer.async_wait(boost::asio::use_awaitable);
    co_return text_response(Status::ok, "finished");
  });
  auto owned = std::make_unique<InProcessServer>(router);
  testing::RawClient client(owned->port());
  client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  while (!entered) {
    std::this_thread::sleep_for(1ms);
  }
  owned->server().shutdown();
  const auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body(), "finished");
  EXPECT_FALSE(response->keep_alive());
  // New connections are refused once draining.
  EXPECT_THROW(testing::RawClient late(owned->port()), std::exception);
}

TEST(Server, AnswersHeadWithTheGetHeadersAndNoBody) {
  auto router = std::make_shared<Router>();
  router->add(Verb::get, "/page", [](RequestContext&) -> boost::asio::awaitable<Response> {
    co_return text_response(Status::ok, "twelve bytes");
  });
  InProcessServer server(router);
  testing::RawClient client(server.port());
  client.send("HEAD /page HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string raw = client.read_until_closed();
  EXPECT_NE(raw.find("Content-Length: 12\r\n"), std::string::npos) << raw;
  ASSERT_GE(raw.size(), 4u);
  EXPECT_EQ(raw.substr(raw.size() - 4), "\r\n\r\n") << "a HEAD answer must end with its headers";
}

TEST(Server, SendsABodyLargerThanTheSocketBufferWholeAndKeepsTheConnection) {
  // 16 MiB is more than loopback's largest send buffer (tcp_wmem, 4 MiB), so it cannot
  // leave in one non-blocking write: the rest goes out asynchronously while
  // the client reads, and the next request on the connection is still answered.
  std::string big(16 * 1024 * 1024, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) {
    big[i] = static_cast<char>('a' + i % 26);
  }
  auto router = std::make_shared<Router>();
  router->add(Verb::get, "/big", [&big](RequestContext&) -> boost::asio::awaitable<Response> {
    co_return text_response(Status::ok, big);
  });
  router->add(Verb::get, "/small", [](RequestContext&) -> boost::asio::awaitable<Response> {
    co_return text_response(Status::ok, "small");
  });
  InProcessServer server(router);
  testing::RawClient client(server.port());
  client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto first = client.read_response();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body().size(), big.size());
  EXPECT_TRUE(first->body() == big);
  client.send("GET /small HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto second = client.read_response();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body(), "small");
}

}  // namespace
}  // namespace cubeauth::http
