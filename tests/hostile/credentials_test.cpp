// Hostile credentials against the real binary: NUL bytes and more than 72 bytes in passwords
// (bcrypt reads 72 bytes and stops at a NUL, so cubeauth refuses both: two different
// passwords never match the same hash), unicode emails, emails with surrounding spaces.
#include "hostile/hostile_server.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace cubeauth::testing {
namespace {

using namespace std::chrono_literals;

boost::json::object login_body(const std::string& email, const std::string& password) {
  return {{"body", {{"email", email}, {"password", password}}}};
}

/// "<n>" repeated to exactly `bytes` bytes.
std::string password_of(std::size_t bytes, char fill = 'p') { return std::string(bytes, fill); }

class HostileCredentials : public ::testing::Test {
 protected:
  // Without ConnectyCube sign-up only the 72-byte bcrypt limit bounds a password.
  static void SetUpTestSuite() {
    server_ = new Cubeauth(hostile_environment({{"CONNECTYCUBE_SIGNUP", "false"}}));
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void TearDown() override {
    EXPECT_TRUE(served_within(port(), 1s)) << server_->process().output();
  }
  static std::uint16_t port() { return server_->port(); }

  static GraphqlAnswer register_user(const std::string& email, const std::string& password) {
    return post_graphql(port(), kRegister, registration(email, password));
  }
  static GraphqlAnswer login(const std::string& email, const std::string& password) {
    return post_graphql(port(), kLogin, login_body(email, password));
  }
  static bool logged_in(const GraphqlAnswer& answer) {
    return answer.status == 200 && answer.data().is_object() &&
           answer.data().at("login").is_object() &&
           answer.data().at("login").at("token").is_string();
  }
  static std::string field_of(const GraphqlAnswer& answer) {
    if (answer.errors().empty()) {
      return {};
    }
    const auto* extensions = answer.errors()[0].as_object().if_contains("extensions");
    const auto* field =
        extensions != nullptr ? extensions->as_object().if_contains("field") : nullptr;
    return field != nullptr && field->is_string() ? std::string(field->as_string()) : std::string();
  }

  static Cubeauth* server_;
};

Cubeauth* HostileCredentials::server_ = nullptr;

TEST_F(HostileCredentials, RefusesAPasswordWithANulByteAndStoresNothing) {
  const std::string password = std::string("before-nul") + '\0' + "after";
  const auto refused = register_user("nul@example.org", password);
  EXPECT_EQ(refused.code(), "BAD_USER_INPUT") << boost::json::serialize(refused.body);
  EXPECT_EQ(field_of(refused), "password");
  // Nothing was stored: the same email registers afterwards.
  EXPECT_EQ(register_user("nul@example.org", "before-nul").code(), "<no error>");
  // At login, a NUL never matches (bcrypt would have stopped at it and matched "before-nul").
  const auto answer = login("nul@example.org", password);
  EXPECT_FALSE(logged_in(answer));
  EXPECT_EQ(answer.code(), "UNAUTHENTICATED");
  EXPECT_TRUE(logged_in(login("nul@example.org", "before-nul")));
}

TEST_F(HostileCredentials, NeverLetsTwoPasswordsThatShareTheirFirst72BytesBothMatch) {
  const std::string exactly_72 = password_of(72);
  ASSERT_EQ(register_user("long@example.org", exactly_72).code(), "<no error>");
  EXPECT_TRUE(logged_in(login("long@example.org", exactly_72)));
  // bcrypt alone would accept these: it reads only the first 72 bytes.
  for (const std::string& longer : {exactly_72 + "x", exactly_72 + password_of(100, 'q')}) {
    const auto answer = login("long@example.org", longer);
    EXPECT_FALSE(logged_in(answer)) << longer.size() << " bytes";
    EXPECT_EQ(answer.code(), "UNAUTHENTICATED");
  }
  // Registering over 72 bytes is refused with a reason.
  const auto refused = register_user("longer@example.org", password_of(73));
  EXPECT_EQ(refused.code(), "BAD_USER_INPUT");
  EXPECT_EQ(field_of(refused), "password");
  EXPECT_NE(boost::json::serialize(refused.body).find("72 bytes"), std::string::npos)
      << boost::json::serialize(refused.body);
}

TEST_F(HostileCredentials, CountsThe72ByteLimitInBytesNotCharacters) {
  std::string thirty_six_e;  // 36 characters, 72 bytes
  std::string thirty_seven_e;
  for (int i = 0; i < 36; ++i) {
    thirty_six_e += "\xc3\xa9";
  }
  thirty_seven_e = thirty_six_e + "\xc3\xa9";
  ASSERT_EQ(register_user("accent@example.org", thirty_six_e).code(), "<no error>");
  EXPECT_TRUE(logged_in(login("accent@example.org", thirty_six_e)));
  EXPECT_FALSE(logged_in(login("accent@example.org", thirty_seven_e)));
  EXPECT_EQ(register_user("accent2@example.org", thirty_seven_e).code(), "BAD_USER_INPUT");
}

TEST_F(HostileCredentials, AcceptsUnicodeEmailsAsTheyAreTyped) {
  const std::string email = "na\xc3\xafve@ex\xc3\xa4mple.org";  // naïve@exämple.org
  const auto registered = register_user(email, "Lantern-8812");
  ASSERT_EQ(registered.code(), "<no error>") << boost::json::serialize(registered.body);
  EXPECT_EQ(registered.data().at("register").at("user").at("email").as_string(), email);
  EXPECT_TRUE(logged_in(login(email, "Lantern-8812")));
  EXPECT_TRUE(
      logged_in(login("NA\xc3\xafVE@EX\xc3\xa4MPLE.ORG", "Lantern-8812")));  // ASCII letters fold
  EXPECT_EQ(register_user(email, "Lantern-8812").code(), "EMAIL_ALREADY_EXISTS");
}

TEST_F(HostileCredentials, KeepsUnicodeLookalikesApartAsSecurityMdSays) {
  // Only ASCII letters fold and nothing is Unicode-normalised (SECURITY.md, Emails): a
  // precomposed é and e + combining acute are two addresses, and so are Ä and ä.
  const std::string precomposed = "jos\xc3\xa9@example.org";  // josé, U+00E9
  const std::string combining = "jose\xcc\x81@example.org";   // jose + U+0301
  ASSERT_EQ(register_user(precomposed, "Lantern-8812").code(), "<no error>");
  EXPECT_EQ(register_user(combining, "Lantern-8812").code(), "<no error>");
  EXPECT_TRUE(logged_in(login(combining, "Lantern-8812")));
  const std::string upper = "\xc3\x84rger@example.org";  // Ärger
  ASSERT_EQ(register_user(upper, "Lantern-8812").code(), "<no error>");
  EXPECT_FALSE(logged_in(login("\xc3\xa4rger@example.org", "Lantern-8812")));  // ärger
  EXPECT_TRUE(logged_in(login("\xc3\x84RGER@EXAMPLE.ORG", "Lantern-8812")));
}

TEST_F(HostileCredentials, RefusesEmailsWithControlCharactersOrInnerSpaces) {
  for (const std::string& email :
       {std::string("a b@example.org"), std::string("ab@exa mple.org"),
        std::string("nul") + '\0' + "@example.org", std::string("tab\t@example.org"),
        std::string(300, 'a') + "@example.org", std::string("a@b"), std::string("@example.org")}) {
    const auto answer = register_user(email, "Lantern-8812");
    EXPECT_EQ(answer.code(), "BAD_USER_INPUT") << email;
    EXPECT_EQ(field_of(answer), "email") << email;
  }
}

TEST_F(HostileCredentials, TrimsSurroundingSpacesFromEmails) {
  const auto registered = register_user("  \tSpaced@Example.org \r\n", "Lantern-8812");
  ASSERT_EQ(registered.code(), "<no error>") << boost::json::serialize(registered.body);
  EXPECT_EQ(registered.data().at("register").at("user").at("email").as_string(),
            "spaced@example.org");
  EXPECT_TRUE(logged_in(login(" spaced@example.org ", "Lantern-8812")));
  EXPECT_TRUE(logged_in(login("SPACED@EXAMPLE.ORG", "Lantern-8812")));
  EXPECT_EQ(register_user("spaced@example.org", "Lantern-8812").code(), "EMAIL_ALREADY_EXISTS");
}

TEST(HostileCredentialsWithSignup,
     RefusesPasswordsOverFortyCharactersWhileSynchronisedWithConnectyCube) {
  Cubeauth server(hostile_environment());  // CONNECTYCUBE_SIGNUP defaults to true
  const auto refused =
      post_graphql(server.port(), kRegister, registration("forty@example.org", password_of(41)));
  EXPECT_EQ(refused.code(), "BAD_USER_INPUT");
  EXPECT_NE(boost::json::serialize(refused.body).find("40 characters"), std::string::npos);
  EXPECT_EQ(
      post_graphql(server.port(), kRegister, registration("forty@example.org", password_of(40)))
          .code(),
      "<no error>");
}

}  // namespace
}  // namespace cubeauth::testing
