#include "store/relationship.hpp"

namespace cubeauth::store {

std::string_view to_string(RelationshipStatus status) {
  switch (status) {
    case RelationshipStatus::kPending:
      return "pending";
    case RelationshipStatus::kFriends:
      return "friends";
    case RelationshipStatus::kBlocked:
      return "blocked";
  }
  return "unknown";
}

std::optional<RelationshipStatus> relationship_status_from_string(std::string_view text) {
  if (text == "pending") {
    return RelationshipStatus::kPending;
  }
  if (text == "friends") {
    return RelationshipStatus::kFriends;
  }
  if (text == "blocked") {
    return RelationshipStatus::kBlocked;
  }
  return std::nullopt;
}

bool is_consistent(const RelationshipChange& change) {
  const bool blocked = change.blocked_by_low || change.blocked_by_high;
  return blocked == (change.status == RelationshipStatus::kBlocked);
}

}  // namespace cubeauth::store
