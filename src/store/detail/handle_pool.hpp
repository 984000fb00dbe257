// Idle database connections kept for reuse by the store's worker threads. A
// worker takes one (or opens one when none is idle) and gives it back after a
// call; a connection that failed is dropped instead of returned.
#pragma once

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace cubeauth::store::detail {

template <class Handle>
class HandlePool {
 public:
  /// An idle handle, or null when the caller must open a new one.
  std::unique_ptr<Handle> take() {
    std::lock_guard lock(mutex_);
    if (idle_.empty()) {
      return nullptr;
    }
    auto handle = std::move(idle_.back());
    idle_.pop_back();
    return handle;
  }

  void give_back(std::unique_ptr<Handle> handle) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(handle));
  }

  /// Drops every idle handle: after a lost connection they are likely dead too.
  void clear() {
    std::vector<std::unique_ptr<Handle>> dropped;
    {
      std::lock_guard lock(mutex_);
      dropped.swap(idle_);
    }
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<Handle>> idle_;
};

}  // namespace cubeauth::store::detail
