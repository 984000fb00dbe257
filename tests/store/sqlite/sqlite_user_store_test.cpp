#include "store/sqlite/sqlite_user_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <thread>
#include <vector>

#include "store/run_sync.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/temp_dir.hpp"

namespace cubeauth::store::testing {
namespace {

/// The first column of every row `sql` returns, read with a plain connection.
std::vector<std::string> query_column(const std::filesystem::path& file, const char* sql) {
  sqlite3* db = nullptr;
  std::vector<std::string> values;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sqlite3_errmsg(db);
    sqlite3_close(db);
    return values;
  }
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sqlite3_errmsg(db);
  } else {
    while (sqlite3_step(statement) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(statement, 0);
      values.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "NULL");
    }
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return values;
}

void exec(const std::filesystem::path& file, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << error;
  sqlite3_free(error);
  sqlite3_close(db);
}

TEST(SqliteUserStore, PutsTheFileInWalModeAndRecordsItsMigrationsOnce) {
  TempDir dir;
  SqliteOptions options;
  options.path = dir.path() / "users.db";
  for (int open = 0; open < 2; ++open) {
    auto store = open_sqlite_store(options);
    ASSERT_TRUE(store.has_value()) << store.error();
    ASSERT_TRUE(run_sync((*store)->health()).has_value());
  }
  EXPECT_EQ(query_column(options.path, "PRAGMA journal_mode"), std::vector<std::string>{"wal"});
  EXPECT_EQ(query_column(options.path, "SELECT version || ' ' || name FROM schema_migrations"),
            (std::vector<std::string>{"1 create users", "2 account lifecycle", "3 relationships",
                                      "4 one block per side",
                                      "5 refresh token expiry index"}));
  EXPECT_EQ(
      query_column(options.path, "SELECT sql FROM sqlite_master WHERE name = 'users_email_lower'"),
      std::vector<std::string>{"CREATE UNIQUE INDEX users_email_lower ON users (lower(email))"});
}

TEST(SqliteUserStore, FindsByEmailThroughTheLowerCaseIndex) {
  TempDir dir;
  SqliteOptions options;
  options.path = dir.path() / "users.db";
  auto store = open_sqlite_store(options);
  ASSERT_TRUE(store.has_value()) << store.error();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(options.path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN SELECT id FROM users WHERE lower(email) = ?",
                               -1, &statement, nullptr),
            SQLITE_OK);
  std::string details;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    details += reinterpret_cast<const char*>(sqlite3_column_text(statement, 3));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  EXPECT_NE(details.find("users_email_lower"), std::string::npos) << details;
}

/// EXPLAIN QUERY PLAN's details of `sql`, one line each.
std::string plan_of(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string details;
  EXPECT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  const std::string explain = "EXPLAIN QUERY PLAN " + sql;
  EXPECT_EQ(sqlite3_prepare_v2(db, explain.c_str(), -1, &statement, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  while (statement != nullptr && sqlite3_step(statement) == SQLITE_ROW) {
    details += reinterpret_cast<const char*>(sqlite3_column_text(statement, 3));
    details += '\n';
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return details;
}

TEST(SqliteUserStore, ListsRelationshipsFromEitherSideThroughTheirIndexesWithoutSorting) {
  TempDir dir;
  SqliteOptions options;
  options.path = dir.path() / "users.db";
  auto store = open_sqlite_store(options);
  ASSERT_TRUE(store.has_value()) << store.error();
  // The shape of the store's list_relationships: one arm per side of the pair.
  auto side = [](const std::string& side) {
    return "SELECT id, status, acted_by FROM relationships WHERE user_" + side +
           " = ?1 AND status = ?3 AND id > ?2 AND (?4 = 0 OR (?4 = 1 AND acted_by <> ?1)"
           " OR (?4 = 2 AND acted_by = ?1) OR (?4 = 3 AND blocked_by_" +
           side + " = 1))";
  };
  const std::string list = side("low") + " UNION ALL " + side("high") + " ORDER BY id LIMIT ?5";
  const std::string listed = plan_of(options.path, list);
  EXPECT_NE(listed.find("MERGE (UNION ALL)"), std::string::npos) << listed;
  EXPECT_NE(listed.find("USING INDEX relationships_low (user_low=? AND status=? AND id>?)"),
            std::string::npos)
      << listed;
  EXPECT_NE(listed.find("USING INDEX relationships_high (user_high=? AND status=? AND id>?)"),
            std::string::npos)
      << listed;
  EXPECT_EQ(listed.find("TEMP B-TREE"), std::string::npos) << listed;

  const std::string retry =
      plan_of(options.path,
              "SELECT id FROM relationships WHERE status = 'friends' AND dialog_id IS NULL"
              " ORDER BY updated_at, id LIMIT 10");
  EXPECT_NE(retry.find("relationships_without_dialog"), std::string::npos) << retry;
  EXPECT_EQ(retry.find("TEMP B-TREE"), std::string::npos) << retry;
}

TEST(SqliteUserStore, UpgradesADatabaseOfSchemaVersionOneAndReadsOldRowsWithDefaults) {
  TempDir dir;
  SqliteOptions options;
  options.path = dir.path() / "users.db";
  // The file as the first release left it: migration 1 and one user.
  exec(options.path,
       "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY NOT NULL,"
       "  name TEXT NOT NULL, applied_at INTEGER NOT NULL);"
       "INSERT INTO schema_migrations VALUES (1, 'create users', 0);"
       "CREATE TABLE users (id TEXT PRIMARY KEY NOT NULL, email TEXT NOT NULL,"
       "  first_name TEXT NOT NULL, last_name TEXT NOT NULL, password_hash TEXT NOT NULL,"
       "  connectycube_id INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
       "CREATE UNIQUE INDEX users_email_lower ON users (lower(email));"
       "INSERT INTO users VALUES ('5f5e1000aaaaaaaaaaaaaaaa', 'old@example.com', 'Old', 'Timer',"
       "  '$2b$10$old', 42, 1600000000000, 1600000001000);");

  auto store = open_sqlite_store(options);
  ASSERT_TRUE(store.has_value()) << store.error();
  auto found = run_sync((*store)->find_by_id("5f5e1000aaaaaaaaaaaaaaaa"));
  ASSERT_TRUE(found.has_value() && found->has_value());
  const User& old = **found;
  EXPECT_EQ(old.email, "old@example.com");
  EXPECT_EQ(old.connectycube_id, 42);
  EXPECT_EQ(old.updated_at,
            std::chrono::system_clock::time_point(std::chrono::milliseconds(1600000001000)));
  EXPECT_TRUE(old.roles.empty());
  EXPECT_FALSE(old.disabled);
  EXPECT_FALSE(old.password_changed_at.has_value());

  // The old user can now log in with refresh tokens and be changed.
  const auto now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  NewRefreshToken token{"hash-1", "5f5e1000bbbbbbbbbbbbbbbb", old.id, now,
                        now + std::chrono::hours(1)};
  ASSERT_TRUE(run_sync((*store)->create_refresh_token(token)).has_value());
  std::vector<std::string> roles = {"admin"};
  ASSERT_TRUE(run_sync((*store)->set_roles(old.id, roles)).has_value());
  EXPECT_EQ(query_column(options.path, "SELECT version FROM schema_migrations ORDER BY version"),
            (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  EXPECT_EQ(query_column(options.path, "SELECT roles FROM users"),
            std::vector<std::string>{"admin"});
  // And befriend a new one (migration 3).
  NewUser fresh{"new@example.com", "New", "Comer", "$2b$10$new"};
  auto created = run_sync((*store)->create_user(fresh));
  ASSERT_TRUE(created.has_value());
  NewRelationship request{created->id, old.id, RelationshipStatus::kPending, created->id};
  auto related = run_sync((*store)->create_relationship(request));
  ASSERT_TRUE(related.has_value()) << to_string(related.error());
  EXPECT_EQ(related->user_low, old.id);
}

TEST(SqliteUserStore, MigrationFourMakesEachStoredBlockItsBlockersOwn) {
  TempDir dir;
  SqliteOptions options;
  options.path = dir.path() / "users.db";
  // The file as migration 3 left it: a block by the low user, one by the high user,
  // and a request.
  std::string schema =
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY NOT NULL,"
      "  name TEXT NOT NULL, applied_at INTEGER NOT NULL);";
  for (const auto& migration : sqlite::migrations()) {
    if (migration.version <= 3) {
      schema += std::string(migration.sql) + "INSERT INTO schema_migrations VALUES (" +
                std::to_string(migration.version) + ", '" + std::string(migration.name) + "', 0);";
    }
  }
  exec(options.path, schema.c_str());
  exec(options.path,
       "INSERT INTO users (id, email, first_name, last_name, password_hash, created_at,"
       "  updated_at) VALUES"
       "  ('5f5e1000aaaaaaaaaaaaaaa1', 'a@example.com', 'A', 'A', 'h', 0, 0),"
       "  ('5f5e1000aaaaaaaaaaaaaaa2', 'b@example.com', 'B', 'B', 'h', 0, 0),"
       "  ('5f5e1000aaaaaaaaaaaaaaa3', 'c@example.com', 'C', 'C', 'h', 0, 0);"
       "INSERT INTO relationships (id, user_low, user_high, status, acted_by, version,"
       "  created_at, updated_at) VALUES"
       "  ('5f5e1000cccccccccccccc12', '5f5e1000aaaaaaaaaaaaaaa1', '5f5e1000aaaaaaaaaaaaaaa2',"
       "   'blocked', '5f5e1000aaaaaaaaaaaaaaa1', 2, 0, 0),"
       "  ('5f5e1000cccccccccccccc13', '5f5e1000aaaaaaaaaaaaaaa1', '5f5e1000aaaaaaaaaaaaaaa3',"
       "   'blocked', '5f5e1000aaaaaaaaaaaaaaa3', 1, 0, 0),"
       "  ('5f5e1000cccccccccccccc23', '5f5e1000aaaaaaaaaaaaaaa2', '5f5e1000aaaaaaaaaaaaaaa3',"
       "   'pending', '5f5e1000aaaaaaaaaaaaaaa2', 1, 0, 0);");

  auto store = open_sqlite_store(options);
  ASSERT_TRUE(store.has_value()) << store.error();
  auto low_blocked = run_sync((*store)->find_relationship("5f5e1000aaaaaaaaaaaaaaa1", "5f5e1000aaaaaaaaaaaaaaa2"));
  ASSERT_TRUE(low_blocked.has_value() && low_blocked->has_value());
  EXPECT_TRUE((*low_blocked)->blocked_by_low);
  EXPECT_FALSE((*low_blocked)->blocked_by_high);
  EXPECT_EQ((*low_blocked)->version, 2);
  auto high_blocked = run_sync((*store)->find_relationship("5f5e1000aaaaaaaaaaaaaaa1", "5f5e1000aaaaaaaaaaaaaaa3"));
  ASSERT_TRUE(high_blocked.has_value() && high_blocked->has_value());
  EXPECT_FALSE((*high_blocked)->blocked_by_low);
  EXPECT_TRUE((*high_blocked)->blocked_by_high);
  auto request = run_sync((*store)->find_relationship("5f5e1000aaaaaaaaaaaaaaa2", "5f5e1000aaaaaaaaaaaaaaa3"));
  ASSERT_TRUE(request.has_value() && request->has_value());
  EXPECT_FALSE((*request)->blocked_by_low);
  EXPECT_FALSE((*request)->blocked_by_high);
  // Each blocker lists their own block; the blocked users list none.
  auto blocked_by = [&](const char* user) {
    RelationshipQuery query{user, RelationshipView::kBlocked, std::nullopt, 10};
    auto page = run_sync((*store)->list_relationships(query));
    std::vector<std::string> ids;
    for (const auto& relationship : page->items) {
      ids.push_back(relationship.id);
    }
    return ids;
  };
  EXPECT_EQ(blocked_by("5f5e1000aaaaaaaaaaaaaaa1"), std::vector<std::string>{"5f5e1000cccccccccccccc12"});
  EXPECT_EQ(blocked_by("5f5e1000aaaaaaaaaaaaaaa3"), std::vector<std::string>{"5f5e1000cccccccccccccc13"});
  EXPECT_TRUE(blocked_by("5f5e1000aaaaaaaaaaaaaaa2").empty());
}

TEST(SqliteUserStore, RefusesADatabaseMigratedByANewerCubeauth) {
  TempDir dir;
  SqliteOptions options;
  options.path = dir.path() / "users.db";
  {
    auto store = open_sqlite_store(options);
    ASSERT_TRUE(store.has_value()) << store.error();
  }
  exec(options.path, "INSERT INTO schema_migrations VALUES (99, 'from the future', 0)");
  auto store = open_sqlite_store(options);
  ASSERT_FALSE(store.has_value());
  EXPECT_NE(store.error().find("schema version 99 is newer"), std::string::npos) << store.error();
}

TEST(SqliteUserStore, WaitsForAnotherWritersLockInsteadOfFailing) {
  TempDir dir;
  SqliteOptions options;
  options.path = dir.path() / "users.db";
  options.busy_timeout = std::chrono::milliseconds(5000);
  auto store = open_sqlite_store(options);
  ASSERT_TRUE(store.has_value()) << store.error();

  // Another process holds the write lock for a moment.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(options.path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::thread release([other] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  });
  auto created = run_sync((*store)->create_user({"a@b.io", "A", "B", "$2b$10$x"}));
  release.join();
  sqlite3_close(other);
  EXPECT_TRUE(created.has_value()) << to_string(created.error());
}

}  // namespace
}  // namespace cubeauth::store::testing
