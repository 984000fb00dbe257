#include "store/postgres/migrations.hpp"

#include <array>

namespace cubeauth::store::postgres {
namespace {

// Emails are unique ignoring case: the index is on lower(email), which is what
// find_by_email queries.
constexpr std::array kMigrations = {
    Migration{1, "create users",
              "CREATE TABLE users ("
              "  id text PRIMARY KEY,"
              "  email text NOT NULL,"
              "  first_name text NOT NULL,"
              "  last_name text NOT NULL,"
              "  password_hash text NOT NULL,"
              "  connectycube_id bigint,"
              "  created_at timestamptz NOT NULL,"
              "  updated_at timestamptz NOT NULL"
              ");"
              "CREATE UNIQUE INDEX users_email_lower ON users (lower(email));"},
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace cubeauth::store::postgres
