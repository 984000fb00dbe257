#include "auth/credentials.hpp"

#include <gtest/gtest.h>

namespace cubeauth::auth {
namespace {

Registration valid() { return {"Nadia@Example.org", "Lantern-8812", "Nadia", "K"}; }

TEST(CheckRegistration, NormalisesTheEmailAndTrimsNames) {
  Registration input = valid();
  input.email = "  Nadia.K@Example.ORG ";
  input.first_name = " Nadia ";
  const auto checked = check_registration(input, {});
  ASSERT_TRUE(checked);
  EXPECT_EQ(checked->email, "nadia.k@example.org");
  EXPECT_EQ(checked->first_name, "Nadia");
  EXPECT_EQ(checked->password, "Lantern-8812");
}

TEST(CheckRegistration, NamesTheFieldOfABadEmail) {
  for (const char* email : {"", "nadia", "nadia@", "@example.org", "nadia@example", "na dia@example.org",
                            "nadia@exa_mple.org", "nadia@example.123", "nadia..k@example.org",
                            "nadia@-example.org", "nadia@example.org."}) {
    Registration input = valid();
    input.email = email;
    const auto checked = check_registration(input, {});
    ASSERT_FALSE(checked) << email;
    EXPECT_EQ(checked.error().field, "email") << email;
    EXPECT_EQ(checked.error().message, "email must be an email");
  }
}

TEST(CheckRegistration, AcceptsUnicodeAndPlusAddresses) {
  for (const char* email : {"nadia+chat@example.org", "jos\xc3\xa9@example.org", "a@b.co",
                            "user@m\xc3\xbcnchen.de"}) {
    Registration input = valid();
    input.email = email;
    EXPECT_TRUE(check_registration(input, {})) << email;
  }
}

TEST(CheckRegistration, AppliesThePasswordRules) {
  Registration input = valid();
  input.password = "short12";
  auto checked = check_registration(input, {8, 40});
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().field, "password");
  EXPECT_EQ(checked.error().message, "password must be at least 8 characters long");

  input.password = std::string(41, 'x');
  checked = check_registration(input, {8, 40});
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().message, "password must be at most 40 characters long");
  EXPECT_TRUE(check_registration(input, {8, 0}));  // not synchronised with ConnectyCube

  input.password = std::string(73, 'x');
  checked = check_registration(input, {8, 0});
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().message, "password must be at most 72 bytes long");

  input.password = std::string("abcd\0efgh", 9);
  checked = check_registration(input, {8, 0});
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().field, "password");
}

TEST(CheckRegistration, CountsPasswordCharactersNotBytes) {
  Registration input = valid();
  input.password = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";  // 7 characters, 14 bytes
  EXPECT_FALSE(check_registration(input, {8, 40}));
  input.password += "\xc3\xa9";
  EXPECT_TRUE(check_registration(input, {8, 40}));
}

TEST(CheckRegistration, RequiresNonEmptyNames) {
  Registration input = valid();
  input.first_name = "   ";
  auto checked = check_registration(input, {});
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().field, "firstName");
  input = valid();
  input.last_name = "";
  checked = check_registration(input, {});
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().field, "lastName");
  input = valid();
  input.last_name = std::string(101, 'k');
  EXPECT_EQ(check_registration(input, {}).error().field, "lastName");
}

TEST(CheckLogin, KeepsTheOldSixCharacterRule) {
  EXPECT_TRUE(check_login("nadia@example.org", "sixsix"));
  EXPECT_EQ(check_login("nadia@example.org", "five5").error().field, "password");
  EXPECT_EQ(check_login("not-an-email", "sixsix").error().field, "email");
}

}  // namespace
}  // namespace cubeauth::auth
