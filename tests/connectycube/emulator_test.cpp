// The emulator's own behaviour over HTTP: status codes, bodies, headers, path and body forms.
#include "emulator.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json/serialize.hpp>

#include "harness.hpp"
#include "params.hpp"

namespace cubeauth::connectycube {
namespace {

namespace json = boost::json;
using testing::EmulatorThread;

constexpr const char* kSignUp =
    R"({"user":{"email":"nadia@example.org","password":"Lantern-8812","full_name":"Nadia K"}})";
constexpr const char* kEmailSession =
    R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ","user":{"email":"nadia@example.org","password":"Lantern-8812"}})";

using Headers = std::vector<std::pair<std::string, std::string>>;
const Headers kAuthKey = {{"CB-AuthKey", "Xk2pQr7sTuVw9yZ"}};

std::string first_error(const json::value& body) {
  const json::value& errors = body.at("errors");
  return errors.is_array() ? std::string(errors.at(0).as_string())
                           : std::string(errors.as_object().begin()->value().at(0).as_string());
}

std::string token_of(EmulatorThread& emulator) {
  auto [status, body] = emulator.call("POST", "/session.json", kEmailSession);
  EXPECT_EQ(status, 201);
  return std::string(body.at("session").at("token").as_string());
}

TEST(EmulatorUsers, SignsUpWithTheAuthKeyAndCreatesNoSession) {
  EmulatorThread emulator;
  auto [status, body] = emulator.call("POST", "/users.json", kSignUp, kAuthKey);
  EXPECT_EQ(status, 201);
  const auto& user = body.at("user").as_object();
  EXPECT_EQ(user.at("id").as_int64(), 100001);
  EXPECT_EQ(user.at("email").as_string(), "nadia@example.org");
  EXPECT_TRUE(user.at("login").is_null());
  EXPECT_TRUE(user.at("external_id").is_null());
  EXPECT_EQ(user.if_contains("password"), nullptr);
  EXPECT_EQ(user.if_contains("session"), nullptr);
}

TEST(EmulatorUsers, RefusesASignUpWithoutCredentials) {
  EmulatorThread emulator;
  auto [status, body] = emulator.call("POST", "/users.json", kSignUp);
  EXPECT_EQ(status, 401);
  EXPECT_EQ(first_error(body), "Token is required");
  auto [wrong_status, wrong_body] =
      emulator.call("POST", "/users.json", kSignUp, {{"CB-AuthKey", "wrong"}});
  EXPECT_EQ(wrong_status, 401);
  EXPECT_EQ(first_error(wrong_body), "Unauthorized");
}

TEST(EmulatorUsers, ValidatesFieldsWithRailsWording) {
  EmulatorThread emulator;
  auto [status, body] = emulator.call(
      "POST", "/users", R"({"user":{"login":"ab","email":"not-an-email","password":"12345"}})",
      kAuthKey);
  EXPECT_EQ(status, 422);
  const auto& errors = body.at("errors").as_object();
  EXPECT_EQ(errors.at("login").at(0).as_string(), "is too short (minimum is 3 characters)");
  EXPECT_EQ(errors.at("email").at(0).as_string(), "is invalid");
  EXPECT_EQ(errors.at("password").at(0).as_string(), "is too short (minimum is 6 characters)");
  auto [long_status, long_body] = emulator.call(
      "POST", "/users", R"({"user":{"login":"nadia","password":")" + std::string(41, 'p') + "\"}}",
      kAuthKey);
  EXPECT_EQ(long_status, 422);
  EXPECT_EQ(long_body.at("errors").at("password").at(0).as_string(),
            "is too long (maximum is 40 characters)");
}

TEST(EmulatorUsers, TakesPasswordLimitsFromItsOptions) {
  auto options = EmulatorThread::default_options();
  options.password_min = 8;
  EmulatorThread emulator(options);
  auto [status, body] = emulator.call(
      "POST", "/users", R"({"user":{"login":"nadia","password":"1234567"}})", kAuthKey);
  EXPECT_EQ(status, 422);
  EXPECT_EQ(body.at("errors").at("password").at(0).as_string(),
            "is too short (minimum is 8 characters)");
}

TEST(EmulatorUsers, ReportsATakenEmailCaseInsensitively) {
  EmulatorThread emulator;
  emulator.call("POST", "/users.json", kSignUp, kAuthKey);
  auto [status, body] = emulator.call(
      "POST", "/users.json", R"({"user":{"email":"NADIA@example.org","password":"Lantern-8812"}})",
      kAuthKey);
  EXPECT_EQ(status, 422);
  EXPECT_EQ(body.at("errors").at("email").at(0).as_string(), "has already been taken");
}

TEST(EmulatorUsers, AcceptsFormBodiesWithBrackets) {
  EmulatorThread emulator;
  auto [status, body] = emulator.call(
      "POST", "/users?user%5Blogin%5D=nadia.k&user[password]=Lantern-8812", "", kAuthKey);
  EXPECT_EQ(status, 201) << json::serialize(body);
  EXPECT_EQ(body.at("user").at("login").as_string(), "nadia.k");
}

TEST(EmulatorUsers, FindsUsersByIdLoginAndEmailWithAToken) {
  EmulatorThread emulator;
  emulator.call("POST", "/users.json", kSignUp, kAuthKey);
  const std::string token = token_of(emulator);
  const Headers auth = {{"CB-Token", token}};
  for (const char* target :
       {"/users/100001.json", "/users/100001", "/users/by_email.json?email=nadia%40example.org"}) {
    auto [status, body] = emulator.call("GET", target, "", auth);
    EXPECT_EQ(status, 200) << target;
    EXPECT_EQ(body.at("user").at("id").as_int64(), 100001) << target;
  }
  auto [missing, missing_body] = emulator.call("GET", "/users/by_login?login=nobody", "", auth);
  EXPECT_EQ(missing, 404);
  EXPECT_EQ(first_error(missing_body), "User not found");
  auto [no_token, no_token_body] = emulator.call("GET", "/users/100001.json");
  EXPECT_EQ(no_token, 401);
  EXPECT_EQ(first_error(no_token_body), "Token is required");
}

TEST(EmulatorUsers, LetsOnlyAUserDeleteThemself) {
  EmulatorThread emulator;
  emulator.call("POST", "/users.json", kSignUp, kAuthKey);
  emulator.call("POST", "/users.json",
                R"({"user":{"email":"omar@example.org","password":"Lantern-8812"}})", kAuthKey);
  const std::string token = token_of(emulator);
  auto [other, other_body] =
      emulator.call("DELETE", "/users/100002.json", "", {{"CB-Token", token}});
  EXPECT_EQ(other, 403);
  auto [self, self_body] = emulator.call("DELETE", "/users/100001.json", "", {{"CB-Token", token}});
  EXPECT_EQ(self, 200);
  auto [after, after_body] = emulator.call("GET", "/session.json", "", {{"CB-Token", token}});
  EXPECT_EQ(after, 401);  // the user's sessions went with it
  EXPECT_EQ(first_error(after_body), "Required session does not exist");
}

TEST(EmulatorSessions, CreatesAUserSessionWithTokenAndExpiryHeader) {
  EmulatorThread emulator;
  emulator.call("POST", "/users.json", kSignUp, kAuthKey);
  auto [status, body] = emulator.call("POST", "/session.json", kEmailSession);
  EXPECT_EQ(status, 201);
  const auto& session = body.at("session").as_object();
  EXPECT_EQ(session.at("user_id").as_int64(), 100001);
  EXPECT_EQ(session.at("user").at("id").as_int64(), 100001);
  const std::string token(session.at("token").as_string());
  EXPECT_EQ(token.size(), 36u);
  EXPECT_EQ(token.find_first_not_of("0123456789ABCDEF"), std::string::npos);
  // The header comes with every authorised answer.
  Endpoint endpoint{false, "127.0.0.1", std::to_string(emulator.port()), "", ""};
  auto response = testing::run([&]() -> boost::asio::awaitable<Result<IncomingResponse, Error>> {
    HttpClient http(HttpClientOptions{});
    OutgoingRequest request;
    request.method = "GET";
    request.target = "/session";
    request.headers.emplace_back("CB-Token", token);
    co_return co_await http.send(endpoint, std::move(request));
  });
  ASSERT_TRUE(response);
  bool has_expiry = false;
  for (const auto& [name, value] : response->headers) {
    if (name == "CB-Token-ExpirationDate") {
      has_expiry = value.size() == 23 && value.ends_with(" UTC");
    }
  }
  EXPECT_TRUE(has_expiry);
}

TEST(EmulatorSessions, CreatesAnApplicationSessionWithoutUser) {
  EmulatorThread emulator;
  auto [status, body] = emulator.call("POST", "/session",
                                      R"({"application_id":"5120","auth_key":"Xk2pQr7sTuVw9yZ"})");
  EXPECT_EQ(status, 201);
  EXPECT_EQ(body.at("session").at("user_id").as_int64(), 0);
  EXPECT_EQ(body.at("session").as_object().if_contains("user"), nullptr);
}

TEST(EmulatorSessions, RefusesWrongAppCredentialsAndWrongPasswords) {
  EmulatorThread emulator;
  emulator.call("POST", "/users.json", kSignUp, kAuthKey);
  auto [bad_app, bad_app_body] =
      emulator.call("POST", "/session", R"({"application_id":1,"auth_key":"Xk2pQr7sTuVw9yZ"})");
  EXPECT_EQ(bad_app, 401);
  EXPECT_EQ(first_error(bad_app_body), "Unauthorized");
  auto [bad_password, bad_password_body] = emulator.call(
      "POST", "/session",
      R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ","user":{"email":"nadia@example.org","password":"Wrong-8812"}})");
  EXPECT_EQ(bad_password, 401);
  EXPECT_EQ(first_error(bad_password_body), "Invalid password");
}

TEST(EmulatorSessions, AnswersUserNotFoundWhenAutoCreateIsOff) {
  auto options = EmulatorThread::default_options();
  options.auto_create = false;
  EmulatorThread emulator(options);
  auto [status, body] = emulator.call("POST", "/session.json", kEmailSession);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(body.at("errors").at(0).as_string(), "User not found");
}

TEST(EmulatorSessions, AutoCreatesAnUnknownUserByDefault) {
  EmulatorThread emulator;
  auto [status, body] = emulator.call("POST", "/session.json", kEmailSession);
  EXPECT_EQ(status, 201);
  EXPECT_EQ(body.at("session").at("user").at("email").as_string(), "nadia@example.org");
}

std::string hmac_sha1(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += "0123456789abcdef"[digest[i] >> 4];
    hex += "0123456789abcdef"[digest[i] & 15];
  }
  return hex;
}

TEST(EmulatorSessions, ChecksALegacySignatureWhenOneIsSent) {
  EmulatorThread emulator;  // auth secret "emulator-auth-secret"
  const std::string signed_text =
      "application_id=5120&auth_key=Xk2pQr7sTuVw9yZ&nonce=40417&timestamp=1717000000&"
      "user[login]=nadia.k&user[password]=Lantern-8812";
  const std::string form =
      "application_id=5120&auth_key=Xk2pQr7sTuVw9yZ&nonce=40417&timestamp=1717000000&"
      "user[login]=nadia.k&user[password]=Lantern-8812&signature=";
  auto [good, good_body] =
      emulator.call("POST", "/session?" + form + hmac_sha1("emulator-auth-secret", signed_text));
  EXPECT_EQ(good, 201) << json::serialize(good_body);
  // Signing only the application pairs while sending a user: refused (section 2.1).
  const std::string app_only =
      "application_id=5120&auth_key=Xk2pQr7sTuVw9yZ&nonce=40417&timestamp=1717000000";
  auto [bad, bad_body] =
      emulator.call("POST", "/session?" + form + hmac_sha1("emulator-auth-secret", app_only));
  EXPECT_EQ(bad, 422);
  EXPECT_EQ(first_error(bad_body), "Unexpected signature");
}

TEST(EmulatorSessions, DeletingASessionKillsTheToken) {
  EmulatorThread emulator;
  const std::string token = token_of(emulator);
  auto [status, body] = emulator.call("DELETE", "/session.json", "", {{"CB-Token", token}});
  EXPECT_EQ(status, 200);
  auto [after, after_body] = emulator.call("GET", "/session.json", "", {{"CB-Token", token}});
  EXPECT_EQ(after, 401);
  auto [empty, empty_body] = emulator.call("GET", "/session.json", "", {{"CB-Token", ""}});
  EXPECT_EQ(empty, 401);
  EXPECT_EQ(first_error(empty_body), "Token is required");
}

TEST(EmulatorSessions, LoginTurnsAnApplicationSessionIntoAUserSession) {
  EmulatorThread emulator;
  emulator.call("POST", "/users.json", kSignUp, kAuthKey);
  auto [created, app] = emulator.call("POST", "/session.json",
                                      R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ"})");
  ASSERT_EQ(created, 201);
  const Headers auth = {{"CB-Token", std::string(app.at("session").at("token").as_string())}};
  auto [blank, blank_body] =
      emulator.call("POST", "/login.json", R"({"email":"nadia@example.org"})", auth);
  EXPECT_EQ(blank, 422);
  EXPECT_EQ(blank_body.at("errors").at("password").at(0).as_string(), "cannot be blank");
  auto [no_token, no_token_body] = emulator.call("POST", "/login.json", R"({"login":"x"})");
  EXPECT_EQ(no_token, 401);
  auto [status, body] = emulator.call(
      "POST", "/login.json", R"({"email":"nadia@example.org","password":"Lantern-8812"})", auth);
  EXPECT_EQ(status, 202);
  EXPECT_EQ(body.at("user").at("id").as_int64(), 100001);
  auto [now, session] = emulator.call("GET", "/session.json", "", auth);
  EXPECT_EQ(session.at("session").at("user_id").as_int64(), 100001);
}

TEST(EmulatorControls, FailsTheNextCallsWithTheGivenStatus) {
  EmulatorThread emulator;
  emulator.fail_next(2, 502);
  EXPECT_EQ(emulator.call("POST", "/session.json", kEmailSession).first, 502);
  EXPECT_EQ(emulator.call("POST", "/session.json", kEmailSession).first, 502);
  EXPECT_EQ(emulator.call("POST", "/session.json", kEmailSession).first, 201);
}

TEST(EmulatorControls, ListsTheRequestsReceivedAndResets) {
  EmulatorThread emulator;
  emulator.call("POST", "/users.json", kSignUp, kAuthKey);
  auto requests = emulator.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& request = requests.at(0).as_object();
  EXPECT_EQ(request.at("method").as_string(), "POST");
  EXPECT_EQ(request.at("path").as_string(), "/users.json");
  EXPECT_EQ(request.at("headers").at("cb-authkey").as_string(), "Xk2pQr7sTuVw9yZ");
  EXPECT_EQ(request.at("body").as_string(), kSignUp);
  emulator.reset();
  EXPECT_TRUE(emulator.requests().empty());
  // Users are gone too: the same email signs up again with the first id.
  auto [status, body] = emulator.call("POST", "/users.json", kSignUp, kAuthKey);
  EXPECT_EQ(status, 201);
  EXPECT_EQ(body.at("user").at("id").as_int64(), 100001);
}

TEST(EmulatorControls, AnswersUnknownPathsWithTheServicesErrorShape) {
  EmulatorThread emulator;
  auto [status, body] = emulator.call("GET", "/chat/Message/unread.json");
  EXPECT_EQ(status, 404);
  EXPECT_TRUE(body.at("errors").is_object());
}

TEST(EmulatorParams, ParsesRailsBrackets) {
  const json::object params = emulator::parse_form("a=1&user[login]=x&ids[]=1&ids[]=2&n[a][b]=c");
  EXPECT_EQ(json::serialize(params),
            R"({"a":"1","user":{"login":"x"},"ids":["1","2"],"n":{"a":{"b":"c"}}})");
}

TEST(EmulatorParams, FlattensSortedForTheSignature) {
  const json::object params{{"user", json::object{{"password", "p"}, {"login", "l"}}},
                            {"signature", "s"},
                            {"application_id", 5120}};
  const auto pairs = emulator::flatten_for_signature(params);
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[0], (std::pair<std::string, std::string>{"application_id", "5120"}));
  EXPECT_EQ(pairs[1].first, "user[login]");
  EXPECT_EQ(pairs[2].first, "user[password]");
}

}  // namespace
}  // namespace cubeauth::connectycube
