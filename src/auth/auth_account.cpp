// AuthService: what a signed-in user does to their own account (password, profile,
// deletion), keeping ConnectyCube and the store in step.
#include "auth/auth_service.hpp"

#include "auth/detail/error_mapping.hpp"
#include "common/logging.hpp"
#include "store/email.hpp"
#include "store/user_store.hpp"

namespace cubeauth::auth {
namespace {

using detail::from_connectycube;
using detail::from_store;

AuthError invalid_input(std::string field, std::string message) {
  return AuthError{AuthErrorKind::kInvalidInput, std::move(message), std::move(field)};
}

}  // namespace

boost::asio::awaitable<Result<connectycube::Session, connectycube::Error>> AuthService::connectycube_session_for(
    const store::User& user, const std::string& password) {
  if (options_.connectycube_signup) {
    auto session = co_await connectycube_->create_session_with_email(user.email, password);
    co_return session;
  }
  const std::string token = issue_access_token(user);
  auto session = co_await connectycube_->create_session_with_login(token, options_.cidp_password);
  co_return session;
}

boost::asio::awaitable<Result<connectycube::Session, AuthError>> AuthService::connectycube_session_as(
    const store::User& user) {
  if (connectycube_ == nullptr) {
    co_return unexpected(auth_error(AuthErrorKind::kConnectyCubeDisabled));
  }
  if (options_.connectycube_signup || !user.connectycube_id) {
    AuthError refused = auth_error(AuthErrorKind::kConnectyCubeRefused);
    refused.message = options_.connectycube_signup
                          ? "Pass connectySession (from login): passwords are synchronised with ConnectyCube, so "
                            "cubeauth cannot open a ConnectyCube session without the password."
                          : "The user has no ConnectyCube user yet.";
    co_return unexpected(std::move(refused));
  }
  const std::string no_password;  // the identity-provider session needs none
  auto session = co_await connectycube_session_for(user, no_password);
  if (!session) {
    co_return unexpected(from_connectycube(session.error()));
  }
  co_return std::move(*session);
}

boost::asio::awaitable<Result<void, AuthError>> AuthService::check_password(const store::User& user,
                                                                           std::string password, std::string field) {
  const std::string account = store::normalize_email(user.email);
  if (auto wait = failed_logins_.check(account, RateLimiter::Clock::now())) {
    AuthError limited = auth_error(AuthErrorKind::kRateLimited);
    limited.retry_after = *wait;
    co_return unexpected(std::move(limited));
  }
  const bool matches = co_await passwords_.verify(std::move(password), user.password_hash);
  if (!matches) {
    failed_logins_.take(account, RateLimiter::Clock::now());
    const std::string message = field == "oldPassword" ? "The current password is incorrect." : "The password is incorrect.";
    co_return unexpected(invalid_input(std::move(field), message));
  }
  co_return Result<void, AuthError>{};
}

boost::asio::awaitable<Result<SessionResult, AuthError>> AuthService::change_password(const TokenClaims& caller,
                                                                                     std::string old_password,
                                                                                     std::string new_password) {
  if (auto checked = check_new_password("newPassword", new_password, options_.password_rules); !checked) {
    co_return unexpected(invalid_input(checked.error().field, checked.error().message));
  }
  if (new_password == old_password) {
    co_return unexpected(invalid_input("newPassword", "newPassword must differ from the current password"));
  }
  auto authorized = co_await authorize(caller);
  if (!authorized) {
    co_return unexpected(std::move(authorized).error());
  }
  store::User user = std::move(*authorized);
  auto checked = co_await check_password(user, old_password, "oldPassword");
  if (!checked) {
    co_return unexpected(std::move(checked).error());
  }
  auto hashed = co_await passwords_.hash(new_password);
  if (!hashed) {
    log::error("changePassword: password hashing failed");
    co_return unexpected(auth_error(AuthErrorKind::kInternal));
  }

  // ConnectyCube first: if it refuses, nothing has changed anywhere.
  const bool synchronised = connectycube_ != nullptr && options_.connectycube_signup && user.connectycube_id;
  if (synchronised) {
    auto session = co_await connectycube_->create_session_with_email(user.email, old_password);
    if (!session) {
      bool ahead = false;
      if (session.error().kind == connectycube::ErrorKind::kUnauthorized) {
        // An earlier change may have reached ConnectyCube but not the store (its answer
        // lost, then the rollback failed): if the new password opens a session,
        // ConnectyCube already has it and only the local side is behind.
        auto probe = co_await connectycube_->create_session_with_email(user.email, new_password);
        ahead = probe.has_value();
      }
      if (!ahead) {
        log::warn("changePassword: ConnectyCube session for user {} failed: {}", user.id, session.error().message);
        co_return unexpected(from_connectycube(session.error()));
      }
      log::warn("changePassword: ConnectyCube already had the new password of user {}; catching up locally",
                user.id);
    } else {
      connectycube::UserUpdate update;
      update.password_change = connectycube::PasswordChange{old_password, new_password};
      auto updated = co_await connectycube_->update_user(session->token, *user.connectycube_id, std::move(update));
      if (!updated) {
        bool applied = false;
        if (updated.error().kind == connectycube::ErrorKind::kUnavailable) {
          // The answer was lost, not necessarily the change: the new password opening a
          // session means ConnectyCube has it, and the local side must follow.
          auto probe = co_await connectycube_->create_session_with_email(user.email, new_password);
          applied = probe.has_value();
        }
        if (!applied) {
          log::warn("changePassword: ConnectyCube did not change the password of user {}: {}", user.id,
                    updated.error().message);
          co_return unexpected(from_connectycube(updated.error()));
        }
      }
    }
  }

  const auto now = clock_();
  auto stored = co_await users_.set_password(user.id, *hashed, now);
  if (!stored) {
    log::error("changePassword: storing the new password of user {} failed: {}", user.id,
               store::to_string(stored.error()));
    if (synchronised) {
      // Put ConnectyCube back so that both sides still share the old password.
      auto session = co_await connectycube_->create_session_with_email(user.email, new_password);
      connectycube::UserUpdate revert;
      revert.password_change = connectycube::PasswordChange{new_password, old_password};
      std::string failure;
      if (session) {
        auto reverted = co_await connectycube_->update_user(session->token, *user.connectycube_id, std::move(revert));
        if (!reverted) {
          failure = reverted.error().message;
        }
      } else {
        failure = session.error().message;
      }
      if (!failure.empty()) {
        log::error("changePassword: ConnectyCube password of user {} could not be restored ({}): the two differ",
                   user.id, failure);
      }
    }
    co_return unexpected(from_store(stored.error()));
  }
  user.password_hash = std::move(*hashed);
  user.password_changed_at = now;

  auto revoked = co_await users_.revoke_user_refresh_tokens(user.id);
  if (!revoked) {
    log::error("changePassword: the sessions of user {} were not revoked: {}", user.id,
               store::to_string(revoked.error()));
    AuthError error = from_store(revoked.error());
    error.message = "The password was changed, but signing out the other sessions failed; please call logoutAll.";
    co_return unexpected(std::move(error));
  }
  announce_revocation(user.id);
  SessionResult session;
  session.user = std::move(user);
  co_await reconcile_roles(session.user);
  session.token = issue_access_token(session.user);
  auto refresh_token = co_await open_refresh_family(session.user);
  if (!refresh_token) {
    AuthError error = std::move(refresh_token).error();
    error.message = "The password was changed, but a new session could not be opened; please log in again.";
    co_return unexpected(std::move(error));
  }
  session.refresh_token = std::move(*refresh_token);
  co_return session;
}

boost::asio::awaitable<Result<ProfileResult, AuthError>> AuthService::update_profile(
    const TokenClaims& caller, std::string first_name, std::string last_name,
    std::optional<std::string> connectycube_session) {
  auto names = check_names(first_name, last_name);
  if (!names) {
    co_return unexpected(invalid_input(names.error().field, names.error().message));
  }
  auto authorized = co_await authorize(caller);
  if (!authorized) {
    co_return unexpected(std::move(authorized).error());
  }
  auto stored = co_await users_.set_profile(caller.user_id, names->first, names->second);
  if (!stored) {
    if (stored.error() == store::StoreError::kNotFound) {
      co_return unexpected(auth_error(AuthErrorKind::kInvalidToken));
    }
    co_return unexpected(from_store(stored.error()));
  }
  auto found = co_await users_.find_by_id(caller.user_id);
  if (!found) {
    co_return unexpected(from_store(found.error()));
  }
  if (!found->has_value()) {
    co_return unexpected(auth_error(AuthErrorKind::kInvalidToken));
  }
  ProfileResult result;
  result.user = std::move(**found);
  if (connectycube_ == nullptr) {
    result.connectycube_error = auth_error(AuthErrorKind::kConnectyCubeDisabled);
    co_return result;
  }
  if (!result.user.connectycube_id) {
    result.connectycube_updated = false;
    co_return result;
  }
  std::string session_token;
  if (connectycube_session && !connectycube_session->empty()) {
    session_token = std::move(*connectycube_session);
  } else if (!options_.connectycube_signup) {
    const std::string no_password;  // the identity-provider session needs none
    auto session = co_await connectycube_session_for(result.user, no_password);
    if (!session) {
      result.connectycube_error = from_connectycube(session.error());
      co_return result;
    }
    session_token = session->token;
  } else {
    AuthError needs_session = auth_error(AuthErrorKind::kConnectyCubeRefused);
    needs_session.message =
        "Pass connectySession (from login) to update the ConnectyCube profile too: passwords are "
        "synchronised, so cubeauth cannot open a ConnectyCube session without the password.";
    result.connectycube_error = std::move(needs_session);
    co_return result;
  }
  connectycube::UserUpdate update;
  update.full_name = result.user.first_name + " " + result.user.last_name;
  auto updated = co_await connectycube_->update_user(session_token, *result.user.connectycube_id, std::move(update));
  if (!updated) {
    log::warn("updateProfile: ConnectyCube full_name of user {} not updated: {}", result.user.id,
              updated.error().message);
    result.connectycube_error = from_connectycube(updated.error());
    co_return result;
  }
  result.connectycube_updated = true;
  co_return result;
}

boost::asio::awaitable<Result<void, AuthError>> AuthService::delete_account(const TokenClaims& caller,
                                                                           std::string password) {
  // A disabled account may still be deleted by its owner.
  auto authorized = co_await authorize(caller, true);
  if (!authorized) {
    co_return unexpected(std::move(authorized).error());
  }
  const store::User user = std::move(*authorized);
  auto checked = co_await check_password(user, password, "password");
  if (!checked) {
    co_return unexpected(std::move(checked).error());
  }

  // ConnectyCube first: a failure there leaves the account whole, and a retry finds
  // the ConnectyCube user gone (404) and goes on.
  if (connectycube_ != nullptr && user.connectycube_id) {
    auto session = co_await connectycube_session_for(user, password);
    if (!session) {
      if (session.error().kind != connectycube::ErrorKind::kNotFound) {
        log::warn("deleteAccount: ConnectyCube session for user {} failed: {}", user.id, session.error().message);
        co_return unexpected(from_connectycube(session.error()));
      }
    } else {
      // The session's user is this person's ConnectyCube identity; when it is not the
      // stored one, the stored one is already gone and this one was just made for us.
      const std::int64_t target = session->user_id != 0 ? session->user_id : *user.connectycube_id;
      auto deleted = co_await connectycube_->delete_user_in_session(session->token, target);
      if (!deleted && deleted.error().kind != connectycube::ErrorKind::kNotFound) {
        log::warn("deleteAccount: ConnectyCube user {} of user {} not deleted: {}", target, user.id,
                  deleted.error().message);
        co_return unexpected(from_connectycube(deleted.error()));
      }
    }
  }
  auto deleted = co_await users_.delete_user(user.id);
  if (!deleted && deleted.error() != store::StoreError::kNotFound) {
    log::error("deleteAccount: user {} not deleted: {}", user.id, store::to_string(deleted.error()));
    co_return unexpected(from_store(deleted.error()));
  }
  log::info("deleteAccount: user {} deleted", user.id);
  announce_revocation(user.id);
  co_return Result<void, AuthError>{};
}

}  // namespace cubeauth::auth
