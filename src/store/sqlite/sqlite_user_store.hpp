// The embedded default store: one SQLite file in WAL mode, used by a few worker
// threads with a connection each.
#pragma once

#include "common/result.hpp"
#include "store/user_store.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

namespace cubeauth::store {

struct SqliteOptions {
  /// The database file; its folder is created when missing.
  std::filesystem::path path = "./data/cubeauth.db";
  /// Worker threads, and at most as many connections.
  std::size_t threads = 4;
  /// How long a statement waits for another connection's write lock.
  std::chrono::milliseconds busy_timeout{5000};
};

/// Opens (creating when needed) the file and applies pending migrations; an
/// error text when the file cannot be opened or migrated.
Result<std::unique_ptr<UserStore>, std::string> open_sqlite_store(const SqliteOptions& options);

}  // namespace cubeauth::store
