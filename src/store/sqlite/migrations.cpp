#include "store/sqlite/migrations.hpp"

#include <array>

namespace cubeauth::store::sqlite {
namespace {

// Timestamps are milliseconds since the epoch. Emails are unique ignoring ASCII
// case: the index is on lower(email), which is what find_by_email queries.
constexpr std::array kMigrations = {
    Migration{1, "create users",
              "CREATE TABLE users ("
              "  id TEXT PRIMARY KEY NOT NULL,"
              "  email TEXT NOT NULL,"
              "  first_name TEXT NOT NULL,"
              "  last_name TEXT NOT NULL,"
              "  password_hash TEXT NOT NULL,"
              "  connectycube_id INTEGER,"
              "  created_at INTEGER NOT NULL,"
              "  updated_at INTEGER NOT NULL"
              ");"
              "CREATE UNIQUE INDEX users_email_lower ON users (lower(email));"},
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace cubeauth::store::sqlite
