// Relationships between two users (issue 10): one record per pair whatever the
// direction, the pair kept in canonical order (user_low < user_high, compared as
// their 24-hex ids) under a unique index, so racing requests from both sides meet
// on one record. Every change is a compare-and-set on `version`, which keeps the
// state machine (auth/relationships) out of the stores.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cubeauth::store {

enum class RelationshipStatus {
  kPending,  ///< acted_by asked the other to be friends
  kFriends,  ///< acted_by accepted
  kBlocked,  ///< one or both blocked the other (blocked_by_low / blocked_by_high)
};

/// "pending", "friends", "blocked": the stored form in every store.
std::string_view to_string(RelationshipStatus status);
/// The inverse of to_string; nullopt for any other text.
std::optional<RelationshipStatus> relationship_status_from_string(std::string_view text);

struct Relationship {
  /// 24 lower-case hex digits of an ObjectId, whatever the store.
  std::string id;
  std::string user_low;   ///< the smaller of the two user ids
  std::string user_high;  ///< the larger
  RelationshipStatus status = RelationshipStatus::kPending;
  /// The user who acted last: the requester (pending), the accepter (friends), the
  /// last blocker whose block stands (blocked). Always user_low or user_high.
  std::string acted_by;
  /// Each side's own block, independent of the other's: status is kBlocked exactly
  /// while one or both are set, and both are false in any other status. So a mutual
  /// block is two blocks, and either side's unblock leaves the other's in place.
  bool blocked_by_low = false;
  bool blocked_by_high = false;
  /// The pair's private ConnectyCube dialog, once created (friends only).
  std::optional<std::string> dialog_id;
  /// 1 at creation, +1 on every update_relationship; set_relationship_dialog leaves it.
  std::int64_t version = 1;
  /// Millisecond precision in every store.
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point updated_at;

  /// The member of the pair that is not `user_id`.
  const std::string& other(std::string_view user_id) const {
    return user_id == user_low ? user_high : user_low;
  }
  /// Whether `user_id` (a member of the pair) blocked the other.
  bool blocked_by(std::string_view user_id) const {
    return user_id == user_low ? blocked_by_low : (user_id == user_high && blocked_by_high);
  }

  friend bool operator==(const Relationship&, const Relationship&) = default;
};

/// What create_relationship needs: the two users in any order (the store orders
/// them), the first status and who acted. A relationship created blocked is
/// acted_by's block alone (the store sets that side's flag).
struct NewRelationship {
  std::string user_a;
  std::string user_b;
  RelationshipStatus status = RelationshipStatus::kPending;
  std::string acted_by;
};

/// A compare-and-set change of status, actor and the two sides' blocks
/// (update_relationship). The flags must agree with the status: status kBlocked with
/// one or both set, any other status with neither (the stores refuse the rest).
struct RelationshipChange {
  RelationshipStatus status = RelationshipStatus::kPending;
  std::string acted_by;
  bool blocked_by_low = false;
  bool blocked_by_high = false;
};

/// Whether the change's flags agree with its status (see RelationshipChange).
bool is_consistent(const RelationshipChange& change);

/// The lists a user sees.
enum class RelationshipView {
  kFriends,   ///< status friends
  kIncoming,  ///< pending, acted_by is the other user
  kOutgoing,  ///< pending, acted_by is this user
  kBlocked,   ///< blocked by this user (whatever the other did): whom this user blocked
};

struct RelationshipQuery {
  std::string user_id;
  RelationshipView view = RelationshipView::kFriends;
  /// Only relationships whose id sorts after this one (the previous page's next_after_id).
  std::optional<std::string> after_id;
  /// At most this many (the caller bounds it, 1..100).
  std::size_t limit = 20;
};

/// One page, in ascending relationship id order.
struct RelationshipPage {
  std::vector<Relationship> items;
  /// The id of the last item when more may follow.
  std::optional<std::string> next_after_id;
};

}  // namespace cubeauth::store
