// The checks every store makes before create_relationship touches the database:
// the pair in canonical order (user_low < user_high as lower-case hex), acted_by
// one of the two.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.hpp"
#include "store/object_id.hpp"
#include "store/relationship.hpp"
#include "store/store_error.hpp"

namespace cubeauth::store::detail {

struct CanonicalPair {
  std::string user_low;
  std::string user_high;
  std::string acted_by;
  /// A relationship created blocked is acted_by's block.
  bool blocked_by_low = false;
  bool blocked_by_high = false;
};

/// kNotFound when either id is no ObjectId (no such user can exist); kInternal when
/// the two are equal or acted_by is neither of them.
inline Result<CanonicalPair, StoreError> canonical_pair(const NewRelationship& input) {
  if (!is_object_id(input.user_a) || !is_object_id(input.user_b)) {
    return unexpected(StoreError::kNotFound);
  }
  std::string a = canonical_object_id(input.user_a);
  std::string b = canonical_object_id(input.user_b);
  if (a == b || !is_object_id(input.acted_by)) {
    return unexpected(StoreError::kInternal);
  }
  std::string acted_by = canonical_object_id(input.acted_by);
  if (acted_by != a && acted_by != b) {
    return unexpected(StoreError::kInternal);
  }
  if (b < a) {
    std::swap(a, b);
  }
  const bool blocked = input.status == RelationshipStatus::kBlocked;
  const bool by_low = blocked && acted_by == a;
  const bool by_high = blocked && acted_by == b;
  return CanonicalPair{std::move(a), std::move(b), std::move(acted_by), by_low, by_high};
}

/// The pair {a, b} in canonical order (low, high); nullopt when either is no
/// ObjectId (then no relationship can exist).
inline std::optional<std::pair<std::string, std::string>> ordered_ids(std::string_view a,
                                                                      std::string_view b) {
  if (!is_object_id(a) || !is_object_id(b)) {
    return std::nullopt;
  }
  std::string low = canonical_object_id(a);
  std::string high = canonical_object_id(b);
  if (high < low) {
    std::swap(low, high);
  }
  return std::pair{std::move(low), std::move(high)};
}

/// What set_relationship_dialog answers when its conditional update changed nothing, from
/// the pair as it is now (`found`: its read back by id): gone (kNotFound), not friends
/// (kConflict), or friends whose dialog was recorded first (that record).
inline Result<Relationship, StoreError> unchanged_dialog_outcome(
    Result<std::optional<Relationship>, StoreError> found) {
  if (!found) {
    return unexpected(found.error());
  }
  if (!*found) {
    return unexpected(StoreError::kNotFound);
  }
  if ((*found)->status != RelationshipStatus::kFriends) {
    return unexpected(StoreError::kConflict);
  }
  return std::move(**found);
}

}  // namespace cubeauth::store::detail
