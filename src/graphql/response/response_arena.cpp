#include "graphql/response/response_arena.hpp"

#include <boost/json/memory_resource.hpp>
#include <boost/json/storage_ptr.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace cubeauth::graphql {
namespace json = boost::json;
namespace {

// Blocks are sized in powers of two from 4 KiB to 4 MiB, plus kSlack for the arena's own block
// header (it asks for a power of two plus that); each thread keeps at most a few of each size
// (kPerClass), up to kCachedBytes in all. Larger requests go to malloc directly.
constexpr std::size_t kMinShift = 12;
constexpr std::size_t kMaxShift = 22;
constexpr std::size_t kClasses = kMaxShift - kMinShift + 1;
constexpr std::size_t kPerClass = 4;
constexpr std::size_t kCachedBytes = std::size_t{2} << 20;  // per thread, kept after use
// A header before each block records its class: monotonic_resource gives back blocks with a
// size other than the one it asked for (its header is not counted), so the size is not used.
constexpr std::size_t kHeader = alignof(std::max_align_t);
constexpr std::size_t kSlack = 64;

std::size_t class_of(std::size_t bytes) {
  const std::size_t payload = bytes > kSlack ? bytes - kSlack : 1;
  const std::size_t shift = std::bit_width(payload - 1);
  return shift < kMinShift ? 0 : shift - kMinShift;
}
std::size_t class_bytes(std::size_t index) { return (std::size_t{1} << (index + kMinShift)) + kSlack; }

// Set once the thread's cache is destroyed (thread exit): arenas freed later (say, a Response
// held by a static) then go straight to operator delete. Trivially destructible, so it stays
// readable after the cache is gone.
thread_local bool cache_gone = false;

struct ThreadCache {
  std::array<std::vector<void*>, kClasses> free;
  std::size_t bytes = 0;
  ThreadCache() = default;
  ThreadCache(const ThreadCache&) = delete;
  ThreadCache& operator=(const ThreadCache&) = delete;
  ~ThreadCache() {
    cache_gone = true;
    for (auto& blocks : free) {
      for (void* block : blocks) {
        ::operator delete(block);
      }
    }
  }
};

ThreadCache& thread_cache() {
  thread_local ThreadCache cache;
  return cache;
}

class BlockRecycler final : public json::memory_resource {
 private:
  void* do_allocate(std::size_t bytes, std::size_t /*align*/) override {
    std::size_t index = class_of(bytes);
    std::byte* block = nullptr;
    if (index < kClasses && !cache_gone) {
      ThreadCache& cache = thread_cache();
      auto& blocks = cache.free[index];
      if (!blocks.empty()) {
        block = static_cast<std::byte*>(blocks.back());
        blocks.pop_back();
        cache.bytes -= class_bytes(index);
      } else {
        block = static_cast<std::byte*>(::operator new(kHeader + class_bytes(index)));
      }
    } else {
      index = kClasses;  // not of a class's size: never cached
      block = static_cast<std::byte*>(::operator new(kHeader + bytes));
    }
    *reinterpret_cast<std::size_t*>(block) = index;
    return block + kHeader;
  }

  void do_deallocate(void* pointer, std::size_t /*bytes*/, std::size_t /*align*/) override {
    std::byte* block = static_cast<std::byte*>(pointer) - kHeader;
    const std::size_t index = *reinterpret_cast<const std::size_t*>(block);
    if (index < kClasses && !cache_gone) {
      ThreadCache& cache = thread_cache();
      auto& blocks = cache.free[index];
      if (blocks.size() < kPerClass && cache.bytes + class_bytes(index) <= kCachedBytes) {
        blocks.push_back(block);
        cache.bytes += class_bytes(index);
        return;
      }
    }
    ::operator delete(block);
  }

  bool do_is_equal(const json::memory_resource& other) const noexcept override {
    return this == &other;
  }
};

json::storage_ptr recycler() {
  // Never destroyed: arenas may be freed during static destruction.
  static BlockRecycler* const instance = new BlockRecycler;
  return json::storage_ptr(instance);
}

}  // namespace

std::shared_ptr<json::monotonic_resource> make_response_arena() {
  return std::make_shared<json::monotonic_resource>(std::size_t{1} << kMinShift, recycler());
}

}  // namespace cubeauth::graphql
