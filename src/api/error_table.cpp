#include "api/error_table.hpp"

namespace cubeauth::api {

ClientError client_error(auth::AuthErrorKind kind) {
  using auth::AuthErrorKind;
  switch (kind) {
    case AuthErrorKind::kInvalidInput:
      return {"BAD_USER_INPUT", http::Status::bad_request};
    case AuthErrorKind::kEmailTaken:
      return {"EMAIL_ALREADY_EXISTS", http::Status::conflict};
    case AuthErrorKind::kInvalidCredentials:
      return {"UNAUTHENTICATED", http::Status::unauthorized};
    case AuthErrorKind::kInvalidToken:
      return {"UNAUTHENTICATED", http::Status::unauthorized};
    case AuthErrorKind::kUnauthenticated:
    case AuthErrorKind::kInvalidRefreshToken:
      return {"UNAUTHENTICATED", http::Status::unauthorized};
    case AuthErrorKind::kForbidden:
      return {"FORBIDDEN", http::Status::forbidden};
    case AuthErrorKind::kAccountDisabled:
      return {"ACCOUNT_DISABLED", http::Status::forbidden};
    case AuthErrorKind::kUserNotFound:
    case AuthErrorKind::kRelationshipNotFound:
      return {"NOT_FOUND", http::Status::not_found};
    case AuthErrorKind::kRateLimited:
      return {"TOO_MANY_REQUESTS", http::Status::too_many_requests};
    case AuthErrorKind::kConnectyCubeUnavailable:
      return {"CONNECTYCUBE_UNAVAILABLE", http::Status::service_unavailable};
    case AuthErrorKind::kConnectyCubeRefused:
      return {"CONNECTYCUBE_REFUSED", http::Status::bad_gateway};
    case AuthErrorKind::kConnectyCubeDisabled:
      return {"CONNECTYCUBE_NOT_CONFIGURED", http::Status::service_unavailable};
    case AuthErrorKind::kStoreUnavailable:
      return {"SERVICE_UNAVAILABLE", http::Status::service_unavailable};
    case AuthErrorKind::kInternal:
      break;
  }
  return {"INTERNAL_SERVER_ERROR", http::Status::internal_server_error};
}

}  // namespace cubeauth::api
