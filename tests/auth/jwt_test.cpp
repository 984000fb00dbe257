#include "auth/jwt.hpp"

#include "auth/detail/base64url.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace cubeauth::auth {
namespace {

using namespace std::chrono_literals;
using detail::base64url_encode;

const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1'717'000'000));

std::string signed_token(const std::string& secret, const std::string& header, const std::string& payload) {
  const std::string input = base64url_encode(header) + "." + base64url_encode(payload);
  unsigned char digest[32];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest, &size);
  return input + "." + base64url_encode(std::string(reinterpret_cast<char*>(digest), size));
}

std::string replace_segment(const std::string& token, int index, const std::string& segment) {
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  std::string parts[3] = {token.substr(0, first), token.substr(first + 1, second - first - 1),
                          token.substr(second + 1)};
  parts[index] = segment;
  return parts[0] + "." + parts[1] + "." + parts[2];
}

TEST(JwtCodec, SignsTheOldServersPayloadAndVerifiesIt) {
  JwtCodec codec("secret");
  const std::string token = codec.sign("65f1c0ffee0123456789abcd", "nadia@example.org", kNow, 3600s);
  EXPECT_EQ(token.substr(0, token.find('.')), base64url_encode(R"({"alg":"HS256","typ":"JWT"})"));
  EXPECT_EQ(token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1),
            base64url_encode(
                R"({"id":"65f1c0ffee0123456789abcd","email":"nadia@example.org","iat":1717000000,"exp":1717003600})"));
  const auto claims = codec.verify(token, kNow + 10s);
  ASSERT_TRUE(claims);
  EXPECT_EQ(claims->user_id, "65f1c0ffee0123456789abcd");
  EXPECT_EQ(claims->email, "nadia@example.org");
  EXPECT_EQ(claims->issued_at, 1'717'000'000);
  EXPECT_EQ(claims->expires_at, 1'717'003'600);
}

TEST(JwtCodec, CarriesRolesWhenGivenAndRefusesRolesThatAreNotStrings) {
  JwtCodec codec("secret");
  const std::string token = codec.sign("id", "a@b.co", kNow, 60s, {"user", "admin"});
  const auto claims = codec.verify(token, kNow);
  ASSERT_TRUE(claims);
  EXPECT_EQ(claims->roles, (std::vector<std::string>{"user", "admin"}));
  EXPECT_TRUE(claims->has_role("admin"));
  EXPECT_FALSE(codec.verify(codec.sign("id", "a@b.co", kNow, 60s), kNow)->has_role("user"));

  const std::string not_a_list = signed_token("secret", R"({"alg":"HS256","typ":"JWT"})",
                                              R"({"id":"id","email":"a@b.co","roles":"admin","exp":1717000060})");
  EXPECT_EQ(codec.verify(not_a_list, kNow).error(), JwtError::kMissingClaims);
}

TEST(JwtCodec, RefusesAnExpiredToken) {
  JwtCodec codec("secret");
  const std::string token = codec.sign("id", "a@b.co", kNow, 60s);
  EXPECT_EQ(codec.verify(token, kNow + 60s).error(), JwtError::kExpired);
  EXPECT_TRUE(codec.verify(token, kNow + 59s));
}

TEST(JwtCodec, RefusesAnotherSecretAndTampering) {
  const std::string token = JwtCodec("secret").sign("id", "a@b.co", kNow, 60s);
  EXPECT_EQ(JwtCodec("other").verify(token, kNow).error(), JwtError::kBadSignature);
  const std::string forged_payload =
      replace_segment(token, 1, base64url_encode(R"({"id":"admin","email":"a@b.co","exp":9999999999})"));
  EXPECT_EQ(JwtCodec("secret").verify(forged_payload, kNow).error(), JwtError::kBadSignature);
  std::string flipped = token;
  flipped[flipped.size() - 2] = flipped[flipped.size() - 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(JwtCodec("secret").verify(flipped, kNow));
}

TEST(JwtCodec, RefusesEveryAlgorithmButHs256) {
  JwtCodec codec("secret");
  const std::string token = codec.sign("id", "a@b.co", kNow, 60s);
  for (const char* header : {R"({"alg":"none","typ":"JWT"})", R"({"alg":"HS512","typ":"JWT"})",
                             R"({"alg":"RS256","typ":"JWT"})", R"({"alg":"hs256"})", R"({"typ":"JWT"})"}) {
    EXPECT_EQ(codec.verify(replace_segment(token, 0, base64url_encode(header)), kNow).error(),
              JwtError::kUnsupportedAlgorithm)
        << header;
  }
  // alg "none" with an empty signature.
  const std::string unsigned_token =
      base64url_encode(R"({"alg":"none"})") + "." + replace_segment(token, 2, "").substr(token.find('.') + 1);
  EXPECT_FALSE(codec.verify(unsigned_token, kNow));
}

TEST(JwtCodec, AcceptsAnotherHs256HeaderSpelling) {
  // jsonwebtoken writes {"alg":"HS256","typ":"JWT"}; other libraries may omit typ.
  JwtCodec codec("secret");
  const std::string token = codec.sign("id", "a@b.co", kNow, 60s);
  const std::string other_header = replace_segment(token, 0, base64url_encode(R"({"alg":"HS256"})"));
  EXPECT_EQ(codec.verify(other_header, kNow).error(), JwtError::kBadSignature);  // signature covers the header
}

TEST(JwtCodec, RefusesMalformedAndOversizedTokens) {
  JwtCodec codec("secret");
  for (const std::string& token :
       {std::string(), std::string("abc"), std::string("a.b"), std::string("a.b.c.d"),
        std::string("!!!.???.***"), std::string(kMaxTokenSize + 1, 'a')}) {
    EXPECT_FALSE(codec.verify(token, kNow)) << token.substr(0, 20);
  }
  const std::string token = codec.sign("id", "a@b.co", kNow, 60s);
  EXPECT_FALSE(codec.verify(token + "=", kNow));
  EXPECT_FALSE(codec.verify(" " + token, kNow));
}

TEST(JwtCodec, RefusesATokenNotYetValid) {
  JwtCodec codec("secret");
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  const std::string future = signed_token("secret", header,
                                          R"({"id":"x","email":"a@b.co","nbf":1717000100,"exp":1717009999})");
  EXPECT_EQ(codec.verify(future, kNow).error(), JwtError::kNotYetValid);
  EXPECT_TRUE(codec.verify(future, kNow + 100s));
}

TEST(JwtCodec, RequiresAnExpiryAndStringClaims) {
  JwtCodec codec("secret");
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  EXPECT_EQ(codec.verify(signed_token("secret", header, R"({"id":"x","email":"a@b.co"})"), kNow).error(),
            JwtError::kExpired);
  EXPECT_EQ(codec.verify(signed_token("secret", header, R"({"id":7,"email":"a@b.co","exp":1717009999})"), kNow)
                .error(),
            JwtError::kMissingClaims);
  EXPECT_EQ(codec.verify(signed_token("secret", header, R"({"id":"x","exp":1717009999})"), kNow).error(),
            JwtError::kMissingClaims);
  EXPECT_EQ(codec.verify(signed_token("secret", header, R"([1,2])"), kNow).error(), JwtError::kMalformed);
}

TEST(JwtCodec, NeverTakesTheTokensWordForTheKey) {
  // A "public key as HMAC secret" attempt: RS256 header, HMAC signature made with a PEM text.
  JwtCodec codec("secret");
  const std::string pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----";
  const std::string token = signed_token(pem, R"({"alg":"RS256","typ":"JWT"})",
                                         R"({"id":"x","email":"a@b.co","exp":1717009999})");
  EXPECT_EQ(codec.verify(token, kNow).error(), JwtError::kUnsupportedAlgorithm);
}

}  // namespace
}  // namespace cubeauth::auth
