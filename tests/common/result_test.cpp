#include "common/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace cubeauth {
namespace {

enum class Failure { kTaken, kGone };

Result<int, Failure> half(int n) {
  if (n % 2 != 0) {
    return unexpected(Failure::kGone);
  }
  return n / 2;
}

TEST(Result, CarriesAValue) {
  const auto result = half(8);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(*result, 4);
  EXPECT_EQ(result.value_or(-1), 4);
}

TEST(Result, CarriesAFailure) {
  const auto result = half(7);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), Failure::kGone);
  EXPECT_EQ(result.value_or(-1), -1);
}

TEST(Result, MovesOnlyValuesOut) {
  Result<std::unique_ptr<std::string>, Failure> result = std::make_unique<std::string>("moved");
  std::unique_ptr<std::string> taken = std::move(result).value();
  ASSERT_NE(taken, nullptr);
  EXPECT_EQ(*taken, "moved");
}

TEST(Result, TransformsOnlySuccess) {
  auto doubled = half(10).transform([](int n) { return std::to_string(n * 2); });
  ASSERT_TRUE(doubled);
  EXPECT_EQ(*doubled, "10");
  auto failed = half(3).transform([](int n) { return std::to_string(n); });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error(), Failure::kGone);
}

TEST(Result, VoidCaseReportsOnlyFailure) {
  Result<void, Failure> ok;
  EXPECT_TRUE(ok.has_value());
  Result<void, std::string> failed = unexpected(std::string("taken"));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error(), "taken");
}

}  // namespace
}  // namespace cubeauth
