#include "social/relationship_views.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace cubeauth::social {

std::string_view to_string(EventKind kind) {
  switch (kind) {
    case EventKind::kRequestReceived:
      return "REQUEST_RECEIVED";
    case EventKind::kRequestSent:
      return "REQUEST_SENT";
    case EventKind::kAccepted:
      return "ACCEPTED";
    case EventKind::kDeclined:
      return "DECLINED";
    case EventKind::kCancelled:
      return "CANCELLED";
    case EventKind::kRemoved:
      return "REMOVED";
    case EventKind::kBlocked:
      return "BLOCKED";
    case EventKind::kUnblocked:
      return "UNBLOCKED";
    case EventKind::kDialogCreated:
      return "DIALOG_CREATED";
  }
  return "REMOVED";
}

std::string iso8601(std::chrono::system_clock::time_point time) {
  const auto millis = std::chrono::floor<std::chrono::milliseconds>(time);
  const auto seconds = std::chrono::floor<std::chrono::seconds>(millis);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", seconds, (millis - seconds).count());
}

boost::json::object public_user_json(const store::User& user) {
  boost::json::object json;
  json["id"] = user.id;
  json["firstName"] = user.first_name;
  json["lastName"] = user.last_name;
  json["ccUserId"] = user.connectycube_id ? boost::json::value(static_cast<double>(*user.connectycube_id)) : nullptr;
  return json;
}

namespace {

std::string_view status_for(const store::Relationship& relationship, std::string_view viewer_id) {
  switch (relationship.status) {
    case store::RelationshipStatus::kFriends:
      return "FRIENDS";
    case store::RelationshipStatus::kBlocked:
      return "BLOCKED";
    case store::RelationshipStatus::kPending:
      break;
  }
  return relationship.acted_by == viewer_id ? "REQUEST_SENT" : "REQUEST_RECEIVED";
}

}  // namespace

boost::json::object relationship_json(const store::Relationship& relationship, std::string_view viewer_id,
                                      const store::User& other) {
  boost::json::object json;
  json["id"] = relationship.id;
  json["status"] = status_for(relationship, viewer_id);
  json["user"] = public_user_json(other);
  json["connectyDialogId"] = relationship.dialog_id ? boost::json::value(*relationship.dialog_id) : nullptr;
  json["createdAt"] = iso8601(relationship.created_at);
  json["updatedAt"] = iso8601(relationship.updated_at);
  return json;
}

boost::json::object event_json(EventKind kind, const store::User& other, const boost::json::object* relationship,
                               std::chrono::system_clock::time_point at) {
  boost::json::object json;
  json["kind"] = to_string(kind);
  json["user"] = public_user_json(other);
  json["relationship"] = relationship != nullptr ? boost::json::value(*relationship) : nullptr;
  json["at"] = iso8601(at);
  return json;
}

}  // namespace cubeauth::social
