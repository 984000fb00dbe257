// Which store to open, from the configuration (CONTRACT section 1): DATABASE_URL,
// else MONGODB_URL or MONGO_URI, else an SQLite file at ./data/cubeauth.db.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace cubeauth::store {

struct StoreConfig {
  /// DATABASE_URL: sqlite:///path (or sqlite:relative/path), postgres://...,
  /// postgresql://..., mongodb://... or mongodb+srv://...
  std::string database_url;
  /// MONGO_URI (the old README's name) and MONGODB_URL (the old code's).
  std::string mongo_uri;
  std::string mongodb_url;
  /// The SQLite file when none of the above is set; its folders are created.
  std::filesystem::path default_sqlite_path = "./data/cubeauth.db";
  /// Worker threads of the store, and at most as many database connections.
  std::size_t threads = 4;
};

enum class StoreKind { kSqlite, kPostgres, kMongo };

/// "sqlite", "postgres", "mongodb".
std::string_view to_string(StoreKind kind);

struct StoreLocation {
  StoreKind kind = StoreKind::kSqlite;
  /// The connection string; for SQLite, the file's path.
  std::string url;
  /// Where it came from: "DATABASE_URL", "MONGODB_URL", "MONGO_URI" or "default".
  std::string source;
};

/// Picks the store. Precedence: DATABASE_URL, then MONGODB_URL (what the old
/// server read), then MONGO_URI, then the default SQLite file. Empty values count
/// as unset. The error text names the variable and what is wrong with it.
Result<StoreLocation, std::string> locate_store(const StoreConfig& config);

/// The URL with any password replaced by "***", for log lines.
std::string redact_url(std::string_view url);

}  // namespace cubeauth::store
