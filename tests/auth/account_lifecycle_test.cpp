// AuthService's account lifecycle over the in-memory store and the scripted
// ConnectyCube: the two sides stay in step whichever call fails, roles follow
// ADMIN_EMAILS, and the clock decides expiry and strict checks (no sleeps).
#include "auth/auth_service.hpp"

#include "auth/run_awaitable.hpp"
#include "support/connectycube/fake_connectycube.hpp"
#include "support/store/in_memory_user_store.hpp"

#include <gtest/gtest.h>

namespace cubeauth::auth {
namespace {

using connectycube::ErrorKind;
using connectycube::testing::FakeConnectyCube;
using store::StoreError;
using store::testing::InMemoryUserStore;
using namespace std::chrono_literals;

using testing::cc_error;
using testing::run;

constexpr const char* kEmail = "nadia@example.org";
constexpr const char* kOld = "Lantern-8812";
constexpr const char* kNew = "Harbour-5531";

class AccountLifecycleTest : public ::testing::Test {
 protected:
  AuthService make(bool signup = true, std::vector<std::string> admins = {}, bool strict = false) {
    AuthOptions options;
    options.connectycube_signup = signup;
    options.token_lifetime = 3600s;
    options.refresh_token_lifetime = 24h;
    options.admin_emails = std::move(admins);
    options.strict_tokens = strict;
    return AuthService(users_, &connectycube_, passwords_, tokens_, options, [this] { return now_; });
  }

  /// Registers Nadia (signed up on ConnectyCube too) and logs her in.
  LoginResult signed_in(AuthService& auth) {
    auto registered = run(auth.register_user({kEmail, kOld, "Nadia", "K"}));
    EXPECT_TRUE(registered);
    auto login = run(auth.login(kEmail, kOld));
    EXPECT_TRUE(login);
    return login ? std::move(*login) : LoginResult{};
  }

  TokenClaims claims_of(const AuthService& auth, const std::string& token) {
    auto claims = auth.verify_token(token);
    EXPECT_TRUE(claims);
    return claims ? *claims : TokenClaims{};
  }

  bool local_password_is(const std::string& password) {
    return users_.users().size() == 1 && bcrypt_verify(password, users_.users()[0].password_hash);
  }

  std::optional<std::string> connectycube_password() {
    const auto id = connectycube_.user_id_of(kEmail);
    if (!id) {
      return std::nullopt;
    }
    return connectycube_.user(*id)->password;
  }

  std::chrono::system_clock::time_point now_ = std::chrono::system_clock::time_point(1'800'000'000s);
  InMemoryUserStore users_;
  FakeConnectyCube connectycube_;
  PasswordHasher passwords_{4, 1};
  JwtCodec tokens_{"unit-secret"};
};

TEST_F(AccountLifecycleTest, ARefreshTokenExpiresWithItsLifetime) {
  AuthService auth = make();
  const auto login = signed_in(auth);
  ASSERT_FALSE(login.refresh_token.empty());
  now_ += 23h;
  auto refreshed = run(auth.refresh(login.refresh_token));
  ASSERT_TRUE(refreshed);
  now_ += 25h;  // each rotation starts a new lifetime: this one is now past it
  auto expired = run(auth.refresh(refreshed->refresh_token));
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().kind, AuthErrorKind::kInvalidRefreshToken);
}

TEST_F(AccountLifecycleTest, ChangePasswordChangesConnectyCubeFirstThenLocally) {
  AuthService auth = make();
  const auto login = signed_in(auth);
  now_ += 10s;
  auto changed = run(auth.change_password(claims_of(auth, login.token), kOld, kNew));
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_TRUE(local_password_is(kNew));
  EXPECT_EQ(connectycube_password(), kNew);
  EXPECT_EQ(users_.users()[0].password_changed_at, now_);
  EXPECT_EQ(claims_of(auth, changed->token).issued_at,
            std::chrono::duration_cast<std::chrono::seconds>(now_.time_since_epoch()).count());
  const auto update = connectycube_.calls().back();
  ASSERT_EQ(update.operation, FakeConnectyCube::Operation::kUpdateUser);
  ASSERT_TRUE(update.update && update.update->password_change);
  EXPECT_EQ(update.update->password_change->old_password, kOld);
}

TEST_F(AccountLifecycleTest, ChangePasswordChangesNothingWhenConnectyCubeRefuses) {
  AuthService auth = make();
  const auto login = signed_in(auth);
  auto refused = cc_error(ErrorKind::kInvalidInput, 422);
  refused.field_messages["password"] = {"is too long"};
  connectycube_.fail_next(FakeConnectyCube::Operation::kUpdateUser, refused);
  auto changed = run(auth.change_password(claims_of(auth, login.token), kOld, kNew));
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().kind, AuthErrorKind::kConnectyCubeRefused);
  EXPECT_NE(changed.error().message.find("password is too long"), std::string::npos);
  EXPECT_TRUE(local_password_is(kOld));
  EXPECT_EQ(connectycube_password(), kOld);
  // The session survives a refused change.
  EXPECT_TRUE(run(auth.refresh(login.refresh_token)));
}

TEST_F(AccountLifecycleTest, ChangePasswordFollowsAChangeWhoseAnswerWasLost) {
  AuthService auth = make();
  const auto login = signed_in(auth);
  connectycube_.fail_next_after_effect(FakeConnectyCube::Operation::kUpdateUser, cc_error(ErrorKind::kUnavailable, 503));
  auto changed = run(auth.change_password(claims_of(auth, login.token), kOld, kNew));
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_TRUE(local_password_is(kNew));
  EXPECT_EQ(connectycube_password(), kNew);
}

TEST_F(AccountLifecycleTest, ChangePasswordFailsWithoutChangeWhenConnectyCubeIsDown) {
  AuthService auth = make();
  const auto login = signed_in(auth);
  connectycube_.fail_next(FakeConnectyCube::Operation::kUpdateUser, cc_error(ErrorKind::kUnavailable, 503));
  auto changed = run(auth.change_password(claims_of(auth, login.token), kOld, kNew));
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().kind, AuthErrorKind::kConnectyCubeUnavailable);
  EXPECT_TRUE(local_password_is(kOld));
  EXPECT_EQ(connectycube_password(), kOld);
}

TEST_F(AccountLifecycleTest, ChangePasswordRestoresConnectyCubeWhenTheStoreFails) {
  AuthService auth = make();
  const auto login = signed_in(auth);
  const auto claims = claims_of(auth, login.token);
  // Calls from here: find_by_id (0), set_password (1).
  users_.fail_call(1, StoreError::kUnavailable);
  auto changed = run(auth.change_password(claims, kOld, kNew));
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().kind, AuthErrorKind::kStoreUnavailable);
  EXPECT_TRUE(local_password_is(kOld));
  EXPECT_EQ(connectycube_password(), kOld);
  // And the change then succeeds.
  EXPECT_TRUE(run(auth.change_password(claims, kOld, kNew)));
  EXPECT_EQ(connectycube_password(), kNew);
}

TEST_F(AccountLifecycleTest, DeleteAccountStopsWhereConnectyCubeFailsAndARetryFinishes) {
  AuthService auth = make();
  const auto login = signed_in(auth);
  const auto claims = claims_of(auth, login.token);

  connectycube_.fail_next(FakeConnectyCube::Operation::kDeleteUserInSession, cc_error(ErrorKind::kUnavailable, 503));
  auto failed = run(auth.delete_account(claims, kOld));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind, AuthErrorKind::kConnectyCubeUnavailable);
  EXPECT_EQ(users_.users().size(), 1u);
  EXPECT_EQ(connectycube_.user_count(), 1u);

  // Deleted there, but the answer lost: the local user stays until the retry.
  connectycube_.fail_next_after_effect(FakeConnectyCube::Operation::kDeleteUserInSession,
                                       cc_error(ErrorKind::kUnavailable, 503));
  ASSERT_FALSE(run(auth.delete_account(claims, kOld)));
  EXPECT_EQ(users_.users().size(), 1u);
  EXPECT_EQ(connectycube_.user_count(), 0u);

  auto finished = run(auth.delete_account(claims, kOld));
  ASSERT_TRUE(finished) << finished.error().message;
  EXPECT_TRUE(users_.users().empty());
  EXPECT_EQ(connectycube_.user_count(), 0u);
  EXPECT_FALSE(run(auth.refresh(login.refresh_token)));
}

TEST_F(AccountLifecycleTest, DeleteAccountKeepsEverythingWhenTheStoreFailsAndARetryFinishes) {
  AuthService auth = make();
  const auto login = signed_in(auth);
  const auto claims = claims_of(auth, login.token);
  // Calls from here: find_by_id (0), delete_user (1).
  users_.fail_call(1, StoreError::kUnavailable);
  auto failed = run(auth.delete_account(claims, kOld));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind, AuthErrorKind::kStoreUnavailable);
  EXPECT_EQ(users_.users().size(), 1u);
  // ConnectyCube's user went first; the retry finds it gone and finishes locally.
  EXPECT_TRUE(run(auth.delete_account(claims, kOld)));
  EXPECT_TRUE(users_.users().empty());
  EXPECT_EQ(connectycube_.user_count(), 0u);
}

TEST_F(AccountLifecycleTest, UpdateProfileUsesTheGivenConnectyCubeSession) {
  AuthService auth = make();
  const auto login = signed_in(auth);
  ASSERT_TRUE(login.connectycube.session_token);
  const auto claims = claims_of(auth, login.token);

  auto without = run(auth.update_profile(claims, "Nadia", "Karimova", std::nullopt));
  ASSERT_TRUE(without);
  EXPECT_EQ(users_.users()[0].last_name, "Karimova");
  EXPECT_FALSE(without->connectycube_updated);
  ASSERT_TRUE(without->connectycube_error);
  EXPECT_NE(without->connectycube_error->message.find("connectySession"), std::string::npos);

  auto with = run(auth.update_profile(claims, "Nadia", "Karimova-Lee", login.connectycube.session_token));
  ASSERT_TRUE(with);
  EXPECT_EQ(with->connectycube_updated, true);
  EXPECT_EQ(connectycube_.user(*connectycube_.user_id_of(kEmail))->full_name, "Nadia Karimova-Lee");
}

TEST_F(AccountLifecycleTest, AdminEmailsGrantTheRoleAtStartOnlyAndTakeItAwayAtLogin) {
  {
    AuthService auth = make(true, {kEmail});
    // Registered after start: listing the address is not enough (emails are unverified).
    const auto login = signed_in(auth);
    EXPECT_EQ(claims_of(auth, login.token).roles, std::vector<std::string>{"user"});
    run(auth.grant_configured_admins());  // what the next start does
    auto again = run(auth.login(kEmail, kOld));
    ASSERT_TRUE(again);
    EXPECT_EQ(claims_of(auth, again->token).roles, (std::vector<std::string>{"user", "admin"}));
    EXPECT_EQ(users_.users()[0].roles, std::vector<std::string>{"admin"});
  }
  AuthService demoted = make(true, {});
  auto login = run(demoted.login(kEmail, kOld));
  ASSERT_TRUE(login);
  EXPECT_EQ(claims_of(demoted, login->token).roles, std::vector<std::string>{"user"});
  EXPECT_TRUE(users_.users()[0].roles.empty());
}

TEST_F(AccountLifecycleTest, AnAdminTokenLosesItsPowerWhenTheEmailLeavesAdminEmails) {
  AuthService admin_service = make(true, {kEmail});
  signed_in(admin_service);
  run(admin_service.grant_configured_admins());
  auto login = run(admin_service.login(kEmail, kOld));
  ASSERT_TRUE(login);
  const auto claims = claims_of(admin_service, login->token);
  EXPECT_TRUE(run(admin_service.list_users(claims, {})));
  AuthService demoted = make(true, {});
  auto listed = run(demoted.list_users(claims, {}));  // the same, still unexpired token
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().kind, AuthErrorKind::kForbidden);
}

TEST_F(AccountLifecycleTest, GuessingThePasswordInChangePasswordCountsAsFailedLogins) {
  AuthService auth = make();
  const auto login = signed_in(auth);
  const auto claims = claims_of(auth, login.token);
  for (int i = 0; i < 10; ++i) {  // the default burst of failed logins per account
    auto wrong = run(auth.change_password(claims, "Guess-" + std::to_string(i) + "xyz", kNew));
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().field, "oldPassword");
  }
  auto limited = run(auth.change_password(claims, kOld, kNew));
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().kind, AuthErrorKind::kRateLimited);
  EXPECT_GT(limited.error().retry_after.count(), 0);
  EXPECT_EQ(run(auth.login(kEmail, kOld)).error().kind, AuthErrorKind::kRateLimited);
}

TEST_F(AccountLifecycleTest, ADisabledAccountCannotChangeItsPasswordOrProfile) {
  AuthService auth = make();
  const auto login = signed_in(auth);
  const auto claims = claims_of(auth, login.token);
  ASSERT_TRUE(run(users_.set_disabled(login.user.id, true)));
  EXPECT_EQ(run(auth.change_password(claims, kOld, kNew)).error().kind, AuthErrorKind::kAccountDisabled);
  EXPECT_EQ(run(auth.update_profile(claims, "N", "K", std::nullopt)).error().kind, AuthErrorKind::kAccountDisabled);
  // A live refresh token of a disabled account (its revocation failed) is refused too.
  EXPECT_EQ(run(auth.refresh(login.refresh_token)).error().kind, AuthErrorKind::kAccountDisabled);
  // Its owner may still delete it.
  EXPECT_TRUE(run(auth.delete_account(claims, kOld)));
}

TEST_F(AccountLifecycleTest, EveryWayOfWithdrawingAccessTellsTheRevocationListenerAndNothingElseDoes) {
  AuthService auth = make(true, {kEmail});
  const auto admin_login = signed_in(auth);
  run(auth.grant_configured_admins());
  std::vector<std::string> told;
  auth.set_revocation_listener([&told](const std::string& user_id) { told.push_back(user_id); });
  auto admin = run(auth.login(kEmail, kOld));
  ASSERT_TRUE(admin);
  const auto admin_claims = claims_of(auth, admin->token);
  ASSERT_TRUE(run(auth.register_user({"omar@example.org", kOld, "Omar", "B"})));
  auto omar = run(auth.login("omar@example.org", kOld));
  ASSERT_TRUE(omar);
  const auto omar_claims = claims_of(auth, omar->token);
  ASSERT_TRUE(run(auth.logout(omar->refresh_token)));  // one session: the others stand
  EXPECT_TRUE(told.empty());

  ASSERT_TRUE(run(auth.logout_all(omar_claims)));
  EXPECT_EQ(told, std::vector<std::string>{omar->user.id});
  told.clear();

  EXPECT_FALSE(run(auth.change_password(omar_claims, "Wrong-1234x", kNew)));
  EXPECT_TRUE(told.empty());
  ASSERT_TRUE(run(auth.change_password(omar_claims, kOld, kNew)));
  EXPECT_EQ(told, std::vector<std::string>{omar->user.id});
  told.clear();

  ASSERT_TRUE(run(auth.set_user_disabled(admin_claims, omar->user.id, true)));
  EXPECT_EQ(told, std::vector<std::string>{omar->user.id});
  told.clear();
  ASSERT_TRUE(run(auth.set_user_disabled(admin_claims, omar->user.id, false)));
  EXPECT_TRUE(told.empty());
  EXPECT_FALSE(run(auth.set_user_disabled(omar_claims, admin_login.user.id, true)));  // no admin
  EXPECT_TRUE(told.empty());

  EXPECT_FALSE(run(auth.delete_account(omar_claims, kOld)));  // the old password
  EXPECT_TRUE(told.empty());
  ASSERT_TRUE(run(auth.delete_account(omar_claims, kNew)));
  EXPECT_EQ(told, std::vector<std::string>{omar->user.id});
}

TEST_F(AccountLifecycleTest, StrictTokensRefuseTokensIssuedBeforeAPasswordChange) {
  AuthService strict = make(true, {}, true);
  AuthService stateless = make(true, {}, false);
  const auto login = signed_in(strict);
  now_ += 5s;
  ASSERT_TRUE(run(strict.change_password(claims_of(strict, login.token), kOld, kNew)));
  auto refused = run(strict.check_token(login.token));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, AuthErrorKind::kInvalidToken);
  EXPECT_TRUE(run(stateless.check_token(login.token)));  // valid until it expires
  auto me = run(strict.current_user(claims_of(strict, login.token)));
  EXPECT_FALSE(me);
}

TEST_F(AccountLifecycleTest, TheBearerHeaderIsReadAsRfc9110Says) {
  AuthService auth = make();
  const auto login = signed_in(auth);
  EXPECT_TRUE(auth.authenticate_bearer("Bearer " + login.token));
  EXPECT_TRUE(auth.authenticate_bearer("bearer  " + login.token + " "));
  EXPECT_EQ(auth.authenticate_bearer("").error().kind, AuthErrorKind::kUnauthenticated);
  EXPECT_EQ(auth.authenticate_bearer("Basic eDp5").error().kind, AuthErrorKind::kInvalidToken);
  EXPECT_EQ(auth.authenticate_bearer("Bearer").error().kind, AuthErrorKind::kInvalidToken);
  EXPECT_EQ(auth.authenticate_bearer("Bearerx" + login.token).error().kind, AuthErrorKind::kInvalidToken);
}

}  // namespace
}  // namespace cubeauth::auth
