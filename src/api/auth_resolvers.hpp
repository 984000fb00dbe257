// The resolvers of the served schema (schema.graphql): hello, register, login and
// login_By_token over the auth layer, with the old server's messages.
#pragma once

#include "common/result.hpp"

#include <string>

namespace cubeauth::graphql {
class Schema;
}
namespace cubeauth::auth {
class AuthService;
}

namespace cubeauth::api {

/// Binds every resolver of schema.graphql, then those of schema_account.graphql
/// (account_resolvers.hpp); `auth` must outlive the schema's use.
Result<void, std::string> bind_auth_resolvers(graphql::Schema& schema, auth::AuthService& auth);

}  // namespace cubeauth::api
