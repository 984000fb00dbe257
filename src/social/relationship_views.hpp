// What relationships look like to clients, from one user's side: the JSON of the
// GraphQL types Relationship, PublicUser and RelationshipEvent (api/schema_social.graphql).
// Events are built here too, once, when they happen, and travel between processes as is.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <string>
#include <string_view>

#include "store/relationship.hpp"
#include "store/user.hpp"

namespace cubeauth::social {

/// What a relationship event tells its recipient.
enum class EventKind {
  kRequestReceived,  ///< the other user asked you
  kRequestSent,      ///< you asked the other user (from another of your devices)
  kAccepted,         ///< you are friends now
  kDeclined,         ///< a request between you was declined
  kCancelled,        ///< a request between you was withdrawn
  kRemoved,          ///< the friendship or request is gone (also what the blocked side sees)
  kBlocked,          ///< you blocked the other user
  kUnblocked,        ///< you unblocked the other user
  kDialogCreated,    ///< the pair's ConnectyCube dialog exists now
};

/// "REQUEST_RECEIVED", ...: the GraphQL enum value.
std::string_view to_string(EventKind kind);

/// PublicUser: id, firstName, lastName, ccUserId (what a user may see of another: no email).
boost::json::object public_user_json(const store::User& user);

/// Relationship from `viewer_id`'s side: id, status (FRIENDS, REQUEST_SENT,
/// REQUEST_RECEIVED, BLOCKED), user (the other one), connectyDialogId, createdAt, updatedAt.
boost::json::object relationship_json(const store::Relationship& relationship, std::string_view viewer_id,
                                      const store::User& other);

/// RelationshipEvent: kind, user (the other one), relationship (null when there is none
/// left to show the recipient), at.
boost::json::object event_json(EventKind kind, const store::User& other, const boost::json::object* relationship,
                               std::chrono::system_clock::time_point at);

/// "2026-11-27T09:42:18.123Z".
std::string iso8601(std::chrono::system_clock::time_point time);

}  // namespace cubeauth::social
