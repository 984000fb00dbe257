// The REST twins of the GraphQL operations on the real binary: the same rules and
// messages, HTTP statuses from the same error table.
#include "e2e/api_client.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace cubeauth::testing {
namespace {

constexpr const char* kJson = "Content-Type: application/json\r\n";

struct RestAnswer {
  unsigned status = 0;
  boost::json::value body;
  std::string www_authenticate;
};

RestAnswer call(std::uint16_t port, const std::string& method, const std::string& path, const boost::json::value& body,
                const std::string& headers = kJson) {
  const auto response =
      http_request(port, method, path, body.is_null() ? std::string() : boost::json::serialize(body), headers);
  RestAnswer answer;
  if (!response) {
    return answer;
  }
  answer.status = response->result_int();
  answer.www_authenticate = std::string((*response)[boost::beast::http::field::www_authenticate]);
  boost::system::error_code ec;
  answer.body = boost::json::parse(response->body(), ec);
  return answer;
}

/// On every store, like their GraphQL twins.
class RestApi : public OnEveryStore {};

boost::json::object credentials(const std::string& email, const std::string& password = "Lantern-8812") {
  return {{"email", email}, {"password", password}};
}

TEST_P(RestApi, RegisterAnswers201WithTheUserAnd409ForATakenEmail) {
  const std::string email = unique_email("rest");
  boost::json::object body = credentials(email);
  body["firstName"] = "Nadia";
  body["lastName"] = "K";
  const auto created = call(port(), "POST", "/auth/register", body);
  ASSERT_EQ(created.status, 201u) << boost::json::serialize(created.body);
  EXPECT_EQ(created.body.at("message"), "user register successfully");
  EXPECT_EQ(created.body.at("user").at("email").as_string(), email);

  const auto taken = call(port(), "POST", "/auth/register", body);
  EXPECT_EQ(taken.status, 409u);
  EXPECT_EQ(taken.body.at("code"), "EMAIL_ALREADY_EXISTS");
  EXPECT_EQ(taken.body.at("message"), "Email already exists");
}

TEST_P(RestApi, RefusesBadInputNamingTheFieldAndNonJsonBodies) {
  boost::json::object body = credentials("not-an-email");
  body["firstName"] = "Nadia";
  body["lastName"] = "K";
  const auto bad = call(port(), "POST", "/auth/register", body);
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.body.at("code"), "BAD_USER_INPUT");
  EXPECT_EQ(bad.body.at("field"), "email");

  body["email"] = 42;
  const auto typed = call(port(), "POST", "/auth/register", body);
  EXPECT_EQ(typed.status, 400u);
  EXPECT_EQ(typed.body.at("field"), "email");

  const auto form = call(port(), "POST", "/auth/login", boost::json::value("x"), "Content-Type: text/plain\r\n");
  EXPECT_EQ(form.status, 415u);
  const auto array = call(port(), "POST", "/auth/login", boost::json::array{1, 2});
  EXPECT_EQ(array.status, 400u);
  // No refresh token: the same answer as GraphQL's empty one.
  const auto missing = call(port(), "POST", "/auth/refresh", boost::json::object{});
  EXPECT_EQ(missing.status, 401u);
  EXPECT_EQ(missing.body.at("message"), "The refresh token is invalid or expired.");
  const auto graphql_missing = post_graphql(port(), "mutation { refresh(refreshToken: \"\") { token } }");
  EXPECT_EQ(graphql_missing.errors().at(0).at("message"), missing.body.at("message"));
}

TEST_P(RestApi, LoginRefreshMeAndLogoutWorkLikeTheirGraphqlTwins) {
  const std::string email = unique_email("restlogin");
  ASSERT_TRUE(post_graphql(port(), kRegister, registration(email)).errors().empty());

  const auto wrong = call(port(), "POST", "/auth/login", credentials(email, "Wrong-pass-1"));
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(wrong.body.at("message"), "Invalid email or password");
  const auto unknown = call(port(), "POST", "/auth/login", credentials(unique_email("nobody")));
  EXPECT_EQ(unknown.status, 401u);
  EXPECT_EQ(unknown.body, wrong.body);

  const auto login = call(port(), "POST", "/auth/login", credentials(email));
  ASSERT_EQ(login.status, 200u) << boost::json::serialize(login.body);
  EXPECT_EQ(login.body.at("message"), "Login successful");
  EXPECT_TRUE(login.body.at("connectySession").is_null());
  EXPECT_EQ(login.body.at("connectyCubeError").at("code"), "CONNECTYCUBE_NOT_CONFIGURED");
  const std::string token(login.body.at("token").as_string());
  const std::string refresh_token(login.body.at("refreshToken").as_string());

  const auto me = call(port(), "GET", "/auth/me", nullptr, "Authorization: Bearer " + token + "\r\n");
  ASSERT_EQ(me.status, 200u) << boost::json::serialize(me.body);
  EXPECT_EQ(me.body.at("user").at("email").as_string(), email);
  const auto anonymous = call(port(), "GET", "/auth/me", nullptr, "");
  EXPECT_EQ(anonymous.status, 401u);
  EXPECT_EQ(anonymous.www_authenticate, "Bearer");
  EXPECT_EQ(anonymous.body.at("code"), "UNAUTHENTICATED");

  // The REST answer is the GraphQL answer's data, field for field.
  const auto graphql_me = post_graphql(port(), "{ me { id firstName lastName email roles disabled } }", {},
                                       "Authorization: Bearer " + token + "\r\n");
  EXPECT_EQ(graphql_me.data().at("me"), me.body.at("user"));

  const auto refreshed = call(port(), "POST", "/auth/refresh", {{"refreshToken", refresh_token}});
  ASSERT_EQ(refreshed.status, 200u) << boost::json::serialize(refreshed.body);
  const std::string next(refreshed.body.at("refreshToken").as_string());
  EXPECT_EQ(call(port(), "POST", "/auth/refresh", {{"refreshToken", refresh_token}}).status, 401u);  // reuse
  EXPECT_EQ(call(port(), "POST", "/auth/refresh", {{"refreshToken", next}}).status, 401u);  // family revoked

  const auto again = call(port(), "POST", "/auth/login-by-token", credentials(email));
  ASSERT_EQ(again.status, 200u);
  const std::string again_refresh(again.body.at("refreshToken").as_string());
  const auto out = call(port(), "POST", "/auth/logout", {{"refreshToken", again_refresh}});
  EXPECT_EQ(out.status, 200u);
  EXPECT_EQ(out.body.at("message"), "Logged out");
  EXPECT_EQ(call(port(), "POST", "/auth/refresh", {{"refreshToken", again_refresh}}).status, 401u);
}

INSTANTIATE_TEST_SUITE_P(Stores, RestApi, ::testing::ValuesIn(kStores), [](const auto& info) { return info.param; });

TEST(RateLimits, RefuseAClientOverItsBurstWithRetryAfterOnBothFrontDoors) {
  Cubeauth server({{"CUBEAUTH_RATE_PER_CLIENT_BURST", "3"}, {"CUBEAUTH_RATE_PER_CLIENT_PER_MINUTE", "1"}});
  const std::string email = unique_email("limited");
  for (int i = 0; i < 3; ++i) {
    const auto attempt = call(server.port(), "POST", "/auth/login", credentials(email));
    EXPECT_EQ(attempt.status, 401u) << i;
  }
  const auto rest = http_request(server.port(), "POST", "/auth/login",
                                 boost::json::serialize(credentials(email)), kJson);
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->result_int(), 429u);
  EXPECT_EQ((*rest)[boost::beast::http::field::retry_after], "60");
  EXPECT_EQ(boost::json::parse(rest->body()).at("code"), "TOO_MANY_REQUESTS");

  const auto graphql = post_graphql(server.port(), kLogin, {{"body", credentials(email)}});
  EXPECT_EQ(graphql.code(), "TOO_MANY_REQUESTS");
  EXPECT_EQ(graphql.errors().at(0).at("extensions").at("retryAfter"), 60);
  const auto raw = http_request(server.port(), "POST", "/api",
                                boost::json::serialize(boost::json::object{
                                    {"query", kLogin}, {"variables", {{"body", credentials(email)}}}}),
                                kJson);
  ASSERT_TRUE(raw);
  EXPECT_EQ((*raw)[boost::beast::http::field::retry_after], "60");
}

TEST(RateLimits, LimitFriendMutationsPerUserWithRetryAfter) {
  Cubeauth server({{"CUBEAUTH_RATE_FRIEND_ACTIONS_BURST", "1"}, {"CUBEAUTH_RATE_FRIEND_ACTIONS_PER_MINUTE", "1"}});
  std::string ids[2];
  std::string bearer;
  for (int i = 0; i < 2; ++i) {
    const std::string email = unique_email("friendly");
    ASSERT_TRUE(post_graphql(server.port(), kRegister, registration(email)).errors().empty());
    const auto login = post_graphql(server.port(), kLogin, {{"body", credentials(email)}});
    ids[i] = std::string(login.data().at("login").at("user").at("id").as_string());
    bearer = "Authorization: Bearer " + std::string(login.data().at("login").at("token").as_string()) + "\r\n";
  }
  // The second user asks the first, then has no action left: the withdrawal is refused.
  const std::string send = "mutation($id: String) { sendFriendRequest(userId: $id) { status } }";
  const std::string cancel = "mutation($id: String!) { cancelFriendRequest(userId: $id) { message } }";
  const auto sent = post_graphql(server.port(), send, {{"id", ids[0]}}, bearer);
  ASSERT_TRUE(sent.errors().empty()) << boost::json::serialize(sent.body);
  const auto raw = http_request(server.port(), "POST", "/api",
                                boost::json::serialize(boost::json::object{{"query", cancel},
                                                                           {"variables", {{"id", ids[0]}}}}),
                                std::string(kJson) + bearer);
  ASSERT_TRUE(raw);
  EXPECT_EQ((*raw)[boost::beast::http::field::retry_after], "60");
  const auto refused = boost::json::parse(raw->body());
  EXPECT_EQ(refused.at("errors").at(0).at("extensions").at("code"), "TOO_MANY_REQUESTS") << raw->body();
  EXPECT_EQ(refused.at("errors").at(0).at("extensions").at("retryAfter"), 60);
}

TEST(RateLimits, LimitFailedLoginsPerAccountAlikeForKnownAndUnknownEmails) {
  Cubeauth server({{"CUBEAUTH_RATE_FAILED_LOGINS_BURST", "2"}, {"CUBEAUTH_RATE_FAILED_LOGINS_PER_MINUTE", "1"}});
  const std::string known = unique_email("known");
  ASSERT_TRUE(post_graphql(server.port(), kRegister, registration(known)).errors().empty());
  for (const std::string& email : {known, unique_email("unknown")}) {
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(call(server.port(), "POST", "/auth/login", credentials(email, "Wrong-pass-1")).status, 401u);
    }
    const auto limited = call(server.port(), "POST", "/auth/login", credentials(email, "Wrong-pass-1"));
    EXPECT_EQ(limited.status, 429u) << email;
    EXPECT_EQ(limited.body.at("message"), "Too many attempts; please wait before trying again.");
  }
  // Even the right password waits: the limit is on the account, not on the guess.
  EXPECT_EQ(call(server.port(), "POST", "/auth/login", credentials(known)).status, 429u);
}

}  // namespace
}  // namespace cubeauth::testing
