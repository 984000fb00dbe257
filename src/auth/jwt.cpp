#include "auth/jwt.hpp"

#include "auth/detail/base64url.hpp"

#include <algorithm>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace cubeauth::auth {
namespace {

// The header Node's jsonwebtoken writes for HS256, byte for byte.
constexpr std::string_view kHeaderSegment = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/// HMAC-SHA256 with a keyed EVP_MAC context kept per thread: OpenSSL 3's one-shot
/// HMAC() fetches the algorithm and sets the key on every call, which was a tenth of
/// the verify endpoint's CPU; re-initialising a keyed context only resets its state.
class ThreadHmac {
 public:
  ThreadHmac() : ctx_(EVP_MAC_CTX_new(mac())) {}
  ~ThreadHmac() { EVP_MAC_CTX_free(ctx_); }
  ThreadHmac(const ThreadHmac&) = delete;
  ThreadHmac& operator=(const ThreadHmac&) = delete;

  std::string sign(std::string_view secret, std::string_view message) {
    bool ready = false;
    if (ctx_ != nullptr) {
      if (secret != key_) {
        char digest[] = "SHA256";
        const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                     OSSL_PARAM_construct_end()};
        ready = EVP_MAC_init(ctx_, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), params) == 1;
        key_ = ready ? std::string(secret) : std::string();
      } else {
        ready = EVP_MAC_init(ctx_, nullptr, 0, nullptr) == 1;
      }
    }
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t size = 0;
    if (ready && EVP_MAC_update(ctx_, reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1 &&
        EVP_MAC_final(ctx_, out, &size, sizeof out) == 1) {
      return std::string(reinterpret_cast<const char*>(out), size);
    }
    // Out of memory or a provider problem: the one-shot path still gives the right answer.
    unsigned int one_shot_size = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &one_shot_size);
    return std::string(reinterpret_cast<const char*>(out), one_shot_size);
  }

 private:
  static EVP_MAC* mac() {
    static EVP_MAC* const fetched = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    return fetched;
  }
  EVP_MAC_CTX* ctx_;
  std::string key_;
};

std::string hmac_sha256(std::string_view secret, std::string_view message) {
  thread_local ThreadHmac hmac;
  return hmac.sign(secret, message);
}

std::optional<boost::json::object> decode_object(std::string_view segment) {
  auto text = detail::base64url_decode(segment);
  if (!text) {
    return std::nullopt;
  }
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(*text, ec);
  if (ec || !value.is_object()) {
    return std::nullopt;
  }
  return std::move(value.as_object());
}

/// A NumericDate claim as whole seconds; nullopt when absent or not a number.
std::optional<std::int64_t> numeric_date(const boost::json::object& payload, std::string_view name) {
  const auto* value = payload.if_contains(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (value->is_int64()) {
    return value->as_int64();
  }
  if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(value->as_uint64());
  }
  if (value->is_double() && value->as_double() > -9e18 && value->as_double() < 9e18) {
    return static_cast<std::int64_t>(value->as_double());
  }
  return std::nullopt;
}

}  // namespace

std::string_view describe(JwtError error) {
  switch (error) {
    case JwtError::kMalformed:
      return "malformed token";
    case JwtError::kUnsupportedAlgorithm:
      return "algorithm other than HS256";
    case JwtError::kBadSignature:
      return "bad signature";
    case JwtError::kExpired:
      return "expired";
    case JwtError::kNotYetValid:
      return "not yet valid";
    case JwtError::kMissingClaims:
      return "missing id or email claim";
  }
  return "invalid token";
}

bool TokenClaims::has_role(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::string JwtCodec::sign(std::string_view user_id, std::string_view email,
                           std::chrono::system_clock::time_point now, std::chrono::seconds lifetime,
                           const std::vector<std::string>& roles) const {
  const auto issued = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  boost::json::object payload;
  payload["id"] = user_id;
  payload["email"] = email;
  if (!roles.empty()) {
    boost::json::array names;
    for (const auto& role : roles) {
      names.emplace_back(role);
    }
    payload["roles"] = std::move(names);
  }
  payload["iat"] = issued;
  payload["exp"] = issued + lifetime.count();
  std::string token(kHeaderSegment);
  token += '.';
  token += detail::base64url_encode(boost::json::serialize(payload));
  const std::string signature = hmac_sha256(secret_, token);
  token += '.';
  token += detail::base64url_encode(signature);
  return token;
}

Result<TokenClaims, JwtError> JwtCodec::verify(std::string_view token,
                                               std::chrono::system_clock::time_point now) const {
  if (token.size() > kMaxTokenSize) {
    return unexpected(JwtError::kMalformed);
  }
  const auto first_dot = token.find('.');
  const auto second_dot = first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != std::string_view::npos) {
    return unexpected(JwtError::kMalformed);
  }
  const std::string_view header_segment = token.substr(0, first_dot);
  const std::string_view payload_segment = token.substr(first_dot + 1, second_dot - first_dot - 1);
  const std::string_view signature_segment = token.substr(second_dot + 1);

  // The algorithm is decided by us, never by the token: anything but HS256 is refused
  // before any key is used (no "none", no public key taken as an HMAC secret).
  if (header_segment != kHeaderSegment) {
    const auto header = decode_object(header_segment);
    if (!header) {
      return unexpected(JwtError::kMalformed);
    }
    const auto* alg = header->if_contains("alg");
    if (alg == nullptr || !alg->is_string() || alg->as_string() != "HS256") {
      return unexpected(JwtError::kUnsupportedAlgorithm);
    }
  }

  const auto signature = detail::base64url_decode(signature_segment);
  if (!signature || signature->size() != 32) {
    return unexpected(JwtError::kBadSignature);
  }
  const std::string expected = hmac_sha256(secret_, token.substr(0, second_dot));
  if (CRYPTO_memcmp(expected.data(), signature->data(), expected.size()) != 0) {
    return unexpected(JwtError::kBadSignature);
  }

  const auto payload = decode_object(payload_segment);
  if (!payload) {
    return unexpected(JwtError::kMalformed);
  }
  const std::int64_t now_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const auto expires = numeric_date(*payload, "exp");
  if (!expires || now_seconds >= *expires) {
    return unexpected(JwtError::kExpired);
  }
  if (payload->contains("nbf")) {
    const auto not_before = numeric_date(*payload, "nbf");
    if (!not_before || now_seconds < *not_before) {
      return unexpected(JwtError::kNotYetValid);
    }
  }
  const auto* id = payload->if_contains("id");
  const auto* email = payload->if_contains("email");
  if (id == nullptr || !id->is_string() || email == nullptr || !email->is_string()) {
    return unexpected(JwtError::kMissingClaims);
  }
  TokenClaims claims;
  claims.user_id = id->as_string();
  claims.email = email->as_string();
  claims.issued_at = numeric_date(*payload, "iat").value_or(0);
  claims.expires_at = *expires;
  if (const auto* roles = payload->if_contains("roles")) {
    if (!roles->is_array()) {
      return unexpected(JwtError::kMissingClaims);
    }
    for (const auto& role : roles->as_array()) {
      if (!role.is_string()) {
        return unexpected(JwtError::kMissingClaims);
      }
      claims.roles.emplace_back(role.as_string());
    }
  }
  return claims;
}

}  // namespace cubeauth::auth
