#include "auth/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace cubeauth::auth {
namespace {

using namespace std::chrono_literals;
const RateLimiter::Clock::time_point kStart{1000s};

TEST(RateLimiter, AllowsTheBurstThenSaysHowLongToWait) {
  RateLimiter limiter({3, 6});  // 3 at once, one more every 10 s
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(limiter.take("10.0.0.1", kStart)) << i;
  }
  EXPECT_EQ(limiter.take("10.0.0.1", kStart), 10s);
  EXPECT_EQ(limiter.take("10.0.0.1", kStart + 4s), 6s);
  EXPECT_FALSE(limiter.take("10.0.0.1", kStart + 10s));
  EXPECT_EQ(limiter.take("10.0.0.1", kStart + 10s), 10s);
  // Other keys have their own buckets.
  EXPECT_FALSE(limiter.take("10.0.0.2", kStart));
}

TEST(RateLimiter, RefillsNoHigherThanTheBurst) {
  RateLimiter limiter({2, 60});
  EXPECT_FALSE(limiter.take("k", kStart));
  const auto later = kStart + 1h;
  EXPECT_FALSE(limiter.take("k", later));
  EXPECT_FALSE(limiter.take("k", later));
  EXPECT_EQ(limiter.take("k", later), 1s);
}

TEST(RateLimiter, CheckLooksWithoutTaking) {
  RateLimiter limiter({1, 1});
  EXPECT_FALSE(limiter.check("k", kStart));
  EXPECT_FALSE(limiter.check("k", kStart));
  EXPECT_FALSE(limiter.take("k", kStart));
  EXPECT_EQ(limiter.check("k", kStart), 60s);
}

TEST(RateLimiter, IsOffWithABurstOfZero) {
  RateLimiter limiter({0, 0});
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(limiter.take("k", kStart));
  }
  EXPECT_EQ(limiter.tracked_keys(), 0u);
}

TEST(RateLimiter, KeepsAtMostMaxKeysForgettingRefilledOnesFirst) {
  RateLimiter limiter({2, 60}, 3);
  for (const char* key : {"a", "b", "c"}) {
    EXPECT_FALSE(limiter.take(key, kStart));
  }
  // All three are still spending: a fourth key still gets in (one is forgotten), so a
  // flood of addresses cannot lock new clients out.
  EXPECT_FALSE(limiter.take("d", kStart));
  EXPECT_EQ(limiter.tracked_keys(), 3u);
  // A minute later they have refilled, so they are the ones forgotten to make room.
  EXPECT_FALSE(limiter.take("e", kStart + 2min));
  EXPECT_LE(limiter.tracked_keys(), 3u);
}

}  // namespace
}  // namespace cubeauth::auth
