#include "auth/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace cubeauth::auth {

RateLimiter::RateLimiter(RateLimit limit, std::size_t max_keys) : limit_(limit), max_keys_(max_keys) {}

double RateLimiter::refilled(const Bucket& bucket, Clock::time_point now) const {
  const double minutes = std::chrono::duration<double, std::ratio<60>>(now - bucket.updated).count();
  return std::min(limit_.burst, bucket.tokens + std::max(0.0, minutes) * limit_.per_minute);
}

std::chrono::seconds RateLimiter::wait_for_token(double tokens) const {
  if (limit_.per_minute <= 0) {
    return std::chrono::hours(24);  // never refills: say "much later"
  }
  const double seconds = (1.0 - tokens) * 60.0 / limit_.per_minute;
  return std::chrono::seconds(std::max<long long>(1, static_cast<long long>(std::ceil(seconds))));
}

void RateLimiter::make_room(Clock::time_point now) {
  // A full sweep costs one pass over the keys: at most once a second, so that a flood
  // of new keys cannot make every request pay for it.
  if (now - last_sweep_ < std::chrono::seconds(1)) {
    return;
  }
  last_sweep_ = now;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = refilled(it->second, now) >= limit_.burst ? buckets_.erase(it) : std::next(it);
  }
}

std::optional<std::chrono::seconds> RateLimiter::spend(std::string_view key, Clock::time_point now, bool take) {
  if (!limit_.enabled()) {
    return std::nullopt;
  }
  std::lock_guard lock(mutex_);
  auto found = buckets_.find(std::string(key));
  if (found == buckets_.end()) {
    if (!take) {
      return std::nullopt;
    }
    if (buckets_.size() >= max_keys_) {
      make_room(now);
      if (buckets_.size() >= max_keys_) {
        // Every tracked key is busy (a flood of addresses): forget one rather than lock
        // every new client out; the forgotten key merely starts afresh.
        buckets_.erase(buckets_.begin());
      }
    }
    buckets_.emplace(std::string(key), Bucket{limit_.burst - 1, now});
    return std::nullopt;
  }
  Bucket& bucket = found->second;
  const double tokens = refilled(bucket, now);
  if (tokens < 1.0) {
    return wait_for_token(tokens);
  }
  if (take) {
    bucket.tokens = tokens - 1.0;
    bucket.updated = now;
  }
  return std::nullopt;
}

std::optional<std::chrono::seconds> RateLimiter::take(std::string_view key, Clock::time_point now) {
  return spend(key, now, true);
}

std::optional<std::chrono::seconds> RateLimiter::check(std::string_view key, Clock::time_point now) {
  return spend(key, now, false);
}

std::size_t RateLimiter::tracked_keys() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace cubeauth::auth
