// AuthService: access tokens, refresh-token rotation, bearer authentication and the
// strict token checks. Registration and login live in auth_service.cpp.
#include "auth/auth_service.hpp"

#include "auth/detail/error_mapping.hpp"
#include "auth/refresh_token.hpp"
#include "common/logging.hpp"
#include "store/email.hpp"
#include "store/user_store.hpp"

#include <algorithm>
#include <cctype>

namespace cubeauth::auth {
namespace {

using detail::from_store;

constexpr std::string_view kAdminRole = "admin";

bool is_admin_email(const AuthOptions& options, const std::string& email) {
  const std::string normalized = store::normalize_email(email);
  return std::find(options.admin_emails.begin(), options.admin_emails.end(), normalized) !=
         options.admin_emails.end();
}

std::int64_t seconds_since_epoch(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

/// The strict checks: an access token stops working when its user is deleted or
/// disabled, or changes the password after it was issued (1-second granularity: iat
/// has whole seconds).
Result<void, AuthError> check_strictly(const TokenClaims& claims, const std::optional<store::User>& user) {
  AuthError refused = auth_error(AuthErrorKind::kInvalidToken);
  if (!user || user->disabled) {
    refused.reason = !user ? "strict: the user no longer exists" : "strict: the user is disabled";
    return unexpected(std::move(refused));
  }
  if (user->password_changed_at && claims.issued_at < seconds_since_epoch(*user->password_changed_at)) {
    refused.reason = "strict: issued before the last password change";
    return unexpected(std::move(refused));
  }
  return {};
}

std::string_view trim_blanks(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

boost::asio::awaitable<std::vector<std::string>> AuthService::reconcile_roles(store::User& user, bool may_grant) {
  std::vector<std::string> roles = user.roles;
  const bool listed = is_admin_email(options_, user.email);
  const bool holds = std::find(roles.begin(), roles.end(), kAdminRole) != roles.end();
  if (listed && !holds && may_grant) {
    roles.emplace_back(kAdminRole);
    std::sort(roles.begin(), roles.end());
  } else if (!listed && holds) {
    std::erase(roles, kAdminRole);
  }
  if (roles != user.roles) {
    auto stored = co_await users_.set_roles(user.id, roles);
    if (!stored) {
      log::warn("roles of user {} not stored ({}); ADMIN_EMAILS applies again next time", user.id,
                store::to_string(stored.error()));
    } else {
      log::info("user {} is {} an admin (ADMIN_EMAILS)", user.id, listed ? "now" : "no longer");
    }
    user.roles = roles;
  }
  co_return roles;
}

std::string AuthService::issue_access_token(const store::User& user) {
  std::vector<std::string> roles{"user"};
  for (const auto& role : user.roles) {
    if (role != "user") {
      roles.push_back(role);
    }
  }
  return tokens_.sign(user.id, user.email, clock_(), options_.token_lifetime, roles);
}

boost::asio::awaitable<Result<std::string, AuthError>> AuthService::open_refresh_family(const store::User& user) {
  std::string token = make_refresh_token();
  const auto now = clock_();
  store::NewRefreshToken stored{hash_refresh_token(token), make_family_id(), user.id, now,
                                now + options_.refresh_token_lifetime};
  auto created = co_await users_.create_refresh_token(std::move(stored));
  if (!created) {
    log::error("refresh token for user {} not stored: {}", user.id, store::to_string(created.error()));
    co_return unexpected(from_store(created.error()));
  }
  co_return token;
}

boost::asio::awaitable<Result<SessionResult, AuthError>> AuthService::refresh(std::string refresh_token,
                                                                               std::string client) {
  if (auto limited = throttle_client(client)) {
    co_return unexpected(std::move(*limited));
  }
  if (refresh_token.empty() || refresh_token.size() > kMaxRefreshTokenSize) {
    co_return unexpected(auth_error(AuthErrorKind::kInvalidRefreshToken));
  }
  std::string next_token = make_refresh_token();
  const auto now = clock_();
  store::NewRefreshToken next{hash_refresh_token(next_token), {}, {}, now, now + options_.refresh_token_lifetime};
  const std::string presented_hash = hash_refresh_token(refresh_token);
  auto rotated = co_await users_.rotate_refresh_token(presented_hash, std::move(next));
  if (!rotated) {
    log::error("refresh: rotation failed: {}", store::to_string(rotated.error()));
    co_return unexpected(from_store(rotated.error()));
  }
  switch (rotated->outcome) {
    case store::RotationOutcome::kRotated:
      break;
    case store::RotationOutcome::kReused:
      log::warn("refresh: a used refresh token of user {} was presented again; its session {} is revoked",
                rotated->user_id, rotated->family_id);
      co_return unexpected(auth_error(AuthErrorKind::kInvalidRefreshToken));
    case store::RotationOutcome::kUnknown:
    case store::RotationOutcome::kRevoked:
      co_return unexpected(auth_error(AuthErrorKind::kInvalidRefreshToken));
  }

  auto found = co_await users_.find_by_id(rotated->user_id);
  if (!found) {
    co_return unexpected(from_store(found.error()));
  }
  if (!found->has_value() || (*found)->disabled) {
    const std::string next_hash = hash_refresh_token(next_token);
    auto revoked = co_await users_.revoke_refresh_family(next_hash);
    if (!revoked) {
      log::warn("refresh: session {} of a gone or disabled user not revoked ({})", rotated->family_id,
                store::to_string(revoked.error()));
    }
    co_return unexpected(auth_error(found->has_value() ? AuthErrorKind::kAccountDisabled
                                                       : AuthErrorKind::kInvalidRefreshToken));
  }
  SessionResult session;
  session.user = std::move(**found);
  co_await reconcile_roles(session.user);
  session.token = issue_access_token(session.user);
  session.refresh_token = std::move(next_token);
  co_return session;
}

boost::asio::awaitable<Result<void, AuthError>> AuthService::logout(std::string refresh_token) {
  if (refresh_token.empty() || refresh_token.size() > kMaxRefreshTokenSize) {
    co_return Result<void, AuthError>{};
  }
  const std::string hash = hash_refresh_token(refresh_token);
  auto revoked = co_await users_.revoke_refresh_family(hash);
  if (!revoked) {
    log::error("logout: revoking failed: {}", store::to_string(revoked.error()));
    co_return unexpected(from_store(revoked.error()));
  }
  co_return Result<void, AuthError>{};
}

boost::asio::awaitable<Result<void, AuthError>> AuthService::logout_all(const TokenClaims& caller) {
  auto authorized = co_await authorize(caller, true);
  if (!authorized) {
    co_return unexpected(std::move(authorized).error());
  }
  auto revoked = co_await users_.revoke_user_refresh_tokens(caller.user_id);
  if (!revoked) {
    log::error("logoutAll: revoking the sessions of user {} failed: {}", caller.user_id,
               store::to_string(revoked.error()));
    co_return unexpected(from_store(revoked.error()));
  }
  announce_revocation(authorized->id);
  co_return Result<void, AuthError>{};
}

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  authorization = trim_blanks(authorization);
  // RFC 9110: the scheme is case-insensitive; one or more spaces follow it.
  constexpr std::string_view kScheme = "bearer";
  const bool is_bearer = authorization.size() > kScheme.size() + 1 &&
                         std::equal(kScheme.begin(), kScheme.end(), authorization.begin(),
                                    [](char expected, char actual) {
                                      return expected == std::tolower(static_cast<unsigned char>(actual));
                                    }) &&
                         authorization[kScheme.size()] == ' ';
  if (!is_bearer) {
    return std::nullopt;
  }
  return trim_blanks(authorization.substr(kScheme.size()));
}

Result<TokenClaims, AuthError> AuthService::authenticate_bearer(std::string_view authorization) const {
  if (trim_blanks(authorization).empty()) {
    return unexpected(auth_error(AuthErrorKind::kUnauthenticated));
  }
  const auto token = bearer_token(authorization);
  if (!token) {
    return unexpected(auth_error(AuthErrorKind::kInvalidToken));
  }
  return verify_token(*token);
}

boost::asio::awaitable<Result<TokenClaims, AuthError>> AuthService::check_token(std::string token) {
  auto claims = verify_token(token);
  if (!claims || !options_.strict_tokens) {
    co_return claims;
  }
  auto found = co_await users_.find_by_id(claims->user_id);
  if (!found) {
    co_return unexpected(from_store(found.error()));
  }
  if (auto strict = check_strictly(*claims, *found); !strict) {
    co_return unexpected(std::move(strict).error());
  }
  co_return claims;
}

boost::asio::awaitable<Result<store::User, AuthError>> AuthService::authorize(const TokenClaims& caller,
                                                                             bool allow_disabled) {
  auto found = co_await users_.find_by_id(caller.user_id);
  if (!found) {
    co_return unexpected(from_store(found.error()));
  }
  if (!found->has_value()) {
    co_return unexpected(auth_error(AuthErrorKind::kInvalidToken));
  }
  if (options_.strict_tokens) {
    if (auto strict = check_strictly(caller, *found); !strict && !(allow_disabled && (*found)->disabled)) {
      co_return unexpected(std::move(strict).error());
    }
  }
  if ((*found)->disabled && !allow_disabled) {
    co_return unexpected(auth_error(AuthErrorKind::kAccountDisabled));
  }
  co_return std::move(**found);
}

boost::asio::awaitable<Result<store::User, AuthError>> AuthService::current_user(const TokenClaims& caller) {
  // `me` still answers for a disabled account (its `disabled` field says so) unless
  // strict tokens refuse it.
  auto user = co_await authorize(caller, !options_.strict_tokens);
  co_return user;
}

boost::asio::awaitable<Result<store::User, AuthError>> AuthService::active_user(const TokenClaims& caller) {
  auto user = co_await authorize(caller);
  co_return user;
}

}  // namespace cubeauth::auth
