#include "store/contract/stores.hpp"

#include <atomic>
#include <cstdlib>

#include "store/mongo/mongo_user_store.hpp"
#include "store/object_id.hpp"
#include "store/postgres/postgres_user_store.hpp"
#include "store/sqlite/sqlite_user_store.hpp"
#include "store/temp_dir.hpp"
#include "support/store/in_memory_user_store.hpp"

namespace cubeauth::store::testing {

std::string unique_token() {
  static std::atomic<int> counter{0};
  // An ObjectId is unique across processes; the counter keeps calls in one apart.
  return new_object_id() + std::to_string(counter.fetch_add(1));
}

namespace {

OpenedStore open_in_memory() { return {std::make_unique<InMemoryUserStore>(), {}, nullptr}; }

OpenedStore open_sqlite() {
  auto dir = std::make_shared<TempDir>();
  SqliteOptions options;
  options.path = dir->path() / "nested" / "cubeauth.db";
  auto store = open_sqlite_store(options);
  if (!store) {
    return {nullptr, "", nullptr};
  }
  return {std::move(*store), {}, dir};
}

OpenedStore open_postgres() {
  const char* url = std::getenv("TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') {
    return {nullptr,
            "TEST_POSTGRES_URL is not set: run the tests through scripts/with-postgres.sh "
            "(it starts a throwaway PostgreSQL 15)",
            nullptr};
  }
  PostgresOptions options;
  options.url = url;
  auto store = open_postgres_store(options);
  if (!store) {
    return {nullptr, "", nullptr};
  }
  return {std::move(*store), {}, nullptr};
}

OpenedStore open_mongo() {
  const char* uri = std::getenv("TEST_MONGO_URI");
  if (uri == nullptr || *uri == '\0') {
    return {nullptr,
            "TEST_MONGO_URI is not set (e.g. mongodb://127.0.0.1:27017/cubeauth_test); the "
            "MongoDB store's wire tests (MongoWire.*) run without a server",
            nullptr};
  }
  auto store = open_mongo_store({uri});
  if (!store) {
    return {nullptr, "", nullptr};
  }
  return {std::move(*store), {}, nullptr};
}

}  // namespace

std::vector<StoreUnderTest> stores_under_test() {
  return {
      {"InMemoryFake", open_in_memory},
      {"Sqlite", open_sqlite},
      {"Postgres", open_postgres},
      {"Mongo", open_mongo},
  };
}

}  // namespace cubeauth::store::testing
