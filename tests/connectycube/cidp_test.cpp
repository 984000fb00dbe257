// The Custom Identity Provider loop: the emulator calls a verify endpoint (served here by
// cubeauth's own HTTP server, as cubeauth will) and maps its answer to a user.
#include "cidp.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "connectycube/client.hpp"
#include "harness.hpp"
#include "http/server.hpp"
#include "params.hpp"

namespace cubeauth::connectycube {
namespace {

namespace json = boost::json;
using testing::EmulatorThread;
using testing::run;

/// GET|POST /auth/verify-connectycube: tokens "valid-<id>" are users <id>; "nouid" answers
/// 200 without an id; anything else is refused with 401.
class VerifyEndpoint {
 public:
  VerifyEndpoint() {
    auto router = std::make_shared<http::Router>();
    auto verify = [this](http::RequestContext& context) -> boost::asio::awaitable<http::Response> {
      ++calls_;
      // Parsed here, not with RequestContext::query_param(): in Boost 1.81 that reads past
      // the query through strlen (reported to the http layer's owner).
      const std::string_view target = context.request().target();
      const std::size_t question = target.find('?');
      std::string token;
      if (question != std::string_view::npos) {
        token = emulator::param_text(emulator::parse_form(target.substr(question + 1)), "token");
      }
      if (token.empty() && !context.request().body().empty()) {
        boost::system::error_code ec;
        auto body = json::parse(context.request().body(), ec);
        if (!ec && body.is_object() && body.as_object().contains("token")) {
          token = body.at("token").as_string();
        }
      }
      last_authorization_ = std::string(context.request()["X-Key"]);
      if (token.starts_with("valid-")) {
        co_return http::json_response(
            http::Status::ok,
            json::object{{"user", json::object{{"id", token.substr(6)},
                                               {"email", token.substr(6) + "@example.org"}}}});
      }
      if (token == "nouid") {
        co_return http::json_response(http::Status::ok, json::object{{"user", json::object{}}});
      }
      co_return http::json_response(http::Status::unauthorized,
                                    json::object{{"error", "Token invalid"}});
    };
    router->add(http::Verb::get, "/auth/verify-connectycube", verify);
    router->add(http::Verb::post, "/auth/verify-connectycube", verify);
    http::ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.threads = 1;
    options.access_log = false;
    options.shutdown_timeout = std::chrono::milliseconds(200);
    server_ = std::make_unique<http::Server>(options, router);
    if (auto listening = server_->listen(); !listening) {
      throw std::runtime_error(listening.error());
    }
    thread_ = std::thread([this] { server_->run(); });
  }
  ~VerifyEndpoint() {
    server_->shutdown();
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/auth/verify-connectycube";
  }
  int calls() const { return calls_.load(); }
  std::string last_key() const { return last_authorization_; }

 private:
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::atomic<int> calls_{0};
  std::string last_authorization_;
};

emulator::EmulatorOptions cidp_options(const VerifyEndpoint& idp, std::string method = "GET") {
  auto options = EmulatorThread::default_options();
  options.cidp.enabled = true;
  options.cidp.endpoint = idp.url();
  options.cidp.method = std::move(method);
  options.cidp.response_params = json::object{{"uid", "#{user.id}"}, {"email", "#{user.email}"}};
  return options;
}

Client client_for(const EmulatorThread& emulator) {
  ClientOptions options;
  options.api_url = emulator.url();
  options.app_id = "5120";
  options.auth_key = "Xk2pQr7sTuVw9yZ";
  options.max_retries = 0;
  return Client(options);
}

TEST(Cidp, CreatesAUserForANewUidAndFindsItAgain) {
  VerifyEndpoint idp;
  EmulatorThread emulator(cidp_options(idp));
  Client client = client_for(emulator);
  auto first =
      run([&]() { return client.create_session_with_login("valid-65f1c0ffee", "cidp-password"); });
  ASSERT_TRUE(first) << first.error().message;
  auto again =
      run([&]() { return client.create_session_with_login("valid-65f1c0ffee", "other-password"); });
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->user_id, first->user_id);
  EXPECT_NE(again->token, first->token);
  auto other =
      run([&]() { return client.create_session_with_login("valid-77aa", "cidp-password"); });
  ASSERT_TRUE(other);
  EXPECT_NE(other->user_id, first->user_id);
  EXPECT_EQ(idp.calls(), 3);
  // The created user carries the uid as external_id and the mapped email.
  auto [status, body] = emulator.call("GET", "/users/" + std::to_string(first->user_id) + ".json",
                                      "", {{"CB-Token", first->token}});
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body.at("user").at("external_id").as_string(), "65f1c0ffee");
  EXPECT_EQ(body.at("user").at("email").as_string(), "65f1c0ffee@example.org");
  EXPECT_EQ(body.at("user").at("login").as_string(), "custom_65f1c0ffee");
}

TEST(Cidp, RefusesTheSessionWhenTheIdpRefusesTheToken) {
  VerifyEndpoint idp;
  EmulatorThread emulator(cidp_options(idp));
  auto [status, body] = emulator.call(
      "POST", "/session.json",
      R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ","user":{"login":"forged","password":"x-password"}})");
  EXPECT_EQ(status, 422);
  EXPECT_EQ(
      body.at("errors").at(0).as_string(),
      R"(Bad Authentication data. Unauthorized on remote side. Status: 401.Response "{"error":"Token invalid"}")");
  Client client = client_for(emulator);
  auto session = run([&]() { return client.create_session_with_login("forged", "x-password"); });
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(session.error().field_messages.count("base"), 1u);
}

TEST(Cidp, RequiresAUidInTheIdpsAnswer) {
  VerifyEndpoint idp;
  EmulatorThread emulator(cidp_options(idp));
  auto [status, body] = emulator.call(
      "POST", "/session.json",
      R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ","user":{"login":"nouid","password":"x-password"}})");
  EXPECT_EQ(status, 422);
  ASSERT_TRUE(body.at("errors").is_object()) << json::serialize(body);
  EXPECT_EQ(body.at("errors").at("base").at(0).as_string(),
            "Custom Identity Provider uid is required");
}

TEST(Cidp, ReportsAnUnreachableIdpAsARefusal) {
  std::string dead_url;
  {
    VerifyEndpoint idp;
    dead_url = idp.url();
  }
  auto options = EmulatorThread::default_options();
  options.cidp.enabled = true;
  options.cidp.endpoint = dead_url;
  EmulatorThread emulator(options);
  auto [status, body] = emulator.call(
      "POST", "/session.json",
      R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ","user":{"login":"valid-1","password":"x-password"}})");
  EXPECT_EQ(status, 422);
  EXPECT_NE(std::string(body.at("errors").at(0).as_string()).find("Bad Authentication data"),
            std::string::npos);
}

TEST(Cidp, PostsParamsAsJsonAndSubstitutesHeaders) {
  VerifyEndpoint idp;
  auto options = cidp_options(idp, "POST");
  options.cidp.headers = json::object{{"X-Key", "AAA #{password}"}};
  EmulatorThread emulator(options);
  auto [status, body] = emulator.call(
      "POST", "/session.json",
      R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ","user":{"login":"valid-9","password":"pw-123456"}})");
  EXPECT_EQ(status, 201);
  EXPECT_EQ(idp.last_key(), "AAA pw-123456");
}

TEST(Cidp, GoesThroughTheIdpForLoginAfterAnApplicationSession) {
  VerifyEndpoint idp;
  EmulatorThread emulator(cidp_options(idp));
  auto [created, app] = emulator.call("POST", "/session.json",
                                      R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ"})");
  ASSERT_EQ(created, 201);
  auto [status, body] =
      emulator.call("POST", "/login.json", R"({"login":"valid-42","password":"x-password"})",
                    {{"CB-Token", std::string(app.at("session").at("token").as_string())}});
  EXPECT_EQ(status, 202);
  EXPECT_EQ(body.at("user").at("external_id").as_string(), "42");
}

TEST(CidpTemplates, SubstitutesAndExtracts) {
  EXPECT_EQ(emulator::substitute("Bearer #{login}/#{password}", "L", "P"), "Bearer L/P");
  const json::value document = json::parse(R"({"user":{"id":2345,"name":"s"},"uid":"abc"})");
  EXPECT_EQ(emulator::extract(document, "#{user.id}"), "2345");
  EXPECT_EQ(emulator::extract(document, "#{uid}"), "abc");
  EXPECT_EQ(emulator::extract(document, "#{user.missing}"), "");
  EXPECT_EQ(emulator::extract(document, "user.id"), "");
}

}  // namespace
}  // namespace cubeauth::connectycube
