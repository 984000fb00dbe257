// The shared SQL store: PostgreSQL through libpq, a pool of connections with
// prepared statements, used by worker threads of its own.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "store/user_store.hpp"

namespace cubeauth::store {

struct PostgresOptions {
  /// postgres://user:password@host:port/database?... or a libpq key=value string.
  std::string url;
  /// Pooled connections, and as many worker threads.
  std::size_t connections = 4;
  /// Used unless the URL sets connect_timeout itself.
  std::chrono::seconds connect_timeout{5};
};

/// Checks the URL and makes the store. An unreachable server is no error here:
/// it is logged once, health() reports kUnavailable and every call tries to
/// connect again (migrations are applied on the first successful connection).
/// The error text is for a URL libpq cannot parse.
Result<std::unique_ptr<UserStore>, std::string> open_postgres_store(const PostgresOptions& options);

}  // namespace cubeauth::store
