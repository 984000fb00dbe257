#include "store/make_user_store.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "store/run_sync.hpp"
#include "store/temp_dir.hpp"

namespace cubeauth::store::testing {
namespace {

TEST(MakeUserStore, CreatesTheDefaultSqliteFileAndItsFolders) {
  TempDir dir;
  StoreConfig config;
  config.default_sqlite_path = dir.path() / "data" / "deeper" / "cubeauth.db";
  auto store = make_user_store(config);
  ASSERT_TRUE(store.has_value()) << store.error();
  EXPECT_TRUE(std::filesystem::exists(config.default_sqlite_path));
  auto created = run_sync((*store)->create_user({"a@b.io", "A", "B", "$2b$10$x"}));
  EXPECT_TRUE(created.has_value());
}

TEST(MakeUserStore, KeepsSqliteDataAcrossReopening) {
  TempDir dir;
  StoreConfig config;
  config.database_url = "sqlite://" + (dir.path() / "users.db").string();
  std::string id;
  {
    auto store = make_user_store(config);
    ASSERT_TRUE(store.has_value()) << store.error();
    auto created = run_sync((*store)->create_user({"a@b.io", "A", "B", "$2b$10$x"}));
    ASSERT_TRUE(created.has_value());
    id = created->id;
  }
  auto again = make_user_store(config);
  ASSERT_TRUE(again.has_value()) << again.error();
  auto found = run_sync((*again)->find_by_email("A@B.io"));
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->id, id);
}

TEST(MakeUserStore, ReportsAnSqliteFileThatCannotBeCreated) {
  TempDir dir;
  const auto blocker = dir.path() / "file";
  { std::ofstream(blocker) << "x"; }
  StoreConfig config;
  config.database_url = "sqlite://" + (blocker / "users.db").string();
  auto store = make_user_store(config);
  ASSERT_FALSE(store.has_value());
  EXPECT_NE(store.error().find("SQLite"), std::string::npos) << store.error();
}

TEST(MakeUserStore, NamesTheVariableOfABadConnectionString) {
  StoreConfig config;
  config.mongodb_url = "mongodb://host:notaport/app";
  auto store = make_user_store(config);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().rfind("MONGODB_URL: invalid MongoDB connection string", 0), 0u)
      << store.error();
}

TEST(MakeUserStore, AcceptsAMongodbSrvUriWhoseNameDoesNotResolveYet) {
  // The store starts; the SRV lookup fails and is retried by later calls.
  StoreConfig config;
  config.database_url = "mongodb+srv://cluster0.cubeauth-test.invalid/app";
  const auto start = std::chrono::steady_clock::now();
  auto store = make_user_store(config);
  ASSERT_TRUE(store.has_value()) << store.error();
  auto healthy = run_sync((*store)->health());
  ASSERT_FALSE(healthy.has_value());
  EXPECT_EQ(healthy.error(), StoreError::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

}  // namespace
}  // namespace cubeauth::store::testing
