// A user account as every store keeps it (CONTRACT section 5).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cubeauth::store {

struct User {
  /// 24 lower-case hex digits of a MongoDB ObjectId, whatever the store.
  std::string id;
  /// As stored: new users trimmed and lower-cased by the caller; users written by
  /// the old server may have mixed case.
  std::string email;
  std::string first_name;
  std::string last_name;
  /// bcrypt hash ($2a$/$2b$/$2y$).
  std::string password_hash;
  std::optional<std::int64_t> connectycube_id;
  /// Millisecond precision in every store (MongoDB dates are milliseconds).
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point updated_at;
  /// Role names beyond the implicit "user" ("admin"); sorted, no duplicates.
  /// Documents and rows written by the old server have none.
  std::vector<std::string> roles;
  /// A disabled account cannot log in or refresh (set by an admin).
  bool disabled = false;
  /// When the password last changed (millisecond precision); unset until the first
  /// change. Strict token checking refuses access tokens issued before it.
  std::optional<std::chrono::system_clock::time_point> password_changed_at;

  friend bool operator==(const User&, const User&) = default;
};

/// What create_user needs; the store adds id and timestamps.
struct NewUser {
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string password_hash;
};

/// One page of an admin's user listing, in ascending id order.
struct UserPage {
  std::vector<User> users;
  /// The id of the last user on this page when more may follow; pass it as
  /// UserQuery::after_id to read the next page.
  std::optional<std::string> next_after_id;
};

struct UserQuery {
  /// Only users whose email contains this text, ignoring ASCII case; empty: all.
  std::string email_contains;
  /// Only users whose id sorts after this one (the previous page's next_after_id).
  std::optional<std::string> after_id;
  /// At most this many users (the caller bounds it, 1..100).
  std::size_t limit = 20;
};

}  // namespace cubeauth::store
