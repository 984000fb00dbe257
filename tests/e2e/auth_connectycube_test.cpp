// The auth API with ConnectyCube attached (the emulator, over loopback): sign-up at
// registration, sessions at login, ConnectyCube failing, and the full Custom Identity
// Provider loop in which the emulator calls cubeauth's verify endpoint.
#include "e2e/api_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <thread>

namespace cubeauth::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kAppId = "5120";
constexpr const char* kAuthKey = "Xk2pQr7sTuVw9yZ";

std::uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

class Emulator {
 public:
  explicit Emulator(std::vector<std::string> flags = {}) {
    flags.push_back("--app-id=" + std::string(kAppId));
    flags.push_back("--auth-key=" + std::string(kAuthKey));
    flags.push_back("--port=0");
    process_ = std::make_unique<ServerProcess>(CONNECTYCUBE_EMULATOR, std::map<std::string, std::string>{}, flags,
                                               "listening on 127.0.0.1:");
    if (!process_->wait_ready()) {
      throw std::runtime_error("emulator did not start:\n" + process_->output());
    }
  }
  std::uint16_t port() const { return process_->port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  void control(const std::string& path, const std::string& json) {
    auto response = http_request(port(), "POST", path, json, "Content-Type: application/json\r\n");
    if (!response || response->result_int() >= 300) {
      throw std::runtime_error("emulator control " + path + " failed");
    }
  }
  boost::json::array requests() {
    auto response = http_request(port(), "GET", "/_emulator/requests");
    return boost::json::parse(response->body()).at("requests").as_array();
  }

 private:
  std::unique_ptr<ServerProcess> process_;
};

/// Every test on every store that runs here (see kStores); each starts its own
/// emulator, so ConnectyCube's side is fresh while the store may be shared.
class AuthWithConnectyCube : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto environment = store_environment(GetParam());
    if (!environment) {
      GTEST_SKIP() << "TEST_POSTGRES_URL is not set (scripts/with-postgres.sh sets it)";
    }
    store_environment_ = std::move(*environment);
  }

  /// The store's variables plus those that attach `emulator`.
  std::map<std::string, std::string> connectycube_environment(const Emulator& emulator) const {
    auto environment = store_environment_;
    environment["APP_ID"] = kAppId;
    environment["AUTH_KEY"] = kAuthKey;
    environment["CONNECTYCUBE_API_URL"] = emulator.url();
    return environment;
  }

 private:
  std::map<std::string, std::string> store_environment_;
};

boost::json::object credentials(const std::string& email, const std::string& password = "Lantern-8812") {
  return {{"body", {{"email", email}, {"password", password}}}};
}

TEST_P(AuthWithConnectyCube, SignsUpAtRegistrationAndOpensASessionAtLogin) {
  Emulator emulator;
  Cubeauth cubeauth(connectycube_environment(emulator));
  const std::string nadia_email = unique_email("nadia");
  const auto registered = post_graphql(cubeauth.port(), kRegister, registration(nadia_email));
  ASSERT_TRUE(registered.errors().empty()) << boost::json::serialize(registered.body);

  bool signed_up = false;
  for (const auto& request : emulator.requests()) {
    if (request.at("method") == "POST" && request.at("path").as_string().starts_with("/users")) {
      const auto body = boost::json::parse(request.at("body").as_string());
      EXPECT_EQ(body.at("user").at("email").as_string(), nadia_email);
      EXPECT_EQ(body.at("user").at("full_name"), "Nadia K");
      signed_up = true;
    }
  }
  EXPECT_TRUE(signed_up);

  const auto login = post_graphql(cubeauth.port(), kLogin, credentials(nadia_email));
  ASSERT_TRUE(login.errors().empty()) << boost::json::serialize(login.body);
  const auto& data = login.data().at("login");
  const std::string session(data.at("connectySession").as_string());
  EXPECT_EQ(session.size(), 36u);
  EXPECT_TRUE(data.at("ccUserId").is_number());
}

TEST_P(AuthWithConnectyCube, LeavesNoUserWhenSignUpFailsAndARetrySucceeds) {
  Emulator emulator;
  Cubeauth cubeauth(connectycube_environment(emulator));
  const std::string retry_email = unique_email("retry");
  emulator.control("/_emulator/fail", R"({"count":1,"status":503})");
  const auto failed = post_graphql(cubeauth.port(), kRegister, registration(retry_email));
  ASSERT_EQ(failed.errors().size(), 1u) << boost::json::serialize(failed.body);
  EXPECT_EQ(failed.code(), "CONNECTYCUBE_UNAVAILABLE");
  // No local user remains: the credentials do not log in ...
  const auto login = post_graphql(cubeauth.port(), kLogin, credentials(retry_email));
  EXPECT_EQ(login.code(), "UNAUTHENTICATED");
  // ... and registering again succeeds once ConnectyCube is back.
  const auto retried = post_graphql(cubeauth.port(), kRegister, registration(retry_email));
  EXPECT_TRUE(retried.errors().empty()) << boost::json::serialize(retried.body);
}

TEST_P(AuthWithConnectyCube, StillLogsInWhenConnectyCubeIsDown) {
  Emulator emulator;
  Cubeauth cubeauth(connectycube_environment(emulator));
  const std::string down_email = unique_email("down");
  ASSERT_TRUE(post_graphql(cubeauth.port(), kRegister, registration(down_email)).errors().empty());
  emulator.control("/_emulator/fail", R"({"count":10,"status":500})");
  const auto login = post_graphql(cubeauth.port(), kLogin, credentials(down_email));
  ASSERT_EQ(login.status, 200u);
  const auto& data = login.data().at("login");
  EXPECT_FALSE(data.at("token").as_string().empty());
  EXPECT_TRUE(data.at("connectySession").is_null());
  ASSERT_FALSE(login.errors().empty());
  EXPECT_EQ(login.code(), "CONNECTYCUBE_UNAVAILABLE");
  EXPECT_EQ(login.errors().at(0).at("path").at(1), "connectySession");
}

TEST_P(AuthWithConnectyCube, CompletesTheCustomIdentityProviderLoop) {
  const std::uint16_t cubeauth_port = free_port();
  Emulator emulator({"--cidp-enabled=true",
                     "--cidp-endpoint=http://127.0.0.1:" + std::to_string(cubeauth_port) + "/auth/verify-connectycube",
                     R"(--cidp-response-params={"uid":"#{user.id}","email":"#{user.email}"})"});
  auto environment = connectycube_environment(emulator);
  environment["PORT"] = std::to_string(cubeauth_port);
  environment["CONNECTYCUBE_SIGNUP"] = "false";
  Cubeauth cubeauth(environment);
  const std::string cidp_email = unique_email("cidp");

  const auto registered = post_graphql(cubeauth.port(), kRegister, registration(cidp_email));
  ASSERT_TRUE(registered.errors().empty()) << boost::json::serialize(registered.body);
  const auto first = post_graphql(cubeauth.port(), kLoginByToken, credentials(cidp_email));
  ASSERT_TRUE(first.errors().empty()) << boost::json::serialize(first.body);
  const auto& data = first.data().at("login_By_token");
  EXPECT_EQ(data.at("connectySession").as_string().size(), 36u);
  ASSERT_TRUE(data.at("ccUserId").is_number());

  // ConnectyCube really asked cubeauth: the verify endpoint answered it.
  EXPECT_NE(cubeauth.process().output().find("GET /auth/verify-connectycube 200"), std::string::npos);
  // The same user again gets the same ConnectyCube user.
  const auto second = post_graphql(cubeauth.port(), kLoginByToken, credentials(cidp_email));
  ASSERT_TRUE(second.errors().empty());
  EXPECT_EQ(second.data().at("login_By_token").at("ccUserId"), data.at("ccUserId"));
}

INSTANTIATE_TEST_SUITE_P(Stores, AuthWithConnectyCube, ::testing::ValuesIn(kStores),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cubeauth::testing
