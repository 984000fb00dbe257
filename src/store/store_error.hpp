// The ways a UserStore call can fail, as values. The auth layer translates them
// once (kDuplicateEmail -> "Email already exists", kUnavailable -> 503-class).
#pragma once

#include <string_view>

namespace cubeauth::store {

enum class StoreError {
  /// create_user: an account with this email (compared case-insensitively) exists.
  kDuplicateEmail,
  /// set_connectycube_id / delete_user: no user has this id.
  kNotFound,
  /// Relationships: the pair already has one (create), or the record changed since
  /// it was read (a compare-and-set lost) or is not in the state the call needs.
  kConflict,
  /// The database cannot be reached now (connection refused or lost, server
  /// selection timed out). Retrying later may succeed; the store reconnects itself.
  kUnavailable,
  /// Anything else: a query the database refused, a stored row we cannot read.
  /// The details are logged; retrying will not help.
  kInternal,
};

/// A short stable name for logs and tests: "duplicate_email", "not_found", ...
std::string_view to_string(StoreError error);

}  // namespace cubeauth::store
