// GET /auth/verify-connectycube?token=<jwt>: ConnectyCube's Custom Identity Provider
// check of a token cubeauth issued (CONTRACT section 2). POST is accepted too, with
// the token in the query, a form body or a JSON body.
#pragma once

#include "http/router.hpp"

namespace cubeauth::auth {
class AuthService;
}

namespace cubeauth::api {

void add_verify_routes(http::Router& router, auth::AuthService& auth);

}  // namespace cubeauth::api
