// The HTTP surface of the real cubeauth binary: keep-alive, pipelining, limits,
// CORS, error bodies, configuration errors and graceful shutdown.
#include "support/raw_client.hpp"
#include "support/server_process.hpp"

#include <gtest/gtest.h>

#include <signal.h>

#include <boost/json/parse.hpp>

#include <thread>

namespace cubeauth::testing {
namespace {

using namespace std::chrono_literals;

std::map<std::string, std::string> base_environment(const TempDir& dir) {
  return {{"HOST", "127.0.0.1"},
          {"PORT", "0"},
          {"CUBEAUTH_THREADS", "2"},
          {"JWT_SECRET", "e2e-secret"},
          {"DATABASE_URL", "sqlite://" + dir.path() + "/cubeauth.db"}};
}

class HttpServer : public ::testing::Test {
 protected:
  void start(std::map<std::string, std::string> extra = {}) {
    auto environment = base_environment(dir_);
    for (auto& [name, value] : extra) {
      environment[name] = value;
    }
    server_ = std::make_unique<ServerProcess>(CUBEAUTH_BINARY, environment, std::vector<std::string>{},
                                              "listening on http://127.0.0.1:", dir_.path());
    ASSERT_TRUE(server_->wait_ready()) << server_->output();
  }
  std::uint16_t port() const { return server_->port(); }

  static void expect_json_error(const TestResponse& response, unsigned status) {
    EXPECT_EQ(response.result_int(), status);
    EXPECT_EQ(response[boost::beast::http::field::content_type], "application/json; charset=utf-8");
    const auto body = boost::json::parse(response.body()).as_object();
    EXPECT_TRUE(body.at("error").is_string());
    EXPECT_FALSE(body.at("message").as_string().empty());
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(HttpServer, AnswersHelloWorldAtTheRoot) {
  start();
  const auto response = http_request(port(), "GET", "/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_EQ(response->body(), "Hello World!");
  EXPECT_FALSE((*response)["X-Request-Id"].empty());
}

TEST_F(HttpServer, KeepsAConnectionAliveAcrossRequests) {
  start();
  RawClient client(port());
  for (int i = 0; i < 3; ++i) {
    client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto response = client.read_response();
    ASSERT_TRUE(response) << "request " << i;
    EXPECT_EQ(response->result_int(), 200u);
    EXPECT_TRUE(response->keep_alive());
  }
}

TEST_F(HttpServer, AnswersPipelinedRequestsInOrder) {
  start();
  RawClient client(port());
  client.send(
      "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
      "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const unsigned expected[] = {200, 404, 200, 405, 200};
  for (unsigned status : expected) {
    const auto response = client.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), status);
  }
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(HttpServer, GivesEveryErrorAJsonBody) {
  start();
  auto not_found = http_request(port(), "GET", "/missing");
  ASSERT_TRUE(not_found);
  expect_json_error(*not_found, 404);

  auto not_allowed = http_request(port(), "DELETE", "/");
  ASSERT_TRUE(not_allowed);
  expect_json_error(*not_allowed, 405);
  EXPECT_EQ((*not_allowed)[boost::beast::http::field::allow], "GET, OPTIONS");

  RawClient client(port());
  client.send("GARBAGE\r\n\r\n");
  auto bad = client.read_response();
  ASSERT_TRUE(bad);
  expect_json_error(*bad, 400);
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(HttpServer, RefusesABodyOverTheLimit) {
  start({{"CUBEAUTH_BODY_LIMIT", "2048"}});
  RawClient client(port());
  client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  expect_json_error(*response, 413);
  EXPECT_TRUE(client.closed_by_peer());

  // A chunked body that grows past the limit is cut off too.
  RawClient chunked(port());
  chunked.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  const std::string chunk = "400\r\n" + std::string(1024, 'a') + "\r\n";
  for (int i = 0; i < 3; ++i) {
    chunked.send(chunk);
  }
  response = chunked.read_response();
  ASSERT_TRUE(response);
  expect_json_error(*response, 413);
}

TEST_F(HttpServer, RefusesHeadersOverTheLimit) {
  start({{"CUBEAUTH_HEADER_LIMIT", "1024"}});
  RawClient client(port());
  client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'b') + "\r\n\r\n");
  auto response = client.read_response();
  ASSERT_TRUE(response);
  expect_json_error(*response, 431);
}

TEST_F(HttpServer, CutsOffASlowClientAndServesOthersMeanwhile) {
  start({{"CUBEAUTH_HEADER_TIMEOUT", "400ms"}, {"CUBEAUTH_BODY_TIMEOUT", "400ms"}});
  RawClient slow_headers(port());
  slow_headers.send("GET / HTTP/1.1\r\nHost: x\r\n");  // never ends its headers
  RawClient slow_body(port());
  slow_body.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly a little");

  // Others are served while the two dawdle.
  const auto other = http_request(port(), "GET", "/healthz");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->result_int(), 200u);

  // Each is closed once its time is up (tcp_stream closes the socket, nothing is answered).
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(slow_headers.closed_by_peer());
  EXPECT_TRUE(slow_body.closed_by_peer());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST_F(HttpServer, ClosesIdleKeepAliveConnections) {
  start({{"CUBEAUTH_IDLE_TIMEOUT", "200ms"}});
  RawClient client(port(), 3s);
  client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(client.read_response());
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.closed_by_peer());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST_F(HttpServer, RefusesConnectionsOverTheLimitWith503) {
  start({{"CUBEAUTH_MAX_CONNECTIONS", "2"}, {"CUBEAUTH_THREADS", "1"}});
  RawClient first(port());
  RawClient second(port());
  first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  second.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(first.read_response());
  ASSERT_TRUE(second.read_response());
  auto refused = http_request(port(), "GET", "/");
  ASSERT_TRUE(refused);
  expect_json_error(*refused, 503);
  EXPECT_EQ((*refused)[boost::beast::http::field::retry_after], "1");
}

TEST_F(HttpServer, EchoesTheOriginAndAnswersPreflight) {
  start();
  auto response = http_request(port(), "GET", "/", {}, "Origin: https://app.example.org\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ((*response)[boost::beast::http::field::access_control_allow_origin], "https://app.example.org");
  EXPECT_EQ((*response)[boost::beast::http::field::access_control_allow_credentials], "true");

  auto preflight = http_request(port(), "OPTIONS", "/api", {},
                                "Origin: https://app.example.org\r\n"
                                "Access-Control-Request-Method: POST\r\n"
                                "Access-Control-Request-Headers: content-type\r\n");
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->result_int(), 204u);
  EXPECT_EQ((*preflight)[boost::beast::http::field::access_control_allow_methods],
            "GET,HEAD,PUT,PATCH,POST,DELETE");
  EXPECT_EQ((*preflight)[boost::beast::http::field::access_control_allow_headers], "content-type");
}

TEST_F(HttpServer, LogsOneLineWithTheRequestIdButNotTheQuery) {
  start();
  auto response = http_request(port(), "GET", "/healthz?token=secret-value", {}, "X-Request-Id: trace-42\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ((*response)["X-Request-Id"], "trace-42");
  std::string output;
  for (int i = 0; i < 100 && output.find("id=trace-42") == std::string::npos; ++i) {
    std::this_thread::sleep_for(10ms);
    output = server_->output();
  }
  EXPECT_NE(output.find("GET /healthz 200"), std::string::npos) << output;
  EXPECT_NE(output.find("id=trace-42"), std::string::npos);
  EXPECT_EQ(output.find("secret-value"), std::string::npos);
}

TEST_F(HttpServer, FinishesARequestInFlightOnSigtermAndExitsZero) {
  start();
  RawClient client(port());
  client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhalf");
  std::this_thread::sleep_for(100ms);
  ASSERT_EQ(::kill(server_->pid(), SIGTERM), 0);
  std::this_thread::sleep_for(100ms);
  client.send("-done");
  std::this_thread::sleep_for(50ms);
  client.send("!");
  const auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 405u);  // answered, then closed
  EXPECT_FALSE(response->keep_alive());
  EXPECT_EQ(server_->wait_exit(5s), 0) << server_->output();
}

TEST_F(HttpServer, StopsAtTheShutdownDeadlineWhenAClientNeverFinishes) {
  start({{"CUBEAUTH_SHUTDOWN_TIMEOUT", "300ms"}});
  RawClient client(port());
  client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhalf");
  std::this_thread::sleep_for(100ms);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(server_->stop(SIGTERM, 5s), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST_F(HttpServer, RefusesToShareItsPortWithAnotherProcess) {
  start();
  TempDir other_dir;
  auto environment = base_environment(other_dir);
  environment["PORT"] = std::to_string(port());
  ServerProcess second(CUBEAUTH_BINARY, environment, {}, "listening on", other_dir.path());
  EXPECT_EQ(second.wait_exit(5s), 1);
  EXPECT_NE(second.output().find("cannot listen on 127.0.0.1:" + std::to_string(port())), std::string::npos)
      << second.output();
}

TEST(Configuration, ABadValueStopsTheServerWithExitCode2AndOneClearLine) {
  TempDir dir;
  auto environment = base_environment(dir);
  environment["PORT"] = "abc";
  ServerProcess server(CUBEAUTH_BINARY, environment, {}, "listening on", dir.path());
  EXPECT_EQ(server.wait_exit(5s), 2);
  const std::string output = server.output();
  EXPECT_NE(output.find("PORT must be an integer from 0 to 65535, got 'abc'"), std::string::npos) << output;
}

}  // namespace
}  // namespace cubeauth::testing
