// Opaque refresh tokens: 256 random bits a client keeps; the store keeps only their
// SHA-256, so a leaked database cannot be replayed as sessions.
#pragma once

#include <string>
#include <string_view>

namespace cubeauth::auth {

/// 32 bytes from OpenSSL's CSPRNG, base64url without padding (43 characters).
std::string make_refresh_token();

/// A fresh 24-hex-digit family id (one per login session).
std::string make_family_id();

/// Lower-case hex SHA-256 of the token as sent; what the store keys on.
std::string hash_refresh_token(std::string_view token);

/// Longest refresh token looked up; longer input is refused unhashed.
inline constexpr std::size_t kMaxRefreshTokenSize = 128;

}  // namespace cubeauth::auth
