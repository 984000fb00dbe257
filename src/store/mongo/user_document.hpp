// The old server's user document (Mongoose model `User`, collection `users`):
// _id ObjectId, firstName, lastName, email, password, connectyCubeId number,
// createdAt and updatedAt dates, __v 0. Issue 9 adds, only once set: roles
// (array of strings), disabled (bool), passwordChangedAt (date).
#pragma once

#include <bson/bson.h>

#include <string>
#include <vector>

#include "store/user.hpp"

namespace cubeauth::store::mongo {

/// The document for a new user; connectyCubeId is left out until it is known,
/// as Mongoose leaves out unset fields.
void append_new_user(bson_t* document, const User& user);

/// Appends connectyCubeId as the old server's driver would: a 32-bit integer
/// when it fits, else a 64-bit one (read back as a number by the old server).
void append_connectycube_id(bson_t* document, std::int64_t connectycube_id);

/// Appends `roles` as an array of strings.
void append_roles(bson_t* document, const std::vector<std::string>& roles);

/// Reads a stored document. Tolerates what older documents lack: no
/// connectyCubeId or __v, no timestamps (then the ObjectId's time is used), no
/// roles (none), disabled (false) or passwordChangedAt (never changed).
/// connectyCubeId may be a 32- or 64-bit integer or a double.
User read_user(const bson_t* document);

}  // namespace cubeauth::store::mongo
