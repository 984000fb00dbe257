// The resolvers of schema_account.graphql (me, refresh, logout, logoutAll,
// changePassword, updateProfile, deleteAccount, users, setUserDisabled) over the auth
// layer. The signed-in user comes from the request's `Authorization: Bearer` header.
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

/// Binds every resolver of schema_account.graphql; `auth` must outlive the schema's use.
Result<void, std::string> bind_account_resolvers(graphql::Schema& schema, auth::AuthService& auth);

}  // namespace cubeauth::api
