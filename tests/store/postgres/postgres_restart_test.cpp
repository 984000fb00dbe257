// The PostgreSQL server goes away under a running store and comes back. Its own
// program, run by ctest through scripts/with-postgres.sh with a server of its
// own, since stopping the shared one would fail the tests running beside it.
#include <gtest/gtest.h>

#include <cstdlib>

#include "store/contract/stores.hpp"
#include "store/postgres/postgres_env.hpp"
#include "store/postgres/postgres_user_store.hpp"
#include "store/run_sync.hpp"

namespace cubeauth::store::testing {
namespace {

/// Runs pg_ctl as the user the server runs as (see scripts/with-postgres.sh).
bool pg_ctl(const std::string& action) {
  const std::string run_as = env_or_empty("TEST_POSTGRES_RUN_AS");
  std::string command = run_as.empty() ? "" : "runuser -u " + run_as + " -- ";
  command += env_or_empty("TEST_POSTGRES_PGCTL") + " -D " + env_or_empty("TEST_POSTGRES_DATA") +
             " -w -t 30 ";
  if (action == "start") {
    command += "-l " + env_or_empty("TEST_POSTGRES_LOG") + " start";
  } else {
    command += "-m fast stop";
  }
  command += " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

class PostgresRestart : public ::testing::Test {
 protected:
  void SetUp() override {
    if (postgres_url().empty() || env_or_empty("TEST_POSTGRES_PGCTL").empty()) {
      GTEST_FAIL() << "run this program through scripts/with-postgres.sh";
    }
    PostgresOptions options;
    options.url = postgres_url();
    options.connections = 2;
    auto opened = open_postgres_store(options);
    ASSERT_TRUE(opened.has_value()) << opened.error();
    store_ = std::move(*opened);
  }

  void TearDown() override {
    // Leave the server running whatever happened.
    (void)pg_ctl("start");
  }

  User create(const std::string& tag) {
    auto created = run_sync(
        store_->create_user({tag + "-" + unique_token() + "@example.com", "A", "B", "$2b$10$x"}));
    EXPECT_TRUE(created.has_value());
    return created.has_value() ? *created : User{};
  }

  std::unique_ptr<UserStore> store_;
};

TEST_F(PostgresRestart, CallsFailAsUnavailableWhileTheServerIsDownAndWorkWhenItIsBack) {
  // Warm two pooled connections, which the stop will kill.
  const User before = create("before");
  ASSERT_TRUE(run_sync(store_->health()).has_value());

  ASSERT_TRUE(pg_ctl("stop"));
  auto found = run_sync(store_->find_by_id(before.id));
  ASSERT_FALSE(found.has_value());
  EXPECT_EQ(found.error(), StoreError::kUnavailable);
  auto created = run_sync(store_->create_user({"down@example.com", "A", "B", "$2b$10$x"}));
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error(), StoreError::kUnavailable);
  auto healthy = run_sync(store_->health());
  ASSERT_FALSE(healthy.has_value());
  EXPECT_EQ(healthy.error(), StoreError::kUnavailable);

  ASSERT_TRUE(pg_ctl("start"));
  EXPECT_TRUE(run_sync(store_->health()).has_value());
  auto again = run_sync(store_->find_by_id(before.id));
  ASSERT_TRUE(again.has_value());
  ASSERT_TRUE(again->has_value()) << "a user written before the outage was lost";
  EXPECT_EQ(**again, before);
  const User after = create("after");
  EXPECT_NE(after.id, before.id);
}

TEST_F(PostgresRestart, ARestartBetweenCallsCostsNoFailedCall) {
  const User before = create("idle");
  ASSERT_TRUE(pg_ctl("stop"));
  ASSERT_TRUE(pg_ctl("start"));
  // The pooled connection is dead; the store notices and retries on a new one.
  auto found = run_sync(store_->find_by_id(before.id));
  ASSERT_TRUE(found.has_value()) << to_string(found.error());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, before.id);
  const User after = create("idle-after");
  EXPECT_FALSE(after.id.empty());
}

}  // namespace
}  // namespace cubeauth::store::testing
