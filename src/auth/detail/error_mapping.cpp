#include "auth/detail/error_mapping.hpp"

namespace cubeauth::auth::detail {

AuthError from_store(store::StoreError error) {
  if (error == store::StoreError::kDuplicateEmail) {
    return auth_error(AuthErrorKind::kEmailTaken);
  }
  if (error == store::StoreError::kUnavailable) {
    return auth_error(AuthErrorKind::kStoreUnavailable);
  }
  return auth_error(AuthErrorKind::kInternal);
}

AuthError from_connectycube(const connectycube::Error& error) {
  using connectycube::ErrorKind;
  if (error.kind == ErrorKind::kUnavailable || error.kind == ErrorKind::kInvalidResponse) {
    return auth_error(AuthErrorKind::kConnectyCubeUnavailable);
  }
  AuthError refused = auth_error(AuthErrorKind::kConnectyCubeRefused);
  std::string details;
  for (const auto& [field, messages] : error.field_messages) {
    for (const auto& message : messages) {
      if (!details.empty()) {
        details += "; ";
      }
      if (field != "base") {
        details += field;
        details += ' ';
      }
      details += message;
    }
  }
  if (!details.empty()) {
    refused.message = "ConnectyCube refused the request: " + details;
  }
  return refused;
}

}  // namespace cubeauth::auth::detail
