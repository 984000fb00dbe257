// Refresh tokens as the stores keep them: only a hash of each opaque token, grouped
// in families (one family per login; each rotation adds a member). Rotation follows
// the OAuth 2.0 security BCP: a token is used once, and presenting a used one again
// revokes its whole family (the token was likely stolen).
#pragma once

#include <chrono>
#include <string>

namespace cubeauth::store {

struct NewRefreshToken {
  /// Lower-case hex SHA-256 of the opaque token; the token itself is never stored.
  std::string token_hash;
  /// 24 hex digits shared by every token of one login session.
  std::string family_id;
  std::string user_id;
  std::chrono::system_clock::time_point issued_at;
  std::chrono::system_clock::time_point expires_at;
};

enum class RotationOutcome {
  /// The presented token was live: it is now used and `next` is stored in its family.
  kRotated,
  /// No stored token has this hash.
  kUnknown,
  /// The token has expired, or its family was revoked (logout, password change).
  kRevoked,
  /// The token was already used: its whole family is now revoked (theft detection).
  kReused,
};

struct Rotation {
  RotationOutcome outcome = RotationOutcome::kUnknown;
  /// The token's user and family, set for every outcome but kUnknown.
  std::string user_id;
  std::string family_id;
};

}  // namespace cubeauth::store
