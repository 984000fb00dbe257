// A relationship's document (collection `relationships`, issue 10): _id ObjectId,
// userLow and userHigh ObjectIds (userLow < userHigh as hex, unique together),
// status "pending" | "friends" | "blocked", actedBy ObjectId, dialogId string
// (absent until recorded), version int64, createdAt and updatedAt dates, and
// blockedByLow / blockedByHigh booleans (each side's own block). Documents written
// before those two existed have neither: a blocked one is then actedBy's block alone.
#pragma once

#include <bson/bson.h>

#include <optional>

#include "store/relationship.hpp"

namespace cubeauth::store::mongo {

/// The document for a new relationship; dialogId is left out unless set.
void append_new_relationship(bson_t* document, const Relationship& relationship);

/// Reads a stored document; nullopt when an id, the status or a date is missing
/// or of another type (not a document this store wrote). An older document without
/// blockedByLow / blockedByHigh reads as the block of actedBy when blocked.
std::optional<Relationship> read_relationship(const bson_t* document);

}  // namespace cubeauth::store::mongo
