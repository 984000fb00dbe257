#include "auth/refresh_token.hpp"

#include <gtest/gtest.h>

#include <set>

namespace cubeauth::auth {
namespace {

TEST(RefreshTokens, Are256RandomBitsInBase64urlAndNeverRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string token = make_refresh_token();
    EXPECT_EQ(token.size(), 43u);
    EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_TRUE(seen.insert(token).second);
  }
}

TEST(RefreshTokens, AreStoredAsTheirSha256InHex) {
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  EXPECT_EQ(hash_refresh_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string token = make_refresh_token();
  EXPECT_EQ(hash_refresh_token(token), hash_refresh_token(token));
  EXPECT_NE(hash_refresh_token(token), hash_refresh_token(make_refresh_token()));
}

TEST(RefreshTokenFamilies, HaveTwentyFourHexDigits) {
  const std::string family = make_family_id();
  EXPECT_EQ(family.size(), 24u);
  EXPECT_EQ(family.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(family, make_family_id());
}

}  // namespace
}  // namespace cubeauth::auth
