#include "auth/detail/base64url.hpp"

#include <gtest/gtest.h>

namespace cubeauth::auth::detail {
namespace {

TEST(Base64url, EncodesWithoutPaddingInTheUrlAlphabet) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
}

TEST(Base64url, DecodesWhatItEncodes) {
  for (std::string text : {"", "a", "ab", "abc", "abcd", "\x00\xff\x10 binary"}) {
    EXPECT_EQ(base64url_decode(base64url_encode(text)), text);
  }
}

TEST(Base64url, RefusesEverythingThatIsNotCanonical) {
  EXPECT_FALSE(base64url_decode("Zg=="));   // padding
  EXPECT_FALSE(base64url_decode("Zm+v"));   // standard alphabet
  EXPECT_FALSE(base64url_decode("Zm9v/"));  // standard alphabet
  EXPECT_FALSE(base64url_decode("Z"));      // 4n+1 characters
  EXPECT_FALSE(base64url_decode("Zh"));     // non-zero trailing bits
  EXPECT_FALSE(base64url_decode("Zm 9"));
}

}  // namespace
}  // namespace cubeauth::auth::detail
