#include "auth/refresh_token.hpp"

#include "auth/detail/base64url.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace cubeauth::auth {
namespace {

template <std::size_t N>
std::array<unsigned char, N> random_bytes() {
  std::array<unsigned char, N> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // Without randomness no token can be safe: fail the request rather than guess.
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  return bytes;
}

std::string to_hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    hex[2 * i] = kDigits[bytes[i] >> 4];
    hex[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
  return hex;
}

}  // namespace

std::string make_refresh_token() {
  const auto bytes = random_bytes<32>();
  return detail::base64url_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string make_family_id() {
  const auto bytes = random_bytes<12>();
  return to_hex(bytes.data(), bytes.size());
}

std::string hash_refresh_token(std::string_view token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(token.data(), token.size(), digest, &size, EVP_sha256(), nullptr);
  return to_hex(digest, size);
}

}  // namespace cubeauth::auth
