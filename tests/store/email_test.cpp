#include "store/email.hpp"

#include <gtest/gtest.h>

namespace cubeauth::store {
namespace {

TEST(NormalizeEmail, TrimsSpacesAndLowerCasesAsciiLetters) {
  EXPECT_EQ(normalize_email("  Ada.Lovelace@Example.COM \t"), "ada.lovelace@example.com");
}

TEST(NormalizeEmail, LeavesOtherCharactersAlone) {
  EXPECT_EQ(normalize_email("Ünï+1@x.io"), "Ünï+1@x.io");
  EXPECT_EQ(normalize_email("   "), "");
}

}  // namespace
}  // namespace cubeauth::store
