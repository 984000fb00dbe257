// register, login, login_By_token and the token check behind them: plain C++ over
// two interfaces (UserStore, ConnectyCube), so it is tested with fakes, no network.
#pragma once

#include "auth/auth_error.hpp"
#include "auth/credentials.hpp"
#include "auth/jwt.hpp"
#include "auth/password.hpp"
#include "auth/rate_limiter.hpp"
#include "common/result.hpp"
#include "connectycube/connectycube.hpp"
#include "store/user.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cubeauth::store {
class UserStore;
}

namespace cubeauth::auth {

struct AuthOptions {
  std::chrono::seconds token_lifetime{3600};
  PasswordRules password_rules;
  /// CONNECTYCUBE_SIGNUP: sign each new user up on ConnectyCube with the same credentials.
  bool connectycube_signup = true;
  /// The fixed password sent with token-based (Custom Identity Provider) sessions.
  std::string cidp_password = "cidp-temporary-password";
  /// REFRESH_TOKEN_EXPIRES_IN: how long a refresh token lives (each rotation starts anew).
  std::chrono::seconds refresh_token_lifetime{std::chrono::hours(24 * 30)};
  /// ADMIN_EMAILS, normalised (trimmed, lower-case): these accounts get the admin role.
  std::vector<std::string> admin_emails;
  /// CUBEAUTH_STRICT_TOKENS: the verify endpoint and `me` also refuse access tokens of
  /// users that are gone or disabled, or issued before the last password change (one
  /// store read per check). Off: access tokens are stateless until they expire.
  bool strict_tokens = false;
  /// CUBEAUTH_RATE_PER_CLIENT_*: login, login_By_token, register and refresh attempts per
  /// client address (a NAT'ed office shares one: generous).
  RateLimit per_client{30, 30};
  /// CUBEAUTH_RATE_FAILED_LOGINS_*: failed logins per account (by email, whether or
  /// not it exists, so the limit reveals nothing).
  RateLimit failed_logins_per_account{10, 6};
};

/// What ConnectyCube gave a login: a session token and its user id, or why not.
struct ConnectyCubeOutcome {
  std::optional<std::string> session_token;
  std::optional<std::int64_t> user_id;
  std::optional<AuthError> error;  ///< set when session_token is empty
};

struct LoginResult {
  store::User user;
  std::string token;  ///< cubeauth's JWT
  std::string refresh_token;  ///< opaque; the first of a new family
  std::optional<AuthError> refresh_token_error;  ///< why refresh_token is empty
  ConnectyCubeOutcome connectycube;
};

/// A signed-in session: what refresh and changePassword hand back.
struct SessionResult {
  store::User user;
  std::string token;
  std::string refresh_token;
};

/// What updateProfile did: the local user always, ConnectyCube's full_name when it could.
struct ProfileResult {
  store::User user;
  /// true: ConnectyCube has the new full_name; false: the user has no ConnectyCube user.
  std::optional<bool> connectycube_updated;
  std::optional<AuthError> connectycube_error;  ///< set when connectycube_updated is empty
};

/// The token of an `Authorization` value "Bearer <token>" (the scheme in any case, RFC
/// 9110; blanks around trimmed), or nullopt for another scheme or the scheme alone.
std::optional<std::string_view> bearer_token(std::string_view authorization);

class AuthService {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  /// `connectycube` is null when ConnectyCube is not configured. Every reference must
  /// outlive the service.
  AuthService(store::UserStore& users, connectycube::ConnectyCube* connectycube,
              PasswordHasher& passwords, const JwtCodec& tokens, AuthOptions options,
              Clock clock = [] { return std::chrono::system_clock::now(); });

  /// Stores the user, then (CONNECTYCUBE_SIGNUP) signs it up on ConnectyCube and stores
  /// its id. Leaves nothing behind on either side when a step fails.
  boost::asio::awaitable<Result<store::User, AuthError>> register_user(Registration input,
                                                                     std::string client = {});

  /// Checks the credentials, issues a JWT, then asks ConnectyCube for a session with
  /// the same email and password (its failure does not fail the login).
  /// `client` (the caller's address) is rate-limited; empty: not limited by address.
  boost::asio::awaitable<Result<LoginResult, AuthError>> login(std::string email, std::string password,
                                                               std::string client = {});

  /// As login, but the ConnectyCube session is the Custom Identity Provider one:
  /// login = the JWT just issued, password = CIDP_PASSWORD. Stores the ConnectyCube
  /// user id when the user had none.
  boost::asio::awaitable<Result<LoginResult, AuthError>> login_by_token(std::string email,
                                                                        std::string password,
                                                                        std::string client = {});

  /// The claims of a token cubeauth (or the old server, same secret) issued.
  Result<TokenClaims, AuthError> verify_token(std::string_view token) const;

  /// verify_token, plus (strict_tokens) the user still exists, is enabled, and the token
  /// was issued no earlier than the last password change. What the verify endpoint uses.
  boost::asio::awaitable<Result<TokenClaims, AuthError>> check_token(std::string token);

  /// The claims of an `Authorization` header value "Bearer <JWT>"; kUnauthenticated when
  /// it is empty, kInvalidToken when it is not a valid token.
  Result<TokenClaims, AuthError> authenticate_bearer(std::string_view authorization) const;

  // --- sessions (refresh-token rotation) ---

  /// Uses the refresh token once: a new access token and a new refresh token of the same
  /// family. A token presented twice revokes its family (and fails).
  boost::asio::awaitable<Result<SessionResult, AuthError>> refresh(std::string refresh_token,
                                                                   std::string client = {});

  /// Revokes the refresh token's session. Succeeds for unknown tokens too (nothing to
  /// revoke, and nothing learnt).
  boost::asio::awaitable<Result<void, AuthError>> logout(std::string refresh_token);

  /// Revokes every session of the token's user.
  boost::asio::awaitable<Result<void, AuthError>> logout_all(const TokenClaims& caller);

  // --- the caller's own account ---

  /// The token's user, fresh from the store (kInvalidToken when gone; strict checks apply).
  boost::asio::awaitable<Result<store::User, AuthError>> current_user(const TokenClaims& caller);

  /// Checks the old password and the rules for the new one, changes it on ConnectyCube
  /// first when passwords are synchronised (nothing changes locally if that fails), then
  /// locally; revokes every refresh token and opens a new session.
  boost::asio::awaitable<Result<SessionResult, AuthError>> change_password(const TokenClaims& caller,
                                                                          std::string old_password,
                                                                          std::string new_password);

  /// Sets the names locally, then ConnectyCube's full_name, acting as the user in
  /// `connectycube_session` when given, else in a session cubeauth opens itself
  /// (Custom Identity Provider). ConnectyCube failing does not undo the local change.
  boost::asio::awaitable<Result<ProfileResult, AuthError>> update_profile(
      const TokenClaims& caller, std::string first_name, std::string last_name,
      std::optional<std::string> connectycube_session);

  /// Checks the password, deletes the ConnectyCube user (a user already gone there
  /// counts as deleted), then the local user and its sessions. Stops at the first
  /// failure, so calling it again finishes the job.
  boost::asio::awaitable<Result<void, AuthError>> delete_account(const TokenClaims& caller,
                                                                std::string password);

  /// The token's user, fresh from the store, for operations a signed-in user does to
  /// others (friends): kInvalidToken when gone, kAccountDisabled when disabled.
  boost::asio::awaitable<Result<store::User, AuthError>> active_user(const TokenClaims& caller);

  /// A ConnectyCube session acting as `user`, opened by cubeauth itself with the Custom
  /// Identity Provider flow (a short-lived access token as login). Only without
  /// CONNECTYCUBE_SIGNUP: with synchronised passwords it needs the user's password, so
  /// it fails with kConnectyCubeRefused, as it does for a user with no ConnectyCube id.
  boost::asio::awaitable<Result<connectycube::Session, AuthError>> connectycube_session_as(
      const store::User& user);

  // --- administration (the caller must hold the admin role, checked in the store) ---

  boost::asio::awaitable<Result<store::UserPage, AuthError>> list_users(const TokenClaims& caller,
                                                                       store::UserQuery query);
  boost::asio::awaitable<Result<store::User, AuthError>> set_user_disabled(const TokenClaims& caller,
                                                                          std::string user_id,
                                                                          bool disabled);

  /// At start: gives the admin role to the ADMIN_EMAILS accounts that exist then. An
  /// address registered later gets it at the next start (emails are not verified, so
  /// registering a listed address must not be enough).
  boost::asio::awaitable<void> grant_configured_admins();

  const AuthOptions& options() const { return options_; }
  bool connectycube_enabled() const { return connectycube_ != nullptr; }

  /// Told the user's id whenever a user's access is withdrawn at once: disabled
  /// (set_user_disabled), deleted (delete_account), or every session revoked
  /// (logout_all, change_password). Live connections of that user end on it (the
  /// app wires it to the real-time events); auth knows nothing of them. Called on the
  /// request's thread after the change is stored; set once, before serving.
  using RevocationListener = std::function<void(const std::string& user_id)>;
  void set_revocation_listener(RevocationListener listener) { revocation_listener_ = std::move(listener); }

 private:
  boost::asio::awaitable<Result<store::User, AuthError>> authenticate(std::string email,
                                                                     std::string password,
                                                                     const std::string& client);
  /// kRateLimited with its Retry-After when `client` has no attempt left.
  std::optional<AuthError> throttle_client(const std::string& client);
  boost::asio::awaitable<Result<std::int64_t, AuthError>> sign_up_on_connectycube(
      const Registration& registration);
  boost::asio::awaitable<void> remember_connectycube_id(store::User& user, std::int64_t id);
  /// At login, for a user with no ConnectyCube id whose ConnectyCube session was refused
  /// while sign-up is on: the registration that created it was cut (the process stopped
  /// between the local insert and the sign-up), so the sign-up is done now. True when the
  /// user has a ConnectyCube user afterwards.
  boost::asio::awaitable<bool> complete_interrupted_sign_up(store::User& user, const std::string& password);
  boost::asio::awaitable<void> undo_local_user(const std::string& id);
  /// The roles the user should hold now: its stored ones, admin removed when ADMIN_EMAILS
  /// no longer lists the email, and added only when `may_grant` (at start, for accounts
  /// that exist then: a listed address someone registers later must not make them an
  /// admin, as emails are not verified). Stored when that changed.
  boost::asio::awaitable<std::vector<std::string>> reconcile_roles(store::User& user, bool may_grant = false);
  /// The caller's user, fresh from the store: kInvalidToken when gone (or, with strict
  /// tokens, when the token predates the last password change), kAccountDisabled when
  /// disabled (unless `allow_disabled`).
  boost::asio::awaitable<Result<store::User, AuthError>> authorize(const TokenClaims& caller,
                                                                  bool allow_disabled = false);
  /// Checks `password` against `user`'s hash, counting a failure against the account's
  /// failed-login limit (kRateLimited when used up): the same limit as login.
  boost::asio::awaitable<Result<void, AuthError>> check_password(const store::User& user, std::string password,
                                                                std::string field);
  /// The local half of a login: roles, an access token and a new refresh family.
  boost::asio::awaitable<LoginResult> open_session(store::User user);
  /// An access token with the user's roles.
  std::string issue_access_token(const store::User& user);
  /// Stores the first refresh token of a new family; returns the opaque token.
  boost::asio::awaitable<Result<std::string, AuthError>> open_refresh_family(const store::User& user);
  boost::asio::awaitable<Result<store::User, AuthError>> require_admin(const TokenClaims& caller);
  /// A session acting as `user` on ConnectyCube: `password` when passwords are
  /// synchronised, else the Custom Identity Provider flow with a fresh token.
  boost::asio::awaitable<Result<connectycube::Session, connectycube::Error>> connectycube_session_for(
      const store::User& user, const std::string& password);

  /// Tells the revocation listener, if any, that `user_id`'s access was withdrawn.
  void announce_revocation(const std::string& user_id) const;

  store::UserStore& users_;
  connectycube::ConnectyCube* connectycube_;
  PasswordHasher& passwords_;
  const JwtCodec& tokens_;
  AuthOptions options_;
  Clock clock_;
  RateLimiter client_attempts_;
  RateLimiter failed_logins_;
  RevocationListener revocation_listener_;
};

}  // namespace cubeauth::auth
