// register, login, login_By_token and the verify endpoint on the real binary with
// ConnectyCube not configured (CONTRACT sections 4 to 6).
#include "e2e/api_client.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace cubeauth::testing {
namespace {

/// The same tests on every store that runs here: SQLite always, PostgreSQL when
/// TEST_POSTGRES_URL points at a server (the test script starts one).
class AuthLocal : public OnEveryStore {};

TEST_P(AuthLocal, RegistersAUserWithTheOldMessage) {
  const std::string email = unique_email("nadia");
  const auto answer = post_graphql(port(), kRegister, registration(email));
  ASSERT_EQ(answer.status, 200u) << boost::json::serialize(answer.body);
  const auto& result = answer.data().at("register");
  EXPECT_EQ(result.at("message"), "user register successfully");
  EXPECT_EQ(result.at("user").at("email").as_string(), email);
  EXPECT_EQ(result.at("user").at("firstName"), "Nadia");
  EXPECT_EQ(result.at("user").at("lastName"), "K");
  const std::string id(result.at("user").at("id").as_string());
  EXPECT_EQ(id.size(), 24u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST_P(AuthLocal, StoresEmailsTrimmedAndLowerCasedAndRefusesADuplicate) {
  const std::string email = unique_email("mixed");
  auto answer = post_graphql(port(), kRegister, registration("  MiXeD" + email.substr(5) + " "));
  ASSERT_TRUE(answer.errors().empty()) << boost::json::serialize(answer.body);
  EXPECT_EQ(answer.data().at("register").at("user").at("email").as_string(), "mixed" + email.substr(5));

  answer = post_graphql(port(), kRegister, registration(email));
  ASSERT_EQ(answer.errors().size(), 1u);
  EXPECT_EQ(answer.errors().at(0).at("message"), "Email already exists");
  EXPECT_EQ(answer.code(), "EMAIL_ALREADY_EXISTS");
  EXPECT_TRUE(answer.data().is_null());
}

TEST_P(AuthLocal, NamesTheFieldOfARefusedRegistrationAndStoresNothing) {
  const std::string email = unique_email("short");
  struct Case {
    boost::json::object variables;
    const char* field;
  };
  const Case cases[] = {
      {registration("not-an-email"), "email"},
      {registration(email, "short12"), "password"},
      {registration(email, std::string(41, 'p')), "password"},
      {registration(email, "Lantern-8812", " "), "firstName"},
      {registration(email, "Lantern-8812", "Nadia", ""), "lastName"},
  };
  for (const auto& c : cases) {
    const auto answer = post_graphql(port(), kRegister, c.variables);
    ASSERT_EQ(answer.errors().size(), 1u) << c.field;
    EXPECT_EQ(answer.code(), "BAD_USER_INPUT") << c.field;
    EXPECT_EQ(answer.errors().at(0).at("extensions").at("field"), c.field);
    EXPECT_EQ(answer.errors().at(0).at("path").at(0), "register");
  }
  // Nothing was stored: the same email registers fine now.
  EXPECT_TRUE(post_graphql(port(), kRegister, registration(email)).errors().empty());
}

TEST_P(AuthLocal, LogsInWithATokenTheVerifyEndpointAccepts) {
  const std::string email = unique_email("login");
  ASSERT_TRUE(post_graphql(port(), kRegister, registration(email)).errors().empty());
  const auto answer = post_graphql(port(), kLogin, {{"body", {{"email", email}, {"password", "Lantern-8812"}}}});
  ASSERT_EQ(answer.status, 200u);
  const auto& login = answer.data().at("login");
  EXPECT_EQ(login.at("message"), "Login successful");
  EXPECT_EQ(login.at("user").at("email").as_string(), email);
  const std::string token(login.at("token").as_string());

  const auto verified = http_request(port(), "GET", "/auth/verify-connectycube?token=" + token);
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->result_int(), 200u);
  const auto body = boost::json::parse(verified->body());
  EXPECT_EQ(body.at("user").at("id"), login.at("user").at("id"));
  EXPECT_EQ(body.at("user").at("email").as_string(), email);
}

TEST_P(AuthLocal, SaysTheSameForAnUnknownEmailAndAWrongPassword) {
  const std::string email = unique_email("same");
  ASSERT_TRUE(post_graphql(port(), kRegister, registration(email)).errors().empty());
  const auto wrong = post_graphql(port(), kLogin, {{"body", {{"email", email}, {"password", "Wrong-password"}}}});
  const auto unknown = post_graphql(port(), kLogin,
                                    {{"body", {{"email", unique_email("nobody")}, {"password", "Lantern-8812"}}}});
  ASSERT_EQ(wrong.errors().size(), 1u);
  ASSERT_EQ(unknown.errors().size(), 1u);
  EXPECT_EQ(wrong.errors().at(0).at("message"), "Invalid email or password");
  EXPECT_EQ(wrong.errors().at(0), unknown.errors().at(0));
  EXPECT_EQ(wrong.code(), "UNAUTHENTICATED");
}

TEST_P(AuthLocal, FindsAccountsWhateverTheCaseOfTheEmail) {
  const std::string email = unique_email("case");
  ASSERT_TRUE(post_graphql(port(), kRegister, registration(email)).errors().empty());
  std::string upper = email;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  const auto answer = post_graphql(port(), kLogin, {{"body", {{"email", " " + upper}, {"password", "Lantern-8812"}}}});
  ASSERT_TRUE(answer.data().is_object()) << boost::json::serialize(answer.body);
  EXPECT_EQ(answer.data().at("login").at("message"), "Login successful");
  EXPECT_EQ(answer.data().at("login").at("user").at("email").as_string(), email);
}

TEST_P(AuthLocal, KeepsTheOldSixCharacterRuleAtLogin) {
  const auto answer = post_graphql(port(), kLogin, {{"body", {{"email", "a@b.co"}, {"password", "five5"}}}});
  ASSERT_EQ(answer.errors().size(), 1u);
  EXPECT_EQ(answer.code(), "BAD_USER_INPUT");
  EXPECT_EQ(answer.errors().at(0).at("extensions").at("field"), "password");
}

TEST_P(AuthLocal, ExplainsNullConnectyCubeFieldsWhenItIsNotConfigured) {
  const std::string email = unique_email("offline");
  ASSERT_TRUE(post_graphql(port(), kRegister, registration(email)).errors().empty());
  for (const char* mutation : {kLogin, kLoginByToken}) {
    const auto answer = post_graphql(port(), mutation, {{"body", {{"email", email}, {"password", "Lantern-8812"}}}});
    ASSERT_EQ(answer.status, 200u);
    const auto& data = answer.data().as_object().begin()->value();
    EXPECT_FALSE(data.at("token").as_string().empty());
    EXPECT_TRUE(data.at("connectySession").is_null());
    EXPECT_TRUE(data.at("ccUserId").is_null());
    ASSERT_EQ(answer.errors().size(), 2u) << boost::json::serialize(answer.body);
    for (const auto& error : answer.errors()) {
      EXPECT_EQ(error.at("extensions").at("code"), "CONNECTYCUBE_NOT_CONFIGURED");
      EXPECT_EQ(error.at("path").at(0), answer.data().as_object().begin()->key());
    }
  }
}

TEST_P(AuthLocal, VerifyRefusesBadTokensWith401NeverA500) {
  for (const std::string& target :
       {std::string("/auth/verify-connectycube"), std::string("/auth/verify-connectycube?token="),
        std::string("/auth/verify-connectycube?token=abc"),
        std::string("/auth/verify-connectycube?token=eyJhbGciOiJub25lIn0.eyJpZCI6IngiLCJlbWFpbCI6InlAei5jbyJ9.")}) {
    const auto response = http_request(port(), "GET", target);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 401u) << target;
    const auto body = boost::json::parse(response->body());
    EXPECT_EQ(body.at("error"), "Unauthorized");
  }
}

TEST_P(AuthLocal, VerifyAcceptsPostWithTheTokenInQueryFormOrJson) {
  const std::string email = unique_email("post");
  ASSERT_TRUE(post_graphql(port(), kRegister, registration(email)).errors().empty());
  const auto login = post_graphql(port(), kLogin, {{"body", {{"email", email}, {"password", "Lantern-8812"}}}});
  const std::string token(login.data().at("login").at("token").as_string());
  const auto query = http_request(port(), "POST", "/auth/verify-connectycube?token=" + token);
  const auto form = http_request(port(), "POST", "/auth/verify-connectycube", "token=" + token,
                                 "Content-Type: application/x-www-form-urlencoded\r\n");
  const auto json = http_request(port(), "POST", "/auth/verify-connectycube", R"({"token":")" + token + "\"}",
                                 "Content-Type: application/json\r\n");
  for (const auto* response : {&query, &form, &json}) {
    ASSERT_TRUE(*response);
    EXPECT_EQ((*response)->result_int(), 200u);
    EXPECT_EQ(boost::json::parse((*response)->body()).at("user").at("email").as_string(), email);
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, AuthLocal, ::testing::ValuesIn(kStores),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cubeauth::testing
