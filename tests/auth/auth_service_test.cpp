#include "auth/auth_service.hpp"

#include "auth/run_awaitable.hpp"
#include "support/connectycube/fake_connectycube.hpp"
#include "support/store/in_memory_user_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace cubeauth::auth {
namespace {

using connectycube::ErrorKind;
using connectycube::testing::FakeConnectyCube;
using store::StoreError;
using store::testing::InMemoryUserStore;
using namespace std::chrono_literals;

using testing::cc_error;
using testing::run;

Registration nadia() { return {"Nadia@Example.org", "Lantern-8812", "Nadia", "K"}; }

class AuthServiceTest : public ::testing::Test {
 protected:
  AuthService make(bool with_connectycube = true, bool signup = true) {
    AuthOptions options;
    options.connectycube_signup = signup;
    options.token_lifetime = 3600s;
    return AuthService(users_, with_connectycube ? &connectycube_ : nullptr, passwords_, tokens_, options);
  }

  InMemoryUserStore users_;
  FakeConnectyCube connectycube_;
  PasswordHasher passwords_{4, 1};
  JwtCodec tokens_{"unit-secret"};
};

TEST_F(AuthServiceTest, RegistersLocallyAndOnConnectyCubeWithTheFullName) {
  AuthService auth = make();
  const auto user = run(auth.register_user(nadia()));
  ASSERT_TRUE(user);
  EXPECT_EQ(user->email, "nadia@example.org");
  ASSERT_TRUE(user->connectycube_id.has_value());
  EXPECT_EQ(connectycube_.user_id_of("nadia@example.org"), user->connectycube_id);
  ASSERT_EQ(users_.users().size(), 1u);
  EXPECT_EQ(users_.users()[0].connectycube_id, user->connectycube_id);
  EXPECT_TRUE(bcrypt_verify("Lantern-8812", users_.users()[0].password_hash));
  const auto calls = connectycube_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].full_name, "Nadia K");
}

TEST_F(AuthServiceTest, RefusesATakenEmailWithoutCallingConnectyCube) {
  AuthService auth = make();
  ASSERT_TRUE(run(auth.register_user(nadia())));
  Registration again = nadia();
  again.email = " NADIA@example.ORG ";
  const auto second = run(auth.register_user(again));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, AuthErrorKind::kEmailTaken);
  EXPECT_EQ(second.error().message, "Email already exists");
  EXPECT_EQ(connectycube_.call_count(FakeConnectyCube::Operation::kSignUp), 1u);
}

// Fault loop: the store fails at call n = 0, 1, ... until registration succeeds; every
// failure leaves no user on either side, and a retry then succeeds.
TEST_F(AuthServiceTest, LeavesNoOrphanWhicheverStoreCallFails) {
  AuthService auth = make();
  for (std::size_t n = 0;; ++n) {
    ASSERT_LT(n, 10u) << "registration never succeeded";
    users_.fail_call(n, StoreError::kUnavailable);
    const auto attempt = run(auth.register_user(nadia()));
    if (attempt) {
      break;
    }
    EXPECT_EQ(attempt.error().kind, AuthErrorKind::kStoreUnavailable) << "n=" << n;
    EXPECT_TRUE(users_.users().empty()) << "local orphan after failing call " << n;
    EXPECT_EQ(connectycube_.user_count(), 0u) << "ConnectyCube orphan after failing call " << n;
  }
  EXPECT_EQ(users_.users().size(), 1u);
  EXPECT_EQ(connectycube_.user_count(), 1u);
}

TEST_F(AuthServiceTest, LeavesNoLocalUserWhenConnectyCubeSignUpFailsAndARetrySucceeds) {
  AuthService auth = make();
  for (auto kind : {ErrorKind::kUnavailable, ErrorKind::kInvalidResponse, ErrorKind::kInvalidInput,
                    ErrorKind::kUnauthorized}) {
    connectycube_.fail_next(FakeConnectyCube::Operation::kSignUp, cc_error(kind, 500));
    const auto attempt = run(auth.register_user(nadia()));
    ASSERT_FALSE(attempt);
    const bool unavailable = kind == ErrorKind::kUnavailable || kind == ErrorKind::kInvalidResponse;
    EXPECT_EQ(attempt.error().kind,
              unavailable ? AuthErrorKind::kConnectyCubeUnavailable : AuthErrorKind::kConnectyCubeRefused);
    EXPECT_TRUE(users_.users().empty());
  }
  EXPECT_TRUE(run(auth.register_user(nadia())));
  EXPECT_EQ(users_.users().size(), 1u);
}

TEST_F(AuthServiceTest, AdoptsAConnectyCubeUserLeftByAnEarlierAttemptWithTheSamePassword) {
  AuthService auth = make();
  const std::int64_t existing = connectycube_.add_user("nadia@example.org", "Lantern-8812");
  const auto user = run(auth.register_user(nadia()));
  ASSERT_TRUE(user);
  EXPECT_EQ(user->connectycube_id, existing);
}

TEST_F(AuthServiceTest, RefusesWhenConnectyCubeHasTheEmailWithAnotherPassword) {
  AuthService auth = make();
  connectycube_.add_user("nadia@example.org", "someone-else");
  const auto user = run(auth.register_user(nadia()));
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, AuthErrorKind::kConnectyCubeRefused);
  EXPECT_TRUE(users_.users().empty());
}

TEST_F(AuthServiceTest, RegistersLocallyOnlyWhenConnectyCubeIsOffOrSignUpDisabled) {
  AuthService off = make(false);
  EXPECT_TRUE(run(off.register_user(nadia())));
  Registration other = nadia();
  other.email = "other@example.org";
  AuthService no_signup = make(true, false);
  const auto user = run(no_signup.register_user(other));
  ASSERT_TRUE(user);
  EXPECT_FALSE(user->connectycube_id.has_value());
  EXPECT_EQ(connectycube_.call_count(FakeConnectyCube::Operation::kSignUp), 0u);
}

TEST_F(AuthServiceTest, LogsInWithAVerifiableTokenAndAConnectyCubeSession) {
  AuthService auth = make();
  ASSERT_TRUE(run(auth.register_user(nadia())));
  const auto login = run(auth.login("NADIA@example.org", "Lantern-8812"));
  ASSERT_TRUE(login);
  const auto claims = auth.verify_token(login->token);
  ASSERT_TRUE(claims);
  EXPECT_EQ(claims->user_id, login->user.id);
  EXPECT_EQ(claims->email, "nadia@example.org");
  EXPECT_EQ(claims->expires_at - claims->issued_at, 3600);
  ASSERT_TRUE(login->connectycube.session_token);
  EXPECT_EQ(login->connectycube.user_id, login->user.connectycube_id);
}

TEST_F(AuthServiceTest, AnswersTheSameForAnUnknownEmailAndAWrongPassword) {
  AuthService auth = make();
  ASSERT_TRUE(run(auth.register_user(nadia())));
  const auto wrong = run(auth.login("nadia@example.org", "Lantern-0000"));
  const auto unknown = run(auth.login("nobody@example.org", "Lantern-8812"));
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().kind, AuthErrorKind::kInvalidCredentials);
  EXPECT_EQ(unknown.error().kind, AuthErrorKind::kInvalidCredentials);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

// Without the dummy bcrypt run an unknown email would answer ~1000 times faster than a
// wrong password; with it both cost one hash. Bounds are wide: machines are shared.
TEST_F(AuthServiceTest, TakesAboutAsLongForAnUnknownEmailAsForAWrongPassword) {
  PasswordHasher slow_hasher(8, 1);
  AuthOptions options;
  AuthService auth(users_, nullptr, slow_hasher, tokens_, options);
  ASSERT_TRUE(run(auth.register_user(nadia())));
  const auto median_ms = [&](const std::string& email, const std::string& password) {
    std::vector<double> times;
    for (int i = 0; i < 7; ++i) {
      const auto started = std::chrono::steady_clock::now();
      EXPECT_FALSE(run(auth.login(email, password)));
      times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
  };
  const double wrong_password = median_ms("nadia@example.org", "Lantern-0000");
  const double unknown_email = median_ms("nobody@example.org", "Lantern-8812");
  EXPECT_GT(unknown_email, wrong_password * 0.5) << wrong_password << " ms vs " << unknown_email << " ms";
  EXPECT_LT(unknown_email, wrong_password * 2.0) << wrong_password << " ms vs " << unknown_email << " ms";
}

TEST_F(AuthServiceTest, StillLogsInWhenConnectyCubeIsDown) {
  AuthService auth = make();
  ASSERT_TRUE(run(auth.register_user(nadia())));
  connectycube_.fail_next(FakeConnectyCube::Operation::kSessionWithEmail, cc_error(ErrorKind::kUnavailable, 0));
  const auto login = run(auth.login("nadia@example.org", "Lantern-8812"));
  ASSERT_TRUE(login);
  EXPECT_FALSE(login->token.empty());
  EXPECT_FALSE(login->connectycube.session_token);
  ASSERT_TRUE(login->connectycube.error);
  EXPECT_EQ(login->connectycube.error->kind, AuthErrorKind::kConnectyCubeUnavailable);
}

TEST_F(AuthServiceTest, LogsInAUserTheOldServerWrote) {
  // A row as the old server left it: mixed-case email, a Node bcrypt hash, no ConnectyCube id.
  store::User old;
  old.id = "65f1c0ffee0123456789abcd";
  old.email = "Old.User@Example.org";
  old.first_name = "Old";
  old.last_name = "User";
  old.password_hash = "$2b$10$JvCLramNxEvoW6CqoQQE/uKAQb3AG5qhA84h9E5jWC.4Bf0waTpZS";  // "secret-pass"
  users_.put(old);
  connectycube_.add_user("Old.User@Example.org", "secret-pass");
  AuthService auth = make();
  const auto login = run(auth.login("old.user@example.org", "secret-pass"));
  ASSERT_TRUE(login);
  EXPECT_EQ(login->user.id, old.id);
  ASSERT_TRUE(login->connectycube.session_token);
  // The ConnectyCube id it lacked is remembered.
  EXPECT_EQ(users_.users()[0].connectycube_id, login->connectycube.user_id);
}

TEST_F(AuthServiceTest, SendsItsOwnJwtAsTheTokenLoginAndReportsARefusal) {
  AuthService auth = make(true, false);
  ASSERT_TRUE(run(auth.register_user(nadia())));
  // The fake's identity provider accepts any login it is told about; the JWT is made at
  // login time, so accept it from inside: first a failing attempt shows the refusal.
  const auto refused = run(auth.login_by_token("nadia@example.org", "Lantern-8812"));
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->connectycube.session_token);
  EXPECT_EQ(refused->connectycube.error->kind, AuthErrorKind::kConnectyCubeRefused);
  const auto calls = connectycube_.calls();
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back().operation, FakeConnectyCube::Operation::kSessionWithLogin);
  EXPECT_EQ(calls.back().password, "cidp-temporary-password");
  EXPECT_TRUE(auth.verify_token(calls.back().credential)) << "the login sent is cubeauth's own JWT";
}

TEST_F(AuthServiceTest, ChecksInputBeforeTouchingAnything) {
  AuthService auth = make();
  Registration bad = nadia();
  bad.password = "short";
  const auto refused = run(auth.register_user(bad));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, AuthErrorKind::kInvalidInput);
  EXPECT_EQ(refused.error().field, "password");
  EXPECT_EQ(users_.calls(), 0u);
  EXPECT_TRUE(connectycube_.calls().empty());
}

}  // namespace
}  // namespace cubeauth::auth

namespace cubeauth::auth {
namespace {

TEST(BearerToken, ReadsTheTokenOfTheBearerSchemeInAnyCaseAndNothingElse) {
  EXPECT_EQ(bearer_token("Bearer abc.def.ghi"), std::optional<std::string_view>("abc.def.ghi"));
  EXPECT_EQ(bearer_token("  bEARER   abc  "), std::optional<std::string_view>("abc"));
  EXPECT_FALSE(bearer_token("Bearer    "));  // the scheme alone carries no token
  EXPECT_FALSE(bearer_token("Basic eDp5"));
  EXPECT_FALSE(bearer_token("Bearerabc"));
  EXPECT_FALSE(bearer_token(""));
}

}  // namespace
}  // namespace cubeauth::auth
