// The PostgreSQL and MongoDB drivers are modules loaded on demand (src/store/module):
// the real binary on SQLite maps none of their libraries; on MongoDB it maps its module.
#include "support/server_process.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace cubeauth::testing {
namespace {

std::string mapped_files(pid_t pid) {
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  std::stringstream text;
  text << maps.rdbuf();
  return text.str();
}

std::unique_ptr<ServerProcess> start(const TempDir& dir, std::map<std::string, std::string> store) {
  std::map<std::string, std::string> environment{
      {"HOST", "127.0.0.1"}, {"PORT", "0"}, {"JWT_SECRET", "e2e-secret"}, {"CUBEAUTH_THREADS", "1"}};
  environment.insert(store.begin(), store.end());
  return std::make_unique<ServerProcess>(CUBEAUTH_BINARY, environment, std::vector<std::string>{},
                                         "listening on http://127.0.0.1:", dir.path());
}

TEST(StoreDrivers, AServerOnSqliteMapsNeitherThePostgresNorTheMongoLibraries) {
  TempDir dir;
  auto server = start(dir, {{"DATABASE_URL", "sqlite://" + dir.path() + "/cubeauth.db"}});
  ASSERT_TRUE(server->wait_ready()) << server->output();
  const std::string maps = mapped_files(server->pid());
  EXPECT_NE(maps.find("libsqlite3"), std::string::npos);
  EXPECT_EQ(maps.find("libpq"), std::string::npos);
  EXPECT_EQ(maps.find("libmongoc"), std::string::npos);
  EXPECT_EQ(maps.find("cubeauth_store_"), std::string::npos);
}

TEST(StoreDrivers, AServerOnMongodbLoadsTheMongoModuleOnly) {
  TempDir dir;
  auto server = start(dir, {{"MONGODB_URL", "mongodb://127.0.0.1:1/app?serverSelectionTimeoutMS=200"}});
  ASSERT_TRUE(server->wait_ready()) << server->output();
  const std::string maps = mapped_files(server->pid());
  EXPECT_NE(maps.find("cubeauth_store_mongo.so"), std::string::npos);
  EXPECT_NE(maps.find("libmongoc"), std::string::npos);
  EXPECT_EQ(maps.find("libpq"), std::string::npos);
}

}  // namespace
}  // namespace cubeauth::testing
