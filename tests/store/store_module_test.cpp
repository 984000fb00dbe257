// The PostgreSQL and MongoDB stores are modules loaded with dlopen (src/store/module):
// where they are looked for, and that a store opened through one works.
#include "store/module/load_store_module.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/run_sync.hpp"

namespace cubeauth::store::module {
namespace {

using cubeauth::store::testing::run_sync;

TEST(StoreModule, NamesAModuleFileForPostgresAndMongoButNotForTheBuiltInSqlite) {
  EXPECT_EQ(module_file(StoreKind::kPostgres), "cubeauth_store_postgres.so");
  EXPECT_EQ(module_file(StoreKind::kMongo), "cubeauth_store_mongo.so");
  EXPECT_EQ(module_file(StoreKind::kSqlite), "");
}

TEST(StoreModule, LooksBesideTheProgramFirstAndFindsBothModulesInTheBuildTree) {
  const auto folders = module_folders();
  ASSERT_GE(folders.size(), 2u);
  std::error_code ec;
  const auto program = std::filesystem::read_symlink("/proc/self/exe", ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(folders.front(), (program.parent_path().parent_path() / "lib" / "cubeauth").lexically_normal());
  bool both = false;
  for (const auto& folder : folders) {
    both = both || (std::filesystem::exists(folder / module_file(StoreKind::kPostgres)) &&
                    std::filesystem::exists(folder / module_file(StoreKind::kMongo)));
  }
  EXPECT_TRUE(both);
}

TEST(StoreModule, OpensAPostgresStoreThroughItsModuleThatReportsAnUnreachableServer) {
  const StoreLocation location{StoreKind::kPostgres, "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2",
                               "DATABASE_URL"};
  auto store = open_module_store(location, 1);
  ASSERT_TRUE(store.has_value()) << store.error();
  auto healthy = run_sync((*store)->health());
  ASSERT_FALSE(healthy.has_value());
  EXPECT_EQ(healthy.error(), StoreError::kUnavailable);
}

TEST(StoreModule, PassesTheDriversOwnErrorForABadUrl) {
  const StoreLocation postgres{StoreKind::kPostgres, "postgresql://host/db?no_such_option=1", "DATABASE_URL"};
  auto refused = open_module_store(postgres, 1);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().find("no_such_option"), std::string::npos) << refused.error();
  const StoreLocation mongo{StoreKind::kMongo, "mongodb://host:notaport/app", "MONGODB_URL"};
  auto also_refused = open_module_store(mongo, 1);
  ASSERT_FALSE(also_refused.has_value());
  EXPECT_EQ(also_refused.error().rfind("invalid MongoDB connection string", 0), 0u) << also_refused.error();
}

}  // namespace
}  // namespace cubeauth::store::module
