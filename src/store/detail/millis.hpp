// Timestamps at the millisecond precision every store keeps.
#pragma once

#include <chrono>
#include <cstdint>

namespace cubeauth::store::detail {

inline std::int64_t to_millis(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

inline std::chrono::system_clock::time_point from_millis(std::int64_t ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

/// now, truncated to milliseconds so that what create_user returns equals what
/// a later find reads back.
inline std::chrono::system_clock::time_point now_millis() {
  return from_millis(to_millis(std::chrono::system_clock::now()));
}

}  // namespace cubeauth::store::detail
