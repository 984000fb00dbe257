// The memory of one response (owned by its Response::data): a monotonic arena whose blocks come
// from a small per-thread cache of recently freed blocks instead of straight from malloc. A
// response is built and freed as a whole; without the cache every introspection answer asks malloc
// (and, past its mmap threshold, the kernel) for fresh blocks of 64 KiB and more, and gives
// them back at once, so each response paid for page faults on memory just released.
#pragma once

#include <boost/json/monotonic_resource.hpp>
#include <memory>

namespace cubeauth::graphql {

/// A new arena; its first block is 4 KiB, and it grows as a response needs.
std::shared_ptr<boost::json::monotonic_resource> make_response_arena();

}  // namespace cubeauth::graphql
