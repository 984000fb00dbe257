#include "store/object_id.hpp"

#include <gtest/gtest.h>

#include <set>

namespace cubeauth::store {
namespace {

TEST(NewObjectId, IsTwentyFourLowerCaseHexDigits) {
  const std::string id = new_object_id();
  ASSERT_EQ(id.size(), 24u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  EXPECT_TRUE(is_object_id(id));
}

TEST(NewObjectId, StartsWithTheSecondsOfItsTimeBigEndian) {
  const auto at = std::chrono::system_clock::time_point(std::chrono::seconds(0x5f5e1000));
  const std::string id = new_object_id(at);
  EXPECT_EQ(id.substr(0, 8), "5f5e1000");
  EXPECT_EQ(object_id_time(id), at);
}

TEST(NewObjectId, SharesTheProcessPartAndCountsUpInTheLastThreeBytes) {
  const auto at = std::chrono::system_clock::now();
  const std::string first = new_object_id(at);
  const std::string second = new_object_id(at);
  EXPECT_EQ(first.substr(8, 10), second.substr(8, 10));
  const auto counter = [](const std::string& id) { return std::stoul(id.substr(18), nullptr, 16); };
  EXPECT_EQ((counter(first) + 1) & 0xFFFFFFu, counter(second));
}

TEST(NewObjectId, NeverRepeatsAcrossManyCalls) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    EXPECT_TRUE(seen.insert(new_object_id()).second);
  }
}

TEST(IsObjectId, AcceptsOnlyTwentyFourHexDigits) {
  EXPECT_TRUE(is_object_id("507f1f77bcf86cd799439011"));
  EXPECT_TRUE(is_object_id("507F1F77BCF86CD799439011"));
  EXPECT_FALSE(is_object_id(""));
  EXPECT_FALSE(is_object_id("507f1f77bcf86cd79943901"));
  EXPECT_FALSE(is_object_id("507f1f77bcf86cd7994390111"));
  EXPECT_FALSE(is_object_id("507f1f77bcf86cd79943901g"));
}

TEST(CanonicalObjectId, LowerCasesTheHexDigits) {
  EXPECT_EQ(canonical_object_id("507F1F77BCF86CD799439011"), "507f1f77bcf86cd799439011");
}

}  // namespace
}  // namespace cubeauth::store
