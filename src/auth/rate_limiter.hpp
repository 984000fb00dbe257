// Token buckets by key (a client address, an account's email): each key may spend
// `burst` tokens at once and gets `per_minute` back each minute. Thread-safe, with a
// bounded number of keys, and a clock passed in so tests need no sleeps.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cubeauth::auth {

struct RateLimit {
  double burst = 10;       ///< tokens a fresh key holds; 0 turns the limit off
  double per_minute = 10;  ///< tokens given back per minute
  bool enabled() const { return burst > 0; }
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  /// At most `max_keys` keys are tracked; above that, keys whose bucket has refilled
  /// are forgotten first (they hold nothing worth keeping), then any one.
  explicit RateLimiter(RateLimit limit, std::size_t max_keys = 100'000);

  /// Takes one token of `key`'s bucket. nullopt when one was there; otherwise how long
  /// until one will be (the Retry-After), and nothing is taken.
  std::optional<std::chrono::seconds> take(std::string_view key, Clock::time_point now);

  /// Whether `key` has a token now, without taking it.
  std::optional<std::chrono::seconds> check(std::string_view key, Clock::time_point now);

  std::size_t tracked_keys() const;

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  double refilled(const Bucket& bucket, Clock::time_point now) const;
  std::chrono::seconds wait_for_token(double tokens) const;
  void make_room(Clock::time_point now);
  std::optional<std::chrono::seconds> spend(std::string_view key, Clock::time_point now, bool take);

  RateLimit limit_;
  std::size_t max_keys_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  Clock::time_point last_sweep_{};
};

}  // namespace cubeauth::auth
