// A user account as every store keeps it (CONTRACT section 5).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

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

  friend bool operator==(const User&, const User&) = default;
};

/// What create_user needs; the store adds id and timestamps.
struct NewUser {
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string password_hash;
};

}  // namespace cubeauth::store
