#include "auth/auth_service.hpp"

#include "auth/detail/error_mapping.hpp"
#include "auth/refresh_token.hpp"
#include "common/logging.hpp"
#include "connectycube/connectycube.hpp"
#include "store/email.hpp"
#include "store/user_store.hpp"

namespace cubeauth::auth {
using detail::from_connectycube;
using detail::from_store;

AuthService::AuthService(store::UserStore& users, connectycube::ConnectyCube* connectycube,
                         PasswordHasher& passwords, const JwtCodec& tokens, AuthOptions options,
                         Clock clock)
    : users_(users), connectycube_(connectycube), passwords_(passwords), tokens_(tokens),
      options_(std::move(options)), clock_(std::move(clock)), client_attempts_(options_.per_client),
      failed_logins_(options_.failed_logins_per_account) {}

void AuthService::announce_revocation(const std::string& user_id) const {
  if (revocation_listener_) {
    revocation_listener_(user_id);
  }
}

std::optional<AuthError> AuthService::throttle_client(const std::string& client) {
  if (client.empty()) {
    return std::nullopt;
  }
  if (auto wait = client_attempts_.take(client, RateLimiter::Clock::now())) {
    log::warn("rate limit: client {} has no attempts left for {} s", client, wait->count());
    AuthError limited = auth_error(AuthErrorKind::kRateLimited);
    limited.retry_after = *wait;
    return limited;
  }
  return std::nullopt;
}

boost::asio::awaitable<Result<store::User, AuthError>> AuthService::register_user(Registration input,
                                                                                 std::string client) {
  if (auto limited = throttle_client(client)) {
    co_return unexpected(std::move(*limited));
  }
  auto checked = check_registration(std::move(input), options_.password_rules);
  if (!checked) {
    co_return unexpected(AuthError{AuthErrorKind::kInvalidInput, checked.error().message, checked.error().field});
  }
  const Registration& registration = *checked;

  auto hashed = co_await passwords_.hash(registration.password);
  if (!hashed) {
    log::error("register: password hashing failed");
    co_return unexpected(auth_error(AuthErrorKind::kInternal));
  }
  store::NewUser new_user{registration.email, registration.first_name, registration.last_name,
                          std::move(*hashed)};
  auto created = co_await users_.create_user(std::move(new_user));
  if (!created) {
    if (created.error() != store::StoreError::kDuplicateEmail) {
      log::error("register: storing the user failed: {}", store::to_string(created.error()));
    }
    co_return unexpected(from_store(created.error()));
  }
  store::User user = std::move(*created);
  if (connectycube_ == nullptr || !options_.connectycube_signup) {
    co_return user;
  }

  auto connectycube_id = co_await sign_up_on_connectycube(registration);
  if (!connectycube_id) {
    co_await undo_local_user(user.id);
    co_return unexpected(std::move(connectycube_id).error());
  }
  auto stored = co_await users_.set_connectycube_id(user.id, *connectycube_id);
  if (!stored) {
    // Undo both sides so that registering again starts from nothing.
    log::error("register: storing ConnectyCube id {} for user {} failed ({}); undoing the sign-up",
               *connectycube_id, user.id, store::to_string(stored.error()));
    auto undone = co_await connectycube_->delete_user(*connectycube_id, registration.email,
                                                      registration.password);
    if (!undone) {
      log::error("register: ConnectyCube user {} could not be deleted ({}): it is an orphan",
                 *connectycube_id, undone.error().message);
    }
    co_await undo_local_user(user.id);
    co_return unexpected(from_store(stored.error()));
  }
  user.connectycube_id = *connectycube_id;
  co_return user;
}

boost::asio::awaitable<Result<std::int64_t, AuthError>> AuthService::sign_up_on_connectycube(
    const Registration& registration) {
  const std::string full_name = registration.first_name + " " + registration.last_name;
  auto signed_up = co_await connectycube_->sign_up(registration.email, registration.password, full_name);
  if (signed_up) {
    co_return *signed_up;
  }
  if (signed_up.error().kind == connectycube::ErrorKind::kTaken) {
    // An earlier attempt may have signed this user up and then failed locally: if the
    // same password opens a session, the ConnectyCube user is this person's own.
    auto session = co_await connectycube_->create_session_with_email(registration.email,
                                                                     registration.password);
    if (session && session->user_id != 0) {
      log::info("register: adopting existing ConnectyCube user {} for {}", session->user_id,
                registration.email);
      co_return session->user_id;
    }
    AuthError taken = auth_error(AuthErrorKind::kConnectyCubeRefused);
    taken.message = "ConnectyCube already has an account with this email.";
    co_return unexpected(std::move(taken));
  }
  log::warn("register: ConnectyCube sign-up failed: {} (status {})", signed_up.error().message,
            signed_up.error().http_status);
  co_return unexpected(from_connectycube(signed_up.error()));
}

boost::asio::awaitable<void> AuthService::undo_local_user(const std::string& id) {
  auto deleted = co_await users_.delete_user(id);
  if (!deleted && deleted.error() != store::StoreError::kNotFound) {
    log::error("register: user {} could not be removed after a failed registration ({})", id,
               store::to_string(deleted.error()));
  }
}

boost::asio::awaitable<Result<store::User, AuthError>> AuthService::authenticate(std::string email,
                                                                                std::string password,
                                                                                const std::string& client) {
  if (auto limited = throttle_client(client)) {
    co_return unexpected(std::move(*limited));
  }
  const std::string normalized = store::normalize_email(email);
  if (auto checked = check_login(normalized, password); !checked) {
    co_return unexpected(AuthError{AuthErrorKind::kInvalidInput, checked.error().message, checked.error().field});
  }
  // Checked before the store is asked, the same for every email: the limit says
  // nothing about whether the account exists.
  if (auto wait = failed_logins_.check(normalized, RateLimiter::Clock::now())) {
    log::warn("rate limit: too many failed logins for {}; refused for {} s", normalized, wait->count());
    AuthError limited = auth_error(AuthErrorKind::kRateLimited);
    limited.retry_after = *wait;
    co_return unexpected(std::move(limited));
  }
  auto found = co_await users_.find_by_email(normalized);
  if (!found) {
    log::error("login: finding the user failed: {}", store::to_string(found.error()));
    co_return unexpected(from_store(found.error()));
  }
  if (!found->has_value()) {
    co_await passwords_.verify_nothing(std::move(password));  // same time as a wrong password
    failed_logins_.take(normalized, RateLimiter::Clock::now());
    co_return unexpected(auth_error(AuthErrorKind::kInvalidCredentials));
  }
  store::User user = std::move(**found);
  const bool matches = co_await passwords_.verify(std::move(password), user.password_hash);
  if (!matches) {
    failed_logins_.take(normalized, RateLimiter::Clock::now());
    co_return unexpected(auth_error(AuthErrorKind::kInvalidCredentials));
  }
  // Said only to someone who knows the password: it reveals nothing to a guesser.
  if (user.disabled) {
    co_return unexpected(auth_error(AuthErrorKind::kAccountDisabled));
  }
  co_return user;
}

boost::asio::awaitable<void> AuthService::remember_connectycube_id(store::User& user, std::int64_t id) {
  if (user.connectycube_id.has_value() || id == 0) {
    co_return;
  }
  auto stored = co_await users_.set_connectycube_id(user.id, id);
  if (stored) {
    user.connectycube_id = id;
  } else {
    log::warn("login: ConnectyCube id {} of user {} not stored ({}); will retry at next login", id,
              user.id, store::to_string(stored.error()));
  }
}

boost::asio::awaitable<bool> AuthService::complete_interrupted_sign_up(store::User& user,
                                                                      const std::string& password) {
  const Registration registration{user.email, password, user.first_name, user.last_name};
  auto connectycube_id = co_await sign_up_on_connectycube(registration);
  if (!connectycube_id) {
    log::warn("login: user {} has no ConnectyCube user and signing it up failed: {}", user.id,
              connectycube_id.error().message);
    co_return false;
  }
  log::info("login: user {} had no ConnectyCube user (its registration was cut short); signed up as {}",
            user.id, *connectycube_id);
  co_await remember_connectycube_id(user, *connectycube_id);
  co_return true;
}

boost::asio::awaitable<LoginResult> AuthService::open_session(store::User user) {
  LoginResult result;
  result.user = std::move(user);
  co_await reconcile_roles(result.user);
  result.token = issue_access_token(result.user);
  auto refresh_token = co_await open_refresh_family(result.user);
  if (refresh_token) {
    result.refresh_token = std::move(*refresh_token);
  } else {
    result.refresh_token_error = std::move(refresh_token).error();
  }
  co_return result;
}

boost::asio::awaitable<Result<LoginResult, AuthError>> AuthService::login(std::string email,
                                                                         std::string password,
                                                                         std::string client) {
  auto user = co_await authenticate(std::move(email), password, client);
  if (!user) {
    co_return unexpected(std::move(user).error());
  }
  LoginResult result = co_await open_session(std::move(*user));
  result.connectycube.user_id = result.user.connectycube_id;
  if (connectycube_ == nullptr) {
    result.connectycube.error = auth_error(AuthErrorKind::kConnectyCubeDisabled);
    co_return result;
  }
  auto session = co_await connectycube_->create_session_with_email(result.user.email, password);
  if (!session && options_.connectycube_signup && !result.user.connectycube_id &&
      (session.error().kind == connectycube::ErrorKind::kUnauthorized ||
       session.error().kind == connectycube::ErrorKind::kNotFound)) {
    const bool completed = co_await complete_interrupted_sign_up(result.user, password);
    if (completed) {
      session = co_await connectycube_->create_session_with_email(result.user.email, password);
    }
  }
  if (!session) {
    log::warn("login: ConnectyCube session for user {} failed: {}", result.user.id, session.error().message);
    result.connectycube.error = from_connectycube(session.error());
    co_return result;
  }
  result.connectycube.session_token = session->token;
  if (session->user_id != 0) {
    result.connectycube.user_id = session->user_id;
    if (!result.user.connectycube_id) {
      log::info("login: user {} is ConnectyCube user {} (not stored before)", result.user.id, session->user_id);
    }
    co_await remember_connectycube_id(result.user, session->user_id);
  }
  co_return result;
}

boost::asio::awaitable<Result<LoginResult, AuthError>> AuthService::login_by_token(std::string email,
                                                                                  std::string password,
                                                                                  std::string client) {
  auto user = co_await authenticate(std::move(email), std::move(password), client);
  if (!user) {
    co_return unexpected(std::move(user).error());
  }
  LoginResult result = co_await open_session(std::move(*user));
  if (connectycube_ == nullptr) {
    result.connectycube.error = auth_error(AuthErrorKind::kConnectyCubeDisabled);
    co_return result;
  }
  // ConnectyCube calls our verify endpoint with this token and answers with the user's
  // ConnectyCube session (Custom Identity Provider).
  auto session = co_await connectycube_->create_session_with_login(result.token, options_.cidp_password);
  if (!session) {
    log::warn("login_By_token: ConnectyCube session for user {} failed: {}", result.user.id,
              session.error().message);
    result.connectycube.error = from_connectycube(session.error());
    co_return result;
  }
  result.connectycube.session_token = session->token;
  result.connectycube.user_id = session->user_id;
  co_await remember_connectycube_id(result.user, session->user_id);
  co_return result;
}

Result<TokenClaims, AuthError> AuthService::verify_token(std::string_view token) const {
  auto claims = tokens_.verify(token, clock_());
  if (!claims) {
    AuthError refused = auth_error(AuthErrorKind::kInvalidToken);
    refused.reason = describe(claims.error());
    return unexpected(std::move(refused));
  }
  return std::move(*claims);
}

}  // namespace cubeauth::auth
