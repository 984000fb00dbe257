#include "auth/auth_error.hpp"

namespace cubeauth::auth {

std::string_view default_message(AuthErrorKind kind) {
  switch (kind) {
    case AuthErrorKind::kInvalidInput:
      return "The input is not valid.";
    case AuthErrorKind::kEmailTaken:
      return "Email already exists";
    case AuthErrorKind::kInvalidCredentials:
      return "Invalid email or password";
    case AuthErrorKind::kInvalidToken:
      return "The token is invalid or expired.";
    case AuthErrorKind::kUnauthenticated:
      return "Authentication required: send Authorization: Bearer <token>.";
    case AuthErrorKind::kInvalidRefreshToken:
      return "The refresh token is invalid or expired.";
    case AuthErrorKind::kForbidden:
      return "You are not allowed to do this.";
    case AuthErrorKind::kAccountDisabled:
      return "This account is disabled.";
    case AuthErrorKind::kUserNotFound:
      return "No user has this id.";
    case AuthErrorKind::kRelationshipNotFound:
      return "No such friend request, friendship or block.";
    case AuthErrorKind::kRateLimited:
      return "Too many attempts; please wait before trying again.";
    case AuthErrorKind::kConnectyCubeUnavailable:
      return "ConnectyCube is unavailable right now; please try again later.";
    case AuthErrorKind::kConnectyCubeRefused:
      return "ConnectyCube refused the request.";
    case AuthErrorKind::kConnectyCubeDisabled:
      return "ConnectyCube is not configured on this server (APP_ID and AUTH_KEY are unset).";
    case AuthErrorKind::kStoreUnavailable:
      return "The user store is unavailable right now; please try again later.";
    case AuthErrorKind::kInternal:
      break;
  }
  return "Internal server error";
}

AuthError auth_error(AuthErrorKind kind) { return AuthError{kind, std::string(default_message(kind)), {}, {}}; }

}  // namespace cubeauth::auth
