// HS256 JSON Web Tokens, compatible both ways with Node's `jsonwebtoken` (the old
// server's): payload {"id", "email", "iat", "exp"}. Only HS256 is accepted.
#pragma once

#include "common/result.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cubeauth::auth {

/// Why a token was refused. Clients only ever learn "invalid or expired token".
enum class JwtError {
  kMalformed,         ///< not three base64url segments of JSON objects, or too long
  kUnsupportedAlgorithm,  ///< header alg is not HS256 (none, RS256, HS512, ...)
  kBadSignature,      ///< the HMAC does not match: tampered or another secret
  kExpired,           ///< exp is missing or not after now
  kNotYetValid,       ///< nbf is after now
  kMissingClaims,     ///< id or email missing or not strings, or roles not strings
};

std::string_view describe(JwtError error);

struct TokenClaims {
  std::string user_id;  ///< claim "id"
  std::string email;
  std::int64_t issued_at = 0;   ///< iat, seconds since the epoch
  std::int64_t expires_at = 0;  ///< exp
  /// claim "roles" ("user", "admin"); empty for tokens without it (the old server's).
  std::vector<std::string> roles;

  bool has_role(std::string_view role) const;
};

/// Longest token accepted by verify (bytes); longer ones are kMalformed unread.
inline constexpr std::size_t kMaxTokenSize = 8192;

class JwtCodec {
 public:
  explicit JwtCodec(std::string secret) : secret_(std::move(secret)) {}

  /// A token for the user, issued `now`, expiring `now + lifetime`; a "roles" claim
  /// when `roles` is not empty.
  std::string sign(std::string_view user_id, std::string_view email,
                   std::chrono::system_clock::time_point now, std::chrono::seconds lifetime,
                   const std::vector<std::string>& roles = {}) const;

  /// Checks the algorithm, the signature (constant time), exp and nbf, then the claims.
  Result<TokenClaims, JwtError> verify(std::string_view token,
                                       std::chrono::system_clock::time_point now) const;

 private:
  std::string secret_;
};

}  // namespace cubeauth::auth
