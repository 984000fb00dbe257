// base64url without padding (RFC 4648 section 5), as JWS uses it. Written here
// because OpenSSL only has the padded standard alphabet and strictness matters:
// a decoder must refuse anything that is not canonical base64url.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cubeauth::auth::detail {

std::string base64url_encode(std::string_view bytes);

/// nullopt for characters outside the alphabet, padding, a length of 4n+1, or
/// non-zero trailing bits (so one token has exactly one spelling).
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace cubeauth::auth::detail
