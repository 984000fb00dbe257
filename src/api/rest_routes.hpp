// The REST twins of the GraphQL operations: POST /auth/register, /auth/login,
// /auth/login-by-token, /auth/refresh, /auth/logout and GET /auth/me. JSON in and out;
// the same AuthService calls, messages and views (auth_views) as the resolvers, and
// the HTTP status of each error from the error table. Described by /openapi.json.
#pragma once

#include "http/router.hpp"

namespace cubeauth::auth {
class AuthService;
}

namespace cubeauth::api {

/// `auth` must outlive the router's use.
void add_rest_routes(http::Router& router, auth::AuthService& auth);

}  // namespace cubeauth::api
