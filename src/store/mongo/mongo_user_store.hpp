// The MongoDB store: the old server's `users` collection, read and written
// exactly as it did (CONTRACT section 5), through libmongoc's client pool.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "store/user_store.hpp"

namespace cubeauth::store {

struct MongoOptions {
  /// mongodb://... or mongodb+srv://...; the database is the URI's (default "test",
  /// as Mongoose's).
  std::string uri;
  /// Worker threads making driver calls; the pool holds as many clients.
  std::size_t threads = 4;
  /// Used unless the URI sets serverSelectionTimeoutMS: how long a call waits
  /// for a reachable server before failing with kUnavailable.
  std::chrono::milliseconds server_selection_timeout{5000};
};

/// Checks the URI and makes the store, then tries the server once (ping and
/// createIndexes on `users`, email, unique). A server that cannot be reached is
/// logged once and tried again by later calls; health() reports it. The error
/// text is for a URI the driver refuses.
Result<std::unique_ptr<UserStore>, std::string> open_mongo_store(const MongoOptions& options);

}  // namespace cubeauth::store
