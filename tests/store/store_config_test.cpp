#include "store/store_config.hpp"

#include <gtest/gtest.h>

namespace cubeauth::store {
namespace {

StoreLocation located(const StoreConfig& config) {
  auto location = locate_store(config);
  EXPECT_TRUE(location.has_value()) << location.error();
  return location.has_value() ? *location : StoreLocation{};
}

TEST(LocateStore, DefaultsToTheSqliteFileUnderData) {
  const StoreLocation location = located({});
  EXPECT_EQ(location.kind, StoreKind::kSqlite);
  EXPECT_EQ(location.url, "./data/cubeauth.db");
  EXPECT_EQ(location.source, "default");
}

TEST(LocateStore, ReadsEachSchemeOfDatabaseUrl) {
  struct Case {
    std::string url;
    StoreKind kind;
    std::string target;
  };
  for (const Case& c : {
           Case{"sqlite:///var/lib/cubeauth/users.db", StoreKind::kSqlite,
                "/var/lib/cubeauth/users.db"},
           Case{"sqlite://data/users.db", StoreKind::kSqlite, "data/users.db"},
           Case{"sqlite:data/users.db", StoreKind::kSqlite, "data/users.db"},
           Case{"postgres://u:p@db:5432/app", StoreKind::kPostgres, "postgres://u:p@db:5432/app"},
           Case{"postgresql://db/app", StoreKind::kPostgres, "postgresql://db/app"},
           Case{"mongodb://m1,m2/app?replicaSet=rs", StoreKind::kMongo,
                "mongodb://m1,m2/app?replicaSet=rs"},
           Case{"mongodb+srv://cluster0.example.net/app", StoreKind::kMongo,
                "mongodb+srv://cluster0.example.net/app"},
           Case{"MongoDB://host/app", StoreKind::kMongo, "MongoDB://host/app"},
       }) {
    StoreConfig config;
    config.database_url = c.url;
    const StoreLocation location = located(config);
    EXPECT_EQ(location.kind, c.kind) << c.url;
    EXPECT_EQ(location.url, c.target) << c.url;
    EXPECT_EQ(location.source, "DATABASE_URL");
  }
}

TEST(LocateStore, PrefersDatabaseUrlThenMongodbUrlThenMongoUri) {
  StoreConfig config;
  config.mongo_uri = "mongodb://readme/app";
  EXPECT_EQ(located(config).source, "MONGO_URI");
  config.mongodb_url = "mongodb://code/app";
  EXPECT_EQ(located(config).url, "mongodb://code/app");
  EXPECT_EQ(located(config).source, "MONGODB_URL");
  config.database_url = "postgres://db/app";
  EXPECT_EQ(located(config).kind, StoreKind::kPostgres);
}

TEST(LocateStore, ExplainsAnUnsupportedOrEmptyUrl) {
  StoreConfig config;
  config.database_url = "mysql://db/app";
  auto location = locate_store(config);
  ASSERT_FALSE(location.has_value());
  EXPECT_EQ(location.error(),
            "DATABASE_URL: unsupported database \"mysql\" (use sqlite:///path, postgres://..., "
            "mongodb://... or mongodb+srv://...)");

  for (const char* url : {"sqlite://", "sqlite::memory:", "sqlite:///var/lib/"}) {
    config.database_url = url;
    auto sqlite = locate_store(config);
    ASSERT_FALSE(sqlite.has_value()) << url;
    EXPECT_NE(sqlite.error().find("names no SQLite file"), std::string::npos) << sqlite.error();
  }
}

TEST(LocateStore, RefusesAMongoVariableThatIsNoMongoUrlWithoutPrintingItsPassword) {
  StoreConfig config;
  config.mongo_uri = "postgres://user:secret@db/app";
  auto location = locate_store(config);
  ASSERT_FALSE(location.has_value());
  EXPECT_NE(location.error().find("MONGO_URI"), std::string::npos);
  EXPECT_EQ(location.error().find("secret"), std::string::npos) << location.error();
}

TEST(RedactUrl, HidesOnlyThePassword) {
  EXPECT_EQ(redact_url("mongodb+srv://ada:s3cr%40t@cluster0.example.net/app?x=1"),
            "mongodb+srv://ada:***@cluster0.example.net/app?x=1");
  EXPECT_EQ(redact_url("postgres://ada@db/app"), "postgres://ada@db/app");
  EXPECT_EQ(redact_url("postgres://db/app?email=a@b.c"), "postgres://db/app?email=a@b.c");
  EXPECT_EQ(redact_url("sqlite:///x.db"), "sqlite:///x.db");
}

}  // namespace
}  // namespace cubeauth::store
