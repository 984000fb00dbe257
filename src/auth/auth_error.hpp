// The ways register, login and token checks fail, as the api layer maps them to
// HTTP statuses and GraphQL codes (one table in src/api/error_table).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace cubeauth::auth {

enum class AuthErrorKind {
  kInvalidInput,             ///< a field breaks the input rules; `field` names it
  kEmailTaken,               ///< register: an account has this email
  kInvalidCredentials,       ///< login: unknown email or wrong password (never said which)
  kInvalidToken,             ///< a JWT that is malformed, expired or wrongly signed
  kUnauthenticated,          ///< an operation that needs a user got no bearer token
  kInvalidRefreshToken,      ///< unknown, used, revoked or expired refresh token
  kForbidden,                ///< the user may not do this (not an admin)
  kAccountDisabled,          ///< login or refresh of an account an admin disabled
  kUserNotFound,             ///< an admin named a user that does not exist
  kRelationshipNotFound,     ///< no such friend request, friendship or block
  kRateLimited,              ///< too many attempts from this client or on this account
  kConnectyCubeUnavailable,  ///< ConnectyCube unreachable, timing out, 5xx or garbage
  kConnectyCubeRefused,      ///< ConnectyCube answered no (its input rules, credentials)
  kConnectyCubeDisabled,     ///< APP_ID/AUTH_KEY not configured
  kStoreUnavailable,         ///< the database cannot be reached now
  kInternal,                 ///< anything else; details are in the log only
};

struct AuthError {
  AuthErrorKind kind;
  std::string message;  ///< client text: a sentence that leaks nothing internal
  std::string field;    ///< the input field for kInvalidInput, else empty
  std::chrono::seconds retry_after{0};  ///< kRateLimited: when to try again
  /// Log text only, never sent: why a token was refused ("expired", "bad signature", ...).
  std::string reason{};
};

/// The client sentence of each kind ("Email already exists", ...).
std::string_view default_message(AuthErrorKind kind);

/// An AuthError of `kind` with its default message.
AuthError auth_error(AuthErrorKind kind);

}  // namespace cubeauth::auth
