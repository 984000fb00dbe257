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
    // Issue 9. Old rows get no roles, not disabled, no password change. Roles are
    // comma-separated role names (store/roles.hpp). A refresh token belongs to a
    // family (one login); revoking the family row revokes all its tokens, present
    // and future. Both go with their user (ON DELETE CASCADE; foreign_keys is on
    // for every connection).
    Migration{2, "account lifecycle",
              "ALTER TABLE users ADD COLUMN roles TEXT NOT NULL DEFAULT '';"
              "ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;"
              "ALTER TABLE users ADD COLUMN password_changed_at INTEGER;"
              "CREATE TABLE refresh_families ("
              "  family_id TEXT PRIMARY KEY NOT NULL,"
              "  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
              "  revoked INTEGER NOT NULL DEFAULT 0,"
              "  created_at INTEGER NOT NULL"
              ");"
              "CREATE INDEX refresh_families_user ON refresh_families (user_id);"
              "CREATE TABLE refresh_tokens ("
              "  token_hash TEXT PRIMARY KEY NOT NULL,"
              "  family_id TEXT NOT NULL REFERENCES refresh_families (family_id)"
              "    ON DELETE CASCADE,"
              "  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
              "  issued_at INTEGER NOT NULL,"
              "  expires_at INTEGER NOT NULL,"
              "  used_at INTEGER"
              ");"
              "CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);"
              "CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);"},
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace cubeauth::store::sqlite
