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
    // Issue 10. One row per pair, in canonical order (user_low < user_high as
    // lower-case hex) under a unique index, so racing requests from both sides meet
    // on one row. Rows go with either user (ON DELETE CASCADE). The two (user,
    // status, id) indexes serve list_relationships from either side in id order;
    // the partial one is the dialog retrier's work list.
    Migration{3, "relationships",
              "CREATE TABLE relationships ("
              "  id TEXT PRIMARY KEY NOT NULL,"
              "  user_low TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
              "  user_high TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
              "  status TEXT NOT NULL CHECK (status IN ('pending', 'friends', 'blocked')),"
              "  acted_by TEXT NOT NULL,"
              "  dialog_id TEXT,"
              "  version INTEGER NOT NULL,"
              "  created_at INTEGER NOT NULL,"
              "  updated_at INTEGER NOT NULL,"
              "  UNIQUE (user_low, user_high),"
              "  CHECK (user_low < user_high),"
              "  CHECK (acted_by IN (user_low, user_high))"
              ");"
              "CREATE INDEX relationships_low ON relationships (user_low, status, id);"
              "CREATE INDEX relationships_high ON relationships (user_high, status, id);"
              "CREATE INDEX relationships_without_dialog ON relationships (updated_at, id)"
              "  WHERE status = 'friends' AND dialog_id IS NULL;"},
    // Each side's block on its own, so a mutual block is two blocks and one side's
    // unblock leaves the other's (migration 3 kept only the first blocker, acted_by).
    // Existing blocked rows become their blocker's flag.
    Migration{4, "one block per side",
              "ALTER TABLE relationships ADD COLUMN blocked_by_low INTEGER NOT NULL DEFAULT 0;"
              "ALTER TABLE relationships ADD COLUMN blocked_by_high INTEGER NOT NULL DEFAULT 0;"
              "UPDATE relationships SET"
              "  blocked_by_low = (acted_by = user_low),"
              "  blocked_by_high = (acted_by = user_high)"
              "  WHERE status = 'blocked';"},
    // Expired refresh tokens are purged by expiry time (UserStore::purge_refresh_tokens).
    Migration{5, "refresh token expiry index",
              "CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);"},
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace cubeauth::store::sqlite
