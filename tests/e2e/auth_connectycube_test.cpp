// The auth API with ConnectyCube attached (the emulator, over loopback): sign-up at
// registration, sessions at login, ConnectyCube failing, and the full Custom Identity
// Provider loop in which the emulator calls cubeauth's verify endpoint.
#include "e2e/api_client.hpp"
#include "e2e/emulator.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <thread>

namespace cubeauth::testing {
namespace {

using namespace std::chrono_literals;

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

  /// The emulator's flags for a Custom Identity Provider that calls cubeauth on `port`.
  static std::vector<std::string> identity_provider_flags(std::uint16_t port) {
    return {"--cidp-enabled=true",
            "--cidp-endpoint=http://127.0.0.1:" + std::to_string(port) + "/auth/verify-connectycube",
            R"(--cidp-response-params={"uid":"#{user.id}","email":"#{user.email}"})"};
  }

  /// cubeauth on `port`, attached to `emulator`, with no sign-up (identity provider apps).
  std::map<std::string, std::string> identity_provider_environment(const Emulator& emulator,
                                                                    std::uint16_t port) const {
    auto environment = connectycube_environment(emulator);
    environment["PORT"] = std::to_string(port);
    environment["CONNECTYCUBE_SIGNUP"] = "false";
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
  Emulator emulator(identity_provider_flags(cubeauth_port));
  Cubeauth cubeauth(identity_provider_environment(emulator, cubeauth_port));
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

std::string bearer(const GraphqlAnswer& login) {
  return "Authorization: Bearer " + std::string(login.data().at("login").at("token").as_string()) + "\r\n";
}

constexpr const char* kChangePassword =
    "mutation($old: String!, $new: String!) { changePassword(oldPassword: $old, newPassword: $new) { message } }";

TEST_P(AuthWithConnectyCube, ChangesThePasswordOnConnectyCubeTooAndNothingAnywhereWhenThatFails) {
  Emulator emulator;
  Cubeauth cubeauth(connectycube_environment(emulator));
  const std::string email = unique_email("pwd");
  ASSERT_TRUE(post_graphql(cubeauth.port(), kRegister, registration(email)).errors().empty());
  const auto login = post_graphql(cubeauth.port(), kLogin, credentials(email));
  ASSERT_TRUE(login.errors().empty()) << boost::json::serialize(login.body);

  emulator.control("/_emulator/fail", R"({"count":1,"status":500,"method":"PUT","path":"/users/*"})");
  const auto failed = post_graphql(cubeauth.port(), kChangePassword, {{"old", "Lantern-8812"}, {"new", "Harbour-5531"}},
                                   bearer(login));
  EXPECT_EQ(failed.code(), "CONNECTYCUBE_UNAVAILABLE") << boost::json::serialize(failed.body);
  // Nothing changed on either side: the old password still opens both.
  const auto still = post_graphql(cubeauth.port(), kLogin, credentials(email));
  ASSERT_TRUE(still.errors().empty()) << boost::json::serialize(still.body);
  EXPECT_TRUE(still.data().at("login").at("connectySession").is_string());

  const auto changed = post_graphql(cubeauth.port(), kChangePassword, {{"old", "Lantern-8812"}, {"new", "Harbour-5531"}},
                                    bearer(login));
  ASSERT_TRUE(changed.errors().empty()) << boost::json::serialize(changed.body);
  const auto renewed = post_graphql(cubeauth.port(), kLogin, credentials(email, "Harbour-5531"));
  ASSERT_TRUE(renewed.errors().empty()) << boost::json::serialize(renewed.body);  // ConnectyCube took it too
  EXPECT_EQ(renewed.data().at("login").at("ccUserId"), login.data().at("login").at("ccUserId"));

  // The answer lost after ConnectyCube changed it: cubeauth finds out and follows.
  emulator.control("/_emulator/fail", R"({"count":1,"status":502,"method":"PUT","path":"/users/*","after":true})");
  const auto lost = post_graphql(cubeauth.port(), kChangePassword, {{"old", "Harbour-5531"}, {"new", "Quarry-7720"}},
                                 bearer(renewed));
  ASSERT_TRUE(lost.errors().empty()) << boost::json::serialize(lost.body);
  EXPECT_TRUE(post_graphql(cubeauth.port(), kLogin, credentials(email, "Quarry-7720")).errors().empty());
}

TEST_P(AuthWithConnectyCube, DeleteAccountLeavesEverythingWhenConnectyCubeIsDownAndNoConnectyCubeUserWhenDone) {
  Emulator emulator;
  Cubeauth cubeauth(connectycube_environment(emulator));
  const std::string email = unique_email("gone");
  ASSERT_TRUE(post_graphql(cubeauth.port(), kRegister, registration(email)).errors().empty());
  const auto login = post_graphql(cubeauth.port(), kLogin, credentials(email));
  ASSERT_TRUE(login.errors().empty()) << boost::json::serialize(login.body);
  const auto first_id = login.data().at("login").at("ccUserId");
  const char* remove = "mutation { deleteAccount(password: \"Lantern-8812\") { message } }";

  // ConnectyCube down through every attempt (the client tries 3 times): nothing is deleted.
  emulator.control("/_emulator/fail", R"({"count":3,"status":503,"method":"DELETE","path":"/users/*"})");
  const auto failed = post_graphql(cubeauth.port(), remove, {}, bearer(login));
  EXPECT_EQ(failed.code(), "CONNECTYCUBE_UNAVAILABLE") << boost::json::serialize(failed.body);
  const auto me = post_graphql(cubeauth.port(), "{ me { email } }", {}, bearer(login));
  EXPECT_EQ(me.data().at("me").at("email").as_string(), email);
  const auto intact = post_graphql(cubeauth.port(), kLogin, credentials(email));
  EXPECT_EQ(intact.data().at("login").at("ccUserId"), first_id);

  // Deleted there but the answer lost: the resend finds the user gone, which counts as done.
  emulator.control("/_emulator/fail", R"({"count":1,"status":503,"method":"DELETE","path":"/users/*","after":true})");
  const auto retried = post_graphql(cubeauth.port(), remove, {}, bearer(login));
  ASSERT_TRUE(retried.errors().empty()) << boost::json::serialize(retried.body);
  EXPECT_EQ(post_graphql(cubeauth.port(), kLogin, credentials(email)).code(), "UNAUTHENTICATED");
  // Registering again signs up a new ConnectyCube user: the old one is really gone
  // (a leftover would have been adopted, with its old id).
  ASSERT_TRUE(post_graphql(cubeauth.port(), kRegister, registration(email)).errors().empty());
  const auto again = post_graphql(cubeauth.port(), kLogin, credentials(email));
  ASSERT_TRUE(again.errors().empty());
  EXPECT_NE(again.data().at("login").at("ccUserId"), first_id);
}

TEST_P(AuthWithConnectyCube, UpdateProfileSetsTheConnectyCubeFullNameInTheGivenSession) {
  Emulator emulator;
  Cubeauth cubeauth(connectycube_environment(emulator));
  const std::string email = unique_email("names");
  ASSERT_TRUE(post_graphql(cubeauth.port(), kRegister, registration(email)).errors().empty());
  const auto login = post_graphql(cubeauth.port(), kLogin, credentials(email));
  ASSERT_TRUE(login.errors().empty());
  const auto updated = post_graphql(
      cubeauth.port(),
      "mutation($s: String) { updateProfile(firstName: \"Nadia\", lastName: \"Karimova\", connectySession: $s) "
      "{ connectyCubeUpdated user { lastName } } }",
      {{"s", login.data().at("login").at("connectySession")}}, bearer(login));
  ASSERT_TRUE(updated.errors().empty()) << boost::json::serialize(updated.body);
  EXPECT_EQ(updated.data().at("updateProfile").at("connectyCubeUpdated"), true);
  bool sent = false;
  for (const auto& request : emulator.requests()) {
    if (request.at("method") == "PUT") {
      const auto body = boost::json::parse(request.at("body").as_string());
      EXPECT_EQ(body.at("user").at("full_name"), "Nadia Karimova");
      sent = true;
    }
  }
  EXPECT_TRUE(sent);
}

TEST_P(AuthWithConnectyCube, WithTheIdentityProviderCubeauthOpensItsOwnSessionsForProfileAndDeletion) {
  const std::uint16_t cubeauth_port = free_port();
  Emulator emulator(identity_provider_flags(cubeauth_port));
  Cubeauth cubeauth(identity_provider_environment(emulator, cubeauth_port));
  const std::string email = unique_email("cidpself");
  ASSERT_TRUE(post_graphql(cubeauth.port(), kRegister, registration(email)).errors().empty());
  const auto login = post_graphql(cubeauth.port(), kLoginByToken, credentials(email));
  ASSERT_TRUE(login.errors().empty()) << boost::json::serialize(login.body);
  const std::string authorization =
      "Authorization: Bearer " + std::string(login.data().at("login_By_token").at("token").as_string()) + "\r\n";

  const auto updated = post_graphql(
      cubeauth.port(), "mutation { updateProfile(firstName: \"Nadia\", lastName: \"Idp\") { connectyCubeUpdated } }",
      {}, authorization);
  ASSERT_TRUE(updated.errors().empty()) << boost::json::serialize(updated.body);
  EXPECT_EQ(updated.data().at("updateProfile").at("connectyCubeUpdated"), true);

  const auto deleted =
      post_graphql(cubeauth.port(), "mutation { deleteAccount(password: \"Lantern-8812\") { message } }", {}, authorization);
  ASSERT_TRUE(deleted.errors().empty()) << boost::json::serialize(deleted.body);
  bool deleted_there = false;
  for (const auto& request : emulator.requests()) {
    deleted_there = deleted_there || (request.at("method") == "DELETE" &&
                                      request.at("path").as_string().starts_with("/users/"));
  }
  EXPECT_TRUE(deleted_there);
}

INSTANTIATE_TEST_SUITE_P(Stores, AuthWithConnectyCube, ::testing::ValuesIn(kStores),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cubeauth::testing
