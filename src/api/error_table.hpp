// The one table that turns an auth failure into what a client sees: the GraphQL
// extensions.code (Apollo's names where Apollo has one) and the HTTP status of
// the REST routes.
#pragma once

#include "auth/auth_error.hpp"
#include "http/message.hpp"

#include <string_view>

namespace cubeauth::api {

struct ClientError {
  std::string_view code;  ///< GraphQL extensions.code
  http::Status status;    ///< HTTP status for REST answers
};

ClientError client_error(auth::AuthErrorKind kind);

}  // namespace cubeauth::api
