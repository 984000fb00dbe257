// The client against a peer that answers badly: never a crash, never unbounded memory.
#include <gtest/gtest.h>

#include "connectycube/client.hpp"
#include "harness.hpp"
#include "scripted_server.hpp"

namespace cubeauth::connectycube {
namespace {

using testing::run;
using testing::ScriptedServer;

constexpr const char* kSession =
    R"({"session":{"id":1,"user_id":700031,"token":"9C41E07B2AD35F8816E2C0B47A9D3E51F06C"}})";

std::string http_answer(int status, std::string body, std::string extra_headers = "") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" +
         extra_headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

Client client_for(const ScriptedServer& server, int max_retries = 0) {
  ClientOptions options;
  options.api_url = server.url();
  options.app_id = "5120";
  options.auth_key = "k";
  options.response_timeout = std::chrono::milliseconds(300);
  options.max_retries = max_retries;
  options.retry_backoff = std::chrono::milliseconds(1);
  options.max_response_bytes = 64 * 1024;
  return Client(options);
}

Result<Session, Error> session_from(ScriptedServer& server, int max_retries = 0) {
  Client client = client_for(server, max_retries);
  return run([&]() { return client.create_session_with_email("a@b.io", "Lantern-8812"); });
}

TEST(MalformedResponse, AcceptsAWellFormedSession) {
  ScriptedServer server(ScriptedServer::send(http_answer(201, kSession)));
  auto session = session_from(server);
  ASSERT_TRUE(session) << session.error().message;
  EXPECT_EQ(session->user_id, 700031);
}

TEST(MalformedResponse, RefusesGarbageThatIsNotHttp) {
  ScriptedServer server(ScriptedServer::send("SSH-2.0-OpenSSH_9.2\r\n\r\n"));
  auto session = session_from(server);
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kInvalidResponse);
}

TEST(MalformedResponse, RefusesABodyThatIsNotJson) {
  ScriptedServer server(ScriptedServer::send(http_answer(201, "<html>hello</html>")));
  auto session = session_from(server);
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kInvalidResponse);
  EXPECT_EQ(session.error().http_status, 201);
}

TEST(MalformedResponse, RefusesJsonOfAnotherShape) {
  for (const char* body : {R"([1,2,3])", R"({"session":"yes"})", R"({"session":{"token":""}})",
                           R"({"session":{"token":"T","user_id":null}})",
                           R"({"session":{"token":"T","user_id":"abc"}})",
                           R"({"session":{"token":42,"user_id":7}})"}) {
    ScriptedServer server(ScriptedServer::send(http_answer(201, body)));
    auto session = session_from(server);
    ASSERT_FALSE(session) << body;
    EXPECT_EQ(session.error().kind, ErrorKind::kInvalidResponse) << body;
  }
}

TEST(MalformedResponse, ReportsATruncatedBodyAsUnavailable) {
  const std::string whole = http_answer(201, kSession);
  ScriptedServer server(ScriptedServer::send(whole.substr(0, whole.size() - 10)));
  auto session = session_from(server);
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kUnavailable);
}

TEST(MalformedResponse, RefusesAHugeBodyWithoutReadingItAll) {
  // Announces 300 MB and starts sending; the client stops at its 64 KiB limit.
  ScriptedServer server([](boost::asio::ip::tcp::socket& socket) {
    const std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 314572800\r\n\r\n";
    boost::system::error_code ec;
    boost::asio::write(socket, boost::asio::buffer(head), ec);
    const std::string chunk(64 * 1024, 'x');
    for (int i = 0; i < 4800 && !ec; ++i) {
      boost::asio::write(socket, boost::asio::buffer(chunk), ec);
    }
  });
  auto session = session_from(server);
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kInvalidResponse);
  EXPECT_NE(session.error().message.find("larger than"), std::string::npos);
}

TEST(MalformedResponse, RefusesAHugeChunkedBody) {
  ScriptedServer server([](boost::asio::ip::tcp::socket& socket) {
    const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    boost::system::error_code ec;
    boost::asio::write(socket, boost::asio::buffer(head), ec);
    const std::string chunk = "10000\r\n" + std::string(0x10000, 'x') + "\r\n";
    for (int i = 0; i < 100 && !ec; ++i) {
      boost::asio::write(socket, boost::asio::buffer(chunk), ec);
    }
  });
  auto session = session_from(server);
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kInvalidResponse);
}

TEST(MalformedResponse, TimesOutAPeerThatNeverAnswers) {
  ScriptedServer server([](boost::asio::ip::tcp::socket& socket) {
    char byte;
    boost::system::error_code ec;
    socket.read_some(boost::asio::buffer(&byte, 1), ec);  // until the client gives up
  });
  auto session = session_from(server);
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kUnavailable);
}

TEST(MalformedResponse, ReadsAnErrorBodyThatIsNotJsonByItsStatus) {
  ScriptedServer server(ScriptedServer::send(http_answer(401, "nope")));
  auto session = session_from(server);
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kUnauthorized);
  EXPECT_TRUE(session.error().field_messages.empty());
}

TEST(MalformedResponse, TreatsARedirectAsAnInvalidResponse) {
  ScriptedServer server(ScriptedServer::send(http_answer(302, "", "Location: /elsewhere\r\n")));
  auto session = session_from(server);
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kInvalidResponse);
}

TEST(MalformedResponse, ReusesAKeepAliveConnection) {
  ScriptedServer server(ScriptedServer::send(http_answer(201, kSession)), /*keep_alive=*/true);
  Client client = client_for(server);
  auto both = run([&]() -> boost::asio::awaitable<bool> {
    auto first = co_await client.create_session_with_email("a@b.io", "Lantern-8812");
    auto second = co_await client.create_session_with_email("a@b.io", "Lantern-8812");
    co_return first.has_value() && second.has_value();
  });
  EXPECT_TRUE(both);
  EXPECT_EQ(server.requests(), 2);
  EXPECT_EQ(server.connections(), 1);
}

TEST(MalformedResponse, OpensANewConnectionWhenThePeerClosedTheIdleOne) {
  ScriptedServer server(ScriptedServer::send(http_answer(201, kSession)), /*keep_alive=*/false);
  Client client = client_for(server);
  auto both = run([&]() -> boost::asio::awaitable<bool> {
    auto first = co_await client.sign_up("a@b.io", "Lantern-8812", "A");
    (void)first;
    auto second = co_await client.create_session_with_email("a@b.io", "Lantern-8812");
    co_return second.has_value();
  });
  EXPECT_TRUE(both);
  EXPECT_EQ(server.connections(), 2);
}

}  // namespace
}  // namespace cubeauth::connectycube
