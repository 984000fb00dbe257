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
    // Issue 9. Old rows get no roles, not disabled, no password change. A refresh
    // token belongs to a family (one login); rotations lock the family row, and
    // revoking it revokes its tokens, present and future. Both go with their user.
    Migration{2, "account lifecycle",
              "ALTER TABLE users"
              "  ADD COLUMN roles text[] NOT NULL DEFAULT '{}',"
              "  ADD COLUMN disabled boolean NOT NULL DEFAULT false,"
              "  ADD COLUMN password_changed_at timestamptz;"
              "CREATE TABLE refresh_families ("
              "  family_id text PRIMARY KEY,"
              "  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
              "  revoked boolean NOT NULL DEFAULT false,"
              "  created_at timestamptz NOT NULL"
              ");"
              "CREATE INDEX refresh_families_user ON refresh_families (user_id);"
              "CREATE TABLE refresh_tokens ("
              "  token_hash text PRIMARY KEY,"
              "  family_id text NOT NULL REFERENCES refresh_families (family_id)"
              "    ON DELETE CASCADE,"
              "  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
              "  issued_at timestamptz NOT NULL,"
              "  expires_at timestamptz NOT NULL,"
              "  used_at timestamptz"
              ");"
              "CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);"
              "CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);"},
    // Issue 10. One row per pair, in canonical order (user_low < user_high) under a
    // unique constraint, so racing requests from both sides meet on one row. The
    // ids compare bytewise (COLLATE "C"), as ObjectId hex does in every store. Rows
    // go with either user. The two (user, status, id) indexes serve
    // list_relationships from either side in id order; the partial one is the
    // dialog retrier's work list.
    Migration{3, "relationships",
              "CREATE TABLE relationships ("
              "  id text COLLATE \"C\" PRIMARY KEY,"
              "  user_low text COLLATE \"C\" NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
              "  user_high text COLLATE \"C\" NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
              "  status text NOT NULL CHECK (status IN ('pending', 'friends', 'blocked')),"
              "  acted_by text COLLATE \"C\" NOT NULL,"
              "  dialog_id text,"
              "  version bigint NOT NULL,"
              "  created_at timestamptz NOT NULL,"
              "  updated_at timestamptz NOT NULL,"
              "  CONSTRAINT relationships_pair UNIQUE (user_low, user_high),"
              "  CONSTRAINT relationships_order CHECK (user_low < user_high),"
              "  CONSTRAINT relationships_actor CHECK (acted_by IN (user_low, user_high))"
              ");"
              "CREATE INDEX relationships_low ON relationships (user_low, status, id);"
              "CREATE INDEX relationships_high ON relationships (user_high, status, id);"
              "CREATE INDEX relationships_without_dialog ON relationships (updated_at, id)"
              "  WHERE status = 'friends' AND dialog_id IS NULL;"},
    // Each side's block on its own, so a mutual block is two blocks and one side's
    // unblock leaves the other's (migration 3 kept only the first blocker, acted_by).
    // Existing blocked rows become their blocker's flag.
    Migration{4, "one block per side",
              "ALTER TABLE relationships"
              "  ADD COLUMN blocked_by_low boolean NOT NULL DEFAULT false,"
              "  ADD COLUMN blocked_by_high boolean NOT NULL DEFAULT false;"
              "UPDATE relationships SET"
              "  blocked_by_low = (acted_by = user_low),"
              "  blocked_by_high = (acted_by = user_high)"
              "  WHERE status = 'blocked';"
              "ALTER TABLE relationships ADD CONSTRAINT relationships_blocks"
              "  CHECK ((status = 'blocked') = (blocked_by_low OR blocked_by_high));"},
    // Expired refresh tokens are purged by expiry time (UserStore::purge_refresh_tokens).
    Migration{5, "refresh token expiry index",
              "CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);"},
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace cubeauth::store::postgres
