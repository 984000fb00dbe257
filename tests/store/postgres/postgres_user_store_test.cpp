#include "store/postgres/postgres_user_store.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "store/contract/stores.hpp"
#include "store/postgres/migrations.hpp"
#include "store/postgres/postgres_env.hpp"
#include "store/run_sync.hpp"

namespace cubeauth::store::testing {
namespace {

/// Runs one query on a plain libpq connection and returns the first column of
/// each row.
std::vector<std::string> query_column(const std::string& url, const char* sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::vector<std::string> values;
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult* result = PQexec(conn, sql);
    if (PQresultStatus(result) == PGRES_TUPLES_OK) {
      for (int row = 0; row < PQntuples(result); ++row) {
        values.emplace_back(PQgetvalue(result, row, 0));
      }
    } else {
      ADD_FAILURE() << PQresultErrorMessage(result);
    }
    PQclear(result);
  } else {
    ADD_FAILURE() << PQerrorMessage(conn);
  }
  PQfinish(conn);
  return values;
}

TEST(PostgresUserStore, ListsRelationshipsFromEitherSideByMergingTwoIndexScans) {
  const std::string url = postgres_url();
  if (url.empty()) {
    GTEST_SKIP() << kNoPostgres;
  }
  auto store = open_postgres_store({url});
  ASSERT_TRUE(store.has_value()) << store.error();
  ASSERT_TRUE(run_sync((*store)->health()).has_value());  // migrated
  // The shape of the store's list_relationships (tiny tables: seqscan off).
  auto side = [](const std::string& column) {
    return "(SELECT id FROM relationships WHERE " + column +
           " = 'aa' AND status = 'friends' AND id > '' ORDER BY id LIMIT 21)";
  };
  const std::string explain = "SET enable_seqscan = off; EXPLAIN " + side("user_low") +
                              " UNION ALL " + side("user_high") + " ORDER BY id LIMIT 21";
  std::string plan;
  for (const auto& line : query_column(url, explain.c_str())) {
    plan += line + "\n";
  }
  EXPECT_NE(plan.find("Merge Append"), std::string::npos) << plan;
  EXPECT_NE(plan.find("using relationships_low"), std::string::npos) << plan;
  EXPECT_NE(plan.find("using relationships_high"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Sort  ("), std::string::npos) << plan;

  std::string retry;
  for (const auto& line :
       query_column(url,
                    "SET enable_seqscan = off; EXPLAIN SELECT id FROM relationships WHERE status ="
                    " 'friends' AND dialog_id IS NULL ORDER BY updated_at, id LIMIT 10")) {
    retry += line + "\n";
  }
  EXPECT_NE(retry.find("relationships_without_dialog"), std::string::npos) << retry;
  EXPECT_EQ(retry.find("Sort  ("), std::string::npos) << retry;
}

/// A loopback port with nothing listening on it.
unsigned short closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
  return acceptor.local_endpoint().port();  // closed when the acceptor goes
}

TEST(PostgresUserStore, RecordsItsMigrationsInTheDatabaseAndAppliesThemOnce) {
  const std::string url = postgres_url();
  if (url.empty()) {
    GTEST_SKIP() << kNoPostgres;
  }
  for (int open = 0; open < 2; ++open) {
    auto store = open_postgres_store({url});
    ASSERT_TRUE(store.has_value()) << store.error();
    auto healthy = run_sync((*store)->health());
    ASSERT_TRUE(healthy.has_value());
  }
  EXPECT_EQ(query_column(url, "SELECT version || ' ' || name FROM schema_migrations"),
            (std::vector<std::string>{"1 create users", "2 account lifecycle", "3 relationships",
                                      "4 one block per side",
                                      "5 refresh token expiry index"}));
  EXPECT_EQ(
      query_column(url, "SELECT indexdef FROM pg_indexes WHERE indexname = 'users_email_lower'"),
      std::vector<std::string>{
          "CREATE UNIQUE INDEX users_email_lower ON public.users USING btree (lower(email))"});
}

/// Runs statements on a plain libpq connection.
void exec(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* result = PQexec(conn, sql.c_str());
  EXPECT_EQ(PQresultStatus(result), PGRES_COMMAND_OK) << PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
}

/// Runs a statement the database must refuse.
void exec_fails(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* result = PQexec(conn, sql.c_str());
  EXPECT_EQ(PQresultStatus(result), PGRES_FATAL_ERROR) << sql;
  PQclear(result);
  PQfinish(conn);
}

/// `url` with its database name replaced.
std::string with_database(const std::string& url, const std::string& name) {
  const auto query = url.find('?');
  const auto slash = url.rfind('/', query);
  return url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

TEST(PostgresUserStore, UpgradesADatabaseOfSchemaVersionOneAndReadsOldRowsWithDefaults) {
  const std::string url = postgres_url();
  if (url.empty()) {
    GTEST_SKIP() << kNoPostgres;
  }
  const std::string name = "cubeauth_upgrade_" + unique_token();
  exec(url, "CREATE DATABASE " + name);
  const std::string old_url = with_database(url, name);
  // The database as the first release left it: migration 1 and one user.
  exec(old_url,
       "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
       "  applied_at timestamptz NOT NULL DEFAULT now());"
       "INSERT INTO schema_migrations (version, name) VALUES (1, 'create users');"
       "CREATE TABLE users (id text PRIMARY KEY, email text NOT NULL, first_name text NOT NULL,"
       "  last_name text NOT NULL, password_hash text NOT NULL, connectycube_id bigint,"
       "  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);"
       "CREATE UNIQUE INDEX users_email_lower ON users (lower(email));"
       "INSERT INTO users VALUES ('5f5e1000aaaaaaaaaaaaaaaa', 'old@example.com', 'Old', 'Timer',"
       "  '$2b$10$old', 42, timestamptz 'epoch' + interval '1600000000 seconds',"
       "  timestamptz 'epoch' + interval '1600000001.5 seconds');");
  {
    auto store = open_postgres_store({old_url});
    ASSERT_TRUE(store.has_value()) << store.error();
    auto found = run_sync((*store)->find_by_id("5f5e1000aaaaaaaaaaaaaaaa"));
    ASSERT_TRUE(found.has_value() && found->has_value());
    const User& old = **found;
    EXPECT_EQ(old.email, "old@example.com");
    EXPECT_EQ(old.connectycube_id, 42);
    EXPECT_EQ(old.updated_at,
              std::chrono::system_clock::time_point(std::chrono::milliseconds(1600000001500)));
    EXPECT_TRUE(old.roles.empty());
    EXPECT_FALSE(old.disabled);
    EXPECT_FALSE(old.password_changed_at.has_value());

    const auto now =
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    NewRefreshToken token{"hash-1", "5f5e1000bbbbbbbbbbbbbbbb", old.id, now,
                          now + std::chrono::hours(1)};
    ASSERT_TRUE(run_sync((*store)->create_refresh_token(token)).has_value());
    std::vector<std::string> roles = {"admin", "support"};
    ASSERT_TRUE(run_sync((*store)->set_roles(old.id, roles)).has_value());
    EXPECT_EQ(query_column(old_url, "SELECT version::text FROM schema_migrations ORDER BY 1"),
              (std::vector<std::string>{"1", "2", "3", "4", "5"}));
    EXPECT_EQ(query_column(old_url, "SELECT roles::text FROM users"),
              std::vector<std::string>{"{admin,support}"});
  }
  exec(url, "DROP DATABASE " + name + " WITH (FORCE)");
}

TEST(PostgresUserStore, MigrationFourMakesEachStoredBlockItsBlockersOwn) {
  const std::string url = postgres_url();
  if (url.empty()) {
    GTEST_SKIP() << kNoPostgres;
  }
  const std::string name = "cubeauth_blocks_" + unique_token();
  exec(url, "CREATE DATABASE " + name);
  const std::string old_url = with_database(url, name);
  // The database as migration 3 left it: a block by the low user, one by the high
  // user, and a request.
  std::string schema =
      "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
      "  applied_at timestamptz NOT NULL DEFAULT now());";
  for (const auto& migration : postgres::migrations()) {
    if (migration.version <= 3) {
      schema += std::string(migration.sql) + "INSERT INTO schema_migrations (version, name) VALUES (" +
                std::to_string(migration.version) + ", '" + std::string(migration.name) + "');";
    }
  }
  exec(old_url, schema);
  exec(old_url,
       "INSERT INTO users (id, email, first_name, last_name, password_hash, created_at,"
       "  updated_at) VALUES"
       "  ('5f5e1000aaaaaaaaaaaaaaa1', 'a@example.com', 'A', 'A', 'h', now(), now()),"
       "  ('5f5e1000aaaaaaaaaaaaaaa2', 'b@example.com', 'B', 'B', 'h', now(), now()),"
       "  ('5f5e1000aaaaaaaaaaaaaaa3', 'c@example.com', 'C', 'C', 'h', now(), now());"
       "INSERT INTO relationships (id, user_low, user_high, status, acted_by, version,"
       "  created_at, updated_at) VALUES"
       "  ('5f5e1000cccccccccccccc12', '5f5e1000aaaaaaaaaaaaaaa1', '5f5e1000aaaaaaaaaaaaaaa2',"
       "   'blocked', '5f5e1000aaaaaaaaaaaaaaa1', 2, now(), now()),"
       "  ('5f5e1000cccccccccccccc13', '5f5e1000aaaaaaaaaaaaaaa1', '5f5e1000aaaaaaaaaaaaaaa3',"
       "   'blocked', '5f5e1000aaaaaaaaaaaaaaa3', 1, now(), now()),"
       "  ('5f5e1000cccccccccccccc23', '5f5e1000aaaaaaaaaaaaaaa2', '5f5e1000aaaaaaaaaaaaaaa3',"
       "   'pending', '5f5e1000aaaaaaaaaaaaaaa2', 1, now(), now());");
  {
    auto store = open_postgres_store({old_url});
    ASSERT_TRUE(store.has_value()) << store.error();
    auto low_blocked =
        run_sync((*store)->find_relationship("5f5e1000aaaaaaaaaaaaaaa1", "5f5e1000aaaaaaaaaaaaaaa2"));
    ASSERT_TRUE(low_blocked.has_value() && low_blocked->has_value());
    EXPECT_TRUE((*low_blocked)->blocked_by_low);
    EXPECT_FALSE((*low_blocked)->blocked_by_high);
    EXPECT_EQ((*low_blocked)->version, 2);
    auto high_blocked =
        run_sync((*store)->find_relationship("5f5e1000aaaaaaaaaaaaaaa1", "5f5e1000aaaaaaaaaaaaaaa3"));
    ASSERT_TRUE(high_blocked.has_value() && high_blocked->has_value());
    EXPECT_FALSE((*high_blocked)->blocked_by_low);
    EXPECT_TRUE((*high_blocked)->blocked_by_high);
    auto request =
        run_sync((*store)->find_relationship("5f5e1000aaaaaaaaaaaaaaa2", "5f5e1000aaaaaaaaaaaaaaa3"));
    ASSERT_TRUE(request.has_value() && request->has_value());
    EXPECT_FALSE((*request)->blocked_by_low);
    EXPECT_FALSE((*request)->blocked_by_high);
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
    // The table refuses a status and blocks that disagree.
    exec_fails(old_url,
               "UPDATE relationships SET blocked_by_low = false WHERE id = '5f5e1000cccccccccccccc12'");
  }
  exec(url, "DROP DATABASE " + name + " WITH (FORCE)");
}

TEST(PostgresUserStore, FindsByEmailThroughTheLowerCaseIndex) {
  const std::string url = postgres_url();
  if (url.empty()) {
    GTEST_SKIP() << kNoPostgres;
  }
  auto store = open_postgres_store({url});
  ASSERT_TRUE(store.has_value()) << store.error();
  ASSERT_TRUE(run_sync((*store)->health()).has_value());
  const auto plan = query_column(
      url,
      "SET enable_seqscan = off; EXPLAIN SELECT id FROM users WHERE lower(email) = lower('a@b.c')");
  ASSERT_FALSE(plan.empty());
  std::string all;
  for (const auto& line : plan) {
    all += line + "\n";
  }
  EXPECT_NE(all.find("users_email_lower"), std::string::npos) << all;
}

TEST(PostgresUserStore, RefusesAConnectionStringLibpqCannotParse) {
  auto store = open_postgres_store({"postgres://[::1/db"});
  ASSERT_FALSE(store.has_value());
  EXPECT_NE(store.error().find("invalid PostgreSQL connection string"), std::string::npos)
      << store.error();
}

TEST(PostgresUserStore, StartsWithAnUnreachableServerAndReportsUnavailable) {
  PostgresOptions options;
  options.url = "postgres://cubeauth@127.0.0.1:" + std::to_string(closed_port()) + "/cubeauth";
  options.connect_timeout = std::chrono::seconds(2);
  auto store = open_postgres_store(options);
  ASSERT_TRUE(store.has_value()) << store.error();

  auto healthy = run_sync((*store)->health());
  ASSERT_FALSE(healthy.has_value());
  EXPECT_EQ(healthy.error(), StoreError::kUnavailable);
  auto created = run_sync((*store)->create_user({"a@b.c", "A", "B", "$2b$10$x"}));
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error(), StoreError::kUnavailable);
  auto found = run_sync((*store)->find_by_email("a@b.c"));
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error(), StoreError::kUnavailable);
}

}  // namespace
}  // namespace cubeauth::store::testing
