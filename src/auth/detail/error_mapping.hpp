// How the auth layer turns a store or ConnectyCube failure into an AuthError: one
// place, shared by every operation of AuthService.
#pragma once

#include "auth/auth_error.hpp"
#include "connectycube/error.hpp"
#include "store/store_error.hpp"

namespace cubeauth::auth::detail {

/// kDuplicateEmail -> kEmailTaken, kUnavailable -> kStoreUnavailable, else kInternal.
AuthError from_store(store::StoreError error);

/// Unreachable or garbage -> kConnectyCubeUnavailable; a refusal -> kConnectyCubeRefused
/// carrying ConnectyCube's own field messages, which are safe to show.
AuthError from_connectycube(const connectycube::Error& error);

}  // namespace cubeauth::auth::detail
