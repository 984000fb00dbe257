// Who is on a graphql-transport-ws connection: the access token in connection_init's
// payload ({"authorization": "Bearer <token>"}, {"Authorization": ...} or
// {"token": "<token>"} or {"accessToken": "<token>"}), else the upgrade request's Authorization header, checked once
// when the connection opens (as the verify endpoint checks it, strict mode included).
#pragma once

#include "api/graphql_ws_session.hpp"

namespace cubeauth::auth {
class AuthService;
}

namespace cubeauth::api {

/// Accepts a connection with a valid token (its claims become every operation's
/// ConnectionCaller, refused again by resolvers once expired) or with none (operations
/// that need a user then answer UNAUTHENTICATED); refuses an invalid one (4403).
GraphqlWsAuthenticator graphql_ws_authenticator(auth::AuthService& auth);

}  // namespace cubeauth::api
