// The account lifecycle on the real binary, on every store that runs here: me, refresh
// rotation and reuse detection, logout, password and profile changes, deletion, roles
// and admin operations, strict tokens. ConnectyCube is not configured here; its side of
// these operations is in auth_connectycube_test.cpp.
#include "e2e/api_client.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <thread>

#include "auth/detail/base64url.hpp"

namespace cubeauth::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPassword = "Lantern-8812";
constexpr const char* kSessionLogin =
    "mutation($body: LoginUserDto!) { login(body: $body) { token refreshToken user { id email roles } } }";
constexpr const char* kMe = "{ me { id email firstName lastName roles disabled } }";
constexpr const char* kRefresh =
    "mutation($t: String!) { refresh(refreshToken: $t) { message token refreshToken user { id } } }";
constexpr const char* kLogout = "mutation($t: String!) { logout(refreshToken: $t) { message } }";

std::string bearer(const std::string& token) { return "Authorization: Bearer " + token + "\r\n"; }

/// The JSON payload of a JWT (no signature check: the server checks those).
boost::json::value jwt_payload(const std::string& token) {
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  const auto text = auth::detail::base64url_decode(std::string_view(token).substr(first + 1, second - first - 1));
  return text ? boost::json::parse(*text) : boost::json::value();
}

struct Session {
  std::string id;
  std::string token;
  std::string refresh_token;
};

/// One server per store for the whole suite (the admin test starts a second one).
class AccountLifecycle : public OnEveryStore {
 protected:
  void register_user(const std::string& email, const std::string& password = kPassword) {
    const auto answer = post_graphql(port_, kRegister, registration(email, password));
    ASSERT_TRUE(answer.errors().empty()) << boost::json::serialize(answer.body);
  }

  Session login(const std::string& email, const std::string& password = kPassword) {
    const auto answer = post_graphql(port_, kSessionLogin, {{"body", {{"email", email}, {"password", password}}}});
    EXPECT_TRUE(answer.errors().empty()) << boost::json::serialize(answer.body);
    if (!answer.errors().empty()) {
      return {};
    }
    const auto& data = answer.data().at("login");
    return {std::string(data.at("user").at("id").as_string()), std::string(data.at("token").as_string()),
            std::string(data.at("refreshToken").as_string())};
  }

  Session registered_session(const std::string& name) {
    const std::string email = unique_email(name);
    register_user(email);
    return login(email);
  }

  GraphqlAnswer refresh(const std::string& refresh_token) { return post_graphql(port_, kRefresh, {{"t", refresh_token}}); }

};

TEST_P(AccountLifecycle, MeAnswersForTheBearerTokenAndIsNullWithUnauthenticatedWithoutOne) {
  const std::string email = unique_email("me");
  register_user(email);
  const Session session = login(email);

  const auto me = post_graphql(port(), kMe, {}, bearer(session.token));
  ASSERT_TRUE(me.errors().empty()) << boost::json::serialize(me.body);
  EXPECT_EQ(me.data().at("me").at("id").as_string(), session.id);
  EXPECT_EQ(me.data().at("me").at("email").as_string(), email);
  EXPECT_EQ(me.data().at("me").at("roles"), boost::json::parse(R"(["user"])"));
  EXPECT_EQ(me.data().at("me").at("disabled"), false);

  for (const std::string& headers : {std::string(), bearer("not.a.token"), std::string("Authorization: Basic eDp5\r\n")}) {
    const auto anonymous = post_graphql(port(), kMe, {}, headers);
    EXPECT_TRUE(anonymous.data().at("me").is_null()) << headers;
    EXPECT_EQ(anonymous.code(), "UNAUTHENTICATED") << headers;
  }
}

TEST_P(AccountLifecycle, RefreshRotatesAndAReusedTokenRevokesTheWholeSession) {
  const Session session = registered_session("rotate");
  const auto first = refresh(session.refresh_token);
  ASSERT_TRUE(first.errors().empty()) << boost::json::serialize(first.body);
  const std::string second_token(first.data().at("refresh").at("refreshToken").as_string());
  EXPECT_NE(second_token, session.refresh_token);
  EXPECT_EQ(first.data().at("refresh").at("user").at("id").as_string(), session.id);
  const std::string access(first.data().at("refresh").at("token").as_string());
  EXPECT_TRUE(post_graphql(port(), kMe, {}, bearer(access)).errors().empty());

  const auto second = refresh(second_token);
  ASSERT_TRUE(second.errors().empty()) << boost::json::serialize(second.body);
  const std::string third_token(second.data().at("refresh").at("refreshToken").as_string());

  // The first token again: stolen, most likely. It fails, and so does the live one.
  const auto reused = refresh(session.refresh_token);
  EXPECT_EQ(reused.code(), "UNAUTHENTICATED");
  EXPECT_TRUE(reused.data().is_null());
  EXPECT_EQ(refresh(third_token).code(), "UNAUTHENTICATED");
  // Another login is another session, untouched.
  const Session other = login(std::string(jwt_payload(session.token).at("email").as_string()));
  EXPECT_TRUE(refresh(other.refresh_token).errors().empty());
}

TEST_P(AccountLifecycle, OfConcurrentRefreshesWithOneTokenExactlyOneSucceeds) {
  const Session session = registered_session("race");
  constexpr int kRacers = 8;
  std::vector<GraphqlAnswer> answers(kRacers);
  std::vector<std::thread> racers;
  for (int i = 0; i < kRacers; ++i) {
    racers.emplace_back([&, i] { answers[i] = refresh(session.refresh_token); });
  }
  for (auto& racer : racers) {
    racer.join();
  }
  int succeeded = 0;
  for (const auto& answer : answers) {
    if (answer.errors().empty()) {
      ++succeeded;
    } else {
      EXPECT_EQ(answer.code(), "UNAUTHENTICATED") << boost::json::serialize(answer.body);
    }
  }
  EXPECT_EQ(succeeded, 1);
}

TEST_P(AccountLifecycle, LogoutEndsOneSessionAndLogoutAllEndsEvery) {
  const std::string email = unique_email("logout");
  register_user(email);
  const Session phone = login(email);
  const Session laptop = login(email);
  const Session tablet = login(email);

  const auto out = post_graphql(port(), kLogout, {{"t", phone.refresh_token}});
  ASSERT_TRUE(out.errors().empty()) << boost::json::serialize(out.body);
  EXPECT_EQ(out.data().at("logout").at("message"), "Logged out");
  EXPECT_EQ(refresh(phone.refresh_token).code(), "UNAUTHENTICATED");
  // Logging out twice, or with a token never issued, says the same and reveals nothing.
  EXPECT_TRUE(post_graphql(port(), kLogout, {{"t", phone.refresh_token}}).errors().empty());
  EXPECT_TRUE(post_graphql(port(), kLogout, {{"t", "never-issued"}}).errors().empty());

  const auto laptop_refreshed = refresh(laptop.refresh_token);
  ASSERT_TRUE(laptop_refreshed.errors().empty());
  const std::string laptop_next(laptop_refreshed.data().at("refresh").at("refreshToken").as_string());

  EXPECT_EQ(post_graphql(port(), "mutation { logoutAll { message } }").code(), "UNAUTHENTICATED");
  const auto all = post_graphql(port(), "mutation { logoutAll { message } }", {}, bearer(tablet.token));
  ASSERT_TRUE(all.errors().empty()) << boost::json::serialize(all.body);
  EXPECT_EQ(refresh(laptop_next).code(), "UNAUTHENTICATED");
  EXPECT_EQ(refresh(tablet.refresh_token).code(), "UNAUTHENTICATED");
}

TEST_P(AccountLifecycle, ChangePasswordChecksTheOldOneAppliesTheRulesAndEndsOtherSessions) {
  const std::string email = unique_email("change");
  register_user(email);
  const Session session = login(email);
  const char* change =
      "mutation($old: String!, $new: String!) { changePassword(oldPassword: $old, newPassword: $new) "
      "{ message token refreshToken } }";

  const auto wrong = post_graphql(port(), change, {{"old", "Wrong-pass-1"}, {"new", "Harbour-5531"}}, bearer(session.token));
  EXPECT_EQ(wrong.code(), "BAD_USER_INPUT");
  EXPECT_EQ(wrong.errors().at(0).at("extensions").at("field"), "oldPassword");
  const auto short_one = post_graphql(port(), change, {{"old", kPassword}, {"new", "short"}}, bearer(session.token));
  EXPECT_EQ(short_one.code(), "BAD_USER_INPUT");
  EXPECT_EQ(short_one.errors().at(0).at("extensions").at("field"), "newPassword");
  EXPECT_EQ(post_graphql(port(), change, {{"old", kPassword}, {"new", "Harbour-5531"}}).code(), "UNAUTHENTICATED");

  const auto changed = post_graphql(port(), change, {{"old", kPassword}, {"new", "Harbour-5531"}}, bearer(session.token));
  ASSERT_TRUE(changed.errors().empty()) << boost::json::serialize(changed.body);
  EXPECT_EQ(changed.data().at("changePassword").at("message"), "Password changed");
  const std::string new_refresh(changed.data().at("changePassword").at("refreshToken").as_string());

  EXPECT_EQ(post_graphql(port(), kLogin, {{"body", {{"email", email}, {"password", kPassword}}}}).code(),
            "UNAUTHENTICATED");
  login(email, "Harbour-5531");
  EXPECT_EQ(refresh(session.refresh_token).code(), "UNAUTHENTICATED");  // the old session ended
  EXPECT_TRUE(refresh(new_refresh).errors().empty());                   // the new one lives
}

TEST_P(AccountLifecycle, UpdateProfileChangesTheNamesAndChecksThem) {
  const Session session = registered_session("profile");
  const char* update =
      "mutation($f: String!, $l: String!) { updateProfile(firstName: $f, lastName: $l) "
      "{ message user { firstName lastName } connectyCubeUpdated } }";
  const auto blank = post_graphql(port(), update, {{"f", "  "}, {"l", "Karimova"}}, bearer(session.token));
  EXPECT_EQ(blank.code(), "BAD_USER_INPUT");
  EXPECT_EQ(blank.errors().at(0).at("extensions").at("field"), "firstName");

  const auto updated = post_graphql(port(), update, {{"f", " Nadia "}, {"l", "Karimova"}}, bearer(session.token));
  ASSERT_FALSE(updated.data().is_null()) << boost::json::serialize(updated.body);
  const auto& result = updated.data().at("updateProfile");
  EXPECT_EQ(result.at("user").at("firstName"), "Nadia");
  EXPECT_EQ(result.at("user").at("lastName"), "Karimova");
  // ConnectyCube is not configured here: the local change stands, the ConnectyCube part says why.
  EXPECT_TRUE(result.at("connectyCubeUpdated").is_null());
  EXPECT_EQ(updated.code(), "CONNECTYCUBE_NOT_CONFIGURED");
  const auto me = post_graphql(port(), kMe, {}, bearer(session.token));
  EXPECT_EQ(me.data().at("me").at("lastName"), "Karimova");
}

TEST_P(AccountLifecycle, DeleteAccountNeedsThePasswordAndLeavesNothing) {
  const std::string email = unique_email("delete");
  register_user(email);
  const Session session = login(email);
  const char* remove = "mutation($p: String!) { deleteAccount(password: $p) { message } }";

  const auto wrong = post_graphql(port(), remove, {{"p", "Wrong-pass-1"}}, bearer(session.token));
  EXPECT_EQ(wrong.code(), "BAD_USER_INPUT");
  EXPECT_EQ(wrong.errors().at(0).at("extensions").at("field"), "password");
  login(email);  // still there

  const auto deleted = post_graphql(port(), remove, {{"p", kPassword}}, bearer(session.token));
  ASSERT_TRUE(deleted.errors().empty()) << boost::json::serialize(deleted.body);
  EXPECT_EQ(deleted.data().at("deleteAccount").at("message"), "Account deleted");
  EXPECT_EQ(post_graphql(port(), kLogin, {{"body", {{"email", email}, {"password", kPassword}}}}).code(),
            "UNAUTHENTICATED");
  EXPECT_EQ(post_graphql(port(), kMe, {}, bearer(session.token)).code(), "UNAUTHENTICATED");
  EXPECT_EQ(refresh(session.refresh_token).code(), "UNAUTHENTICATED");
  // The email is free again.
  register_user(email);
}

TEST_P(AccountLifecycle, AdminsFromAdminEmailsListAndDisableUsersAndOthersAreForbidden) {
  // The admin registers on the running server, which lists the address in ADMIN_EMAILS:
  // that alone grants nothing (emails are not verified) ...
  const std::string admin_address = unique_email("admin");
  register_user(admin_address);
  const std::string unique = unique_email("listed");
  const std::string tag = unique.substr(0, unique.find('@'));
  std::vector<std::string> emails;
  for (int i = 0; i < 3; ++i) {
    emails.push_back(tag + "-" + std::to_string(i) + "@example.org");
    register_user(emails.back());
  }
  // ... the next start with the address listed does. The same store, a second process.
  auto environment = *store_environment(GetParam());
  if (GetParam() == "sqlite") {
    environment["DATABASE_URL"] = "sqlite://" + server().folder() + "/cubeauth.db";
  }
  environment["ADMIN_EMAILS"] = admin_address;
  Cubeauth restarted(environment);
  port_ = restarted.port();

  const Session admin = login(admin_address);
  EXPECT_EQ(jwt_payload(admin.token).at("roles"), boost::json::parse(R"(["user","admin"])"));
  const Session user = login(emails[0]);
  EXPECT_EQ(jwt_payload(user.token).at("roles"), boost::json::parse(R"(["user"])"));

  const char* list =
      "query($s: String, $a: String) { users(search: $s, after: $a, first: 2) { users { email } nextCursor } }";
  EXPECT_EQ(post_graphql(port(), list, {{"s", tag}}).code(), "UNAUTHENTICATED");
  const auto forbidden = post_graphql(port(), list, {{"s", tag}}, bearer(user.token));
  EXPECT_EQ(forbidden.code(), "FORBIDDEN");
  const auto first_page = post_graphql(port(), list, {{"s", tag}}, bearer(admin.token));
  ASSERT_TRUE(first_page.errors().empty()) << boost::json::serialize(first_page.body);
  const auto& page = first_page.data().at("users");
  ASSERT_EQ(page.at("users").as_array().size(), 2u);
  ASSERT_TRUE(page.at("nextCursor").is_string());
  const auto second_page =
      post_graphql(port(), list, {{"s", tag}, {"a", page.at("nextCursor")}}, bearer(admin.token));
  ASSERT_TRUE(second_page.errors().empty()) << boost::json::serialize(second_page.body);
  ASSERT_EQ(second_page.data().at("users").at("users").as_array().size(), 1u);
  EXPECT_TRUE(second_page.data().at("users").at("nextCursor").is_null());
  std::vector<std::string> seen;
  for (const auto* answer : {&first_page, &second_page}) {
    for (const auto& row : answer->data().at("users").at("users").as_array()) {
      seen.emplace_back(row.at("email").as_string());
    }
  }
  EXPECT_EQ(seen, emails);

  const char* disable = "mutation($id: String!, $d: Boolean!) { setUserDisabled(id: $id, disabled: $d) { id disabled } }";
  EXPECT_EQ(post_graphql(port(), disable, {{"id", admin.id}, {"d", true}}, bearer(user.token)).code(), "FORBIDDEN");
  const auto disabled = post_graphql(port(), disable, {{"id", user.id}, {"d", true}}, bearer(admin.token));
  ASSERT_TRUE(disabled.errors().empty()) << boost::json::serialize(disabled.body);
  EXPECT_EQ(disabled.data().at("setUserDisabled").at("disabled"), true);
  const auto refused = post_graphql(port(), kLogin, {{"body", {{"email", emails[0]}, {"password", kPassword}}}});
  EXPECT_EQ(refused.code(), "ACCOUNT_DISABLED");
  EXPECT_EQ(refresh(user.refresh_token).code(), "UNAUTHENTICATED");
  // Its still-valid access token cannot change anything.
  const auto change = post_graphql(
      port(), "mutation { changePassword(oldPassword: \"Lantern-8812\", newPassword: \"Harbour-5531\") { token } }", {},
      bearer(user.token));
  EXPECT_EQ(change.code(), "ACCOUNT_DISABLED");
  // A wrong password on a disabled account still says only "invalid": nothing is revealed.
  const auto guessed = post_graphql(port(), kLogin, {{"body", {{"email", emails[0]}, {"password", "Wrong-pass-1"}}}});
  EXPECT_EQ(guessed.code(), "UNAUTHENTICATED");

  ASSERT_TRUE(post_graphql(port(), disable, {{"id", user.id}, {"d", false}}, bearer(admin.token)).errors().empty());
  login(emails[0]);
  EXPECT_EQ(post_graphql(port(), disable, {{"id", "ffffffffffffffffffffffff"}, {"d", true}}, bearer(admin.token)).code(),
            "NOT_FOUND");
}

INSTANTIATE_TEST_SUITE_P(Stores, AccountLifecycle, ::testing::ValuesIn(kStores),
                         [](const auto& info) { return info.param; });

// Strict tokens: one server of its own (SQLite), since the mode is process-wide.
TEST(StrictTokens, RefuseAccessTokensIssuedBeforeAPasswordChangeWhileStatelessOnesStillPass) {
  Cubeauth strict(std::map<std::string, std::string>{{"CUBEAUTH_STRICT_TOKENS", "true"}});
  Cubeauth stateless;
  for (Cubeauth* server : {&strict, &stateless}) {
    const std::string email = unique_email("strict");
    ASSERT_TRUE(post_graphql(server->port(), kRegister, registration(email)).errors().empty());
    const auto login = post_graphql(server->port(), kSessionLogin, {{"body", {{"email", email}, {"password", kPassword}}}});
    const std::string old_token(login.data().at("login").at("token").as_string());
    std::this_thread::sleep_for(1100ms);  // iat has whole seconds: the change must come in a later second
    const auto changed = post_graphql(
        server->port(), "mutation { changePassword(oldPassword: \"Lantern-8812\", newPassword: \"Harbour-5531\") { token } }",
        {}, bearer(old_token));
    ASSERT_TRUE(changed.errors().empty()) << boost::json::serialize(changed.body);
    const std::string new_token(changed.data().at("changePassword").at("token").as_string());

    const auto old_verify = http_request(server->port(), "GET", "/auth/verify-connectycube?token=" + old_token);
    const auto new_verify = http_request(server->port(), "GET", "/auth/verify-connectycube?token=" + new_token);
    EXPECT_EQ(new_verify->result_int(), 200u);
    const auto old_me = post_graphql(server->port(), kMe, {}, bearer(old_token));
    if (server == &strict) {
      EXPECT_EQ(old_verify->result_int(), 401u);
      EXPECT_EQ(old_me.code(), "UNAUTHENTICATED");
    } else {
      EXPECT_EQ(old_verify->result_int(), 200u);  // stateless: valid until it expires
      EXPECT_TRUE(old_me.errors().empty());
    }
  }
}

}  // namespace
}  // namespace cubeauth::testing
