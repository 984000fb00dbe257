// libFuzzer target for the JWT decoder (auth::JwtCodec::verify). The first byte picks a mode:
//   0: the rest is a token as a client would send it;
//   1: the rest is "<header JSON>\n<payload JSON>", encoded and signed with the right secret,
//      so that the fuzzer reaches the claims past the signature check;
//   2: the same signed with another secret: verify must never accept it;
//   3: the rest is "<id>\n<email>": sign then verify must give the claims back.
// Invariants abort: an accepted token has an HS256 header and exp after now; a token signed
// with another secret is never accepted.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "auth/detail/base64url.hpp"
#include "auth/jwt.hpp"

namespace {

using cubeauth::auth::JwtCodec;
namespace detail = cubeauth::auth::detail;

constexpr std::string_view kSecret = "fuzz-secret";
const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

std::string signed_token(std::string_view header, std::string_view payload,
                         std::string_view secret) {
  std::string token = detail::base64url_encode(header) + "." + detail::base64url_encode(payload);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest, &size);
  token += '.';
  token += detail::base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), size));
  return token;
}

/// True when the header JSON is an object whose alg is exactly "HS256".
bool declares_hs256(std::string_view header) {
  boost::system::error_code ec;
  const auto value = boost::json::parse(header, ec);
  if (ec || !value.is_object()) {
    return false;
  }
  const auto* alg = value.get_object().if_contains("alg");
  return alg != nullptr && alg->is_string() && alg->get_string() == "HS256";
}

void check_accepted(const cubeauth::auth::TokenClaims& claims) {
  check(claims.expires_at >
        std::chrono::duration_cast<std::chrono::seconds>(kNow.time_since_epoch()).count());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  static const JwtCodec codec{std::string(kSecret)};
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t newline = rest.find('\n');
  const std::string_view first = rest.substr(0, newline);
  const std::string_view second =
      newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);

  switch (data[0] % 4) {
    case 0: {
      if (auto claims = codec.verify(rest, kNow)) {
        check_accepted(*claims);
      }
      break;
    }
    case 1: {
      const std::string token = signed_token(first, second, kSecret);
      if (auto claims = codec.verify(token, kNow)) {
        check(declares_hs256(first));
        check_accepted(*claims);
      }
      break;
    }
    case 2: {
      const std::string token = signed_token(first, second, "another-secret");
      check(!codec.verify(token, kNow));
      break;
    }
    default: {
      const std::string token = codec.sign(first, second, kNow, std::chrono::seconds(60));
      auto claims = codec.verify(token, kNow);
      // Tokens over kMaxTokenSize are refused unread; every other one comes back intact
      // (Boost.JSON refuses invalid UTF-8 in the payload, so only valid text round-trips).
      if (claims) {
        check(claims->user_id == first && claims->email == second);
      }
      break;
    }
  }
  return 0;
}
