#include "store/postgres/postgres_user_store.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "store/contract/stores.hpp"
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
            std::vector<std::string>{"1 create users"});
  EXPECT_EQ(
      query_column(url, "SELECT indexdef FROM pg_indexes WHERE indexname = 'users_email_lower'"),
      std::vector<std::string>{
          "CREATE UNIQUE INDEX users_email_lower ON public.users USING btree (lower(email))"});
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
