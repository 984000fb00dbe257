#include "store/make_user_store.hpp"

#include "store/mongo/mongo_user_store.hpp"
#include "store/postgres/postgres_user_store.hpp"
#include "store/sqlite/sqlite_user_store.hpp"

namespace cubeauth::store {

Result<std::unique_ptr<UserStore>, std::string> make_user_store(const StoreLocation& location,
                                                                std::size_t threads) {
  switch (location.kind) {
    case StoreKind::kSqlite: {
      SqliteOptions options;
      options.path = location.url;
      options.threads = threads;
      return open_sqlite_store(options);
    }
    case StoreKind::kPostgres: {
      PostgresOptions options;
      options.url = location.url;
      options.connections = threads;
      auto store = open_postgres_store(options);
      if (!store) {
        return unexpected(location.source + ": " + store.error());
      }
      return store;
    }
    case StoreKind::kMongo: {
      MongoOptions options;
      options.uri = location.url;
      options.threads = threads;
      auto store = open_mongo_store(options);
      if (!store) {
        return unexpected(location.source + ": " + store.error());
      }
      return store;
    }
  }
  return unexpected(std::string("unknown store kind"));
}

Result<std::unique_ptr<UserStore>, std::string> make_user_store(const StoreConfig& config) {
  auto location = locate_store(config);
  if (!location) {
    return unexpected(std::move(location).error());
  }
  return make_user_store(*location, config.threads);
}

}  // namespace cubeauth::store
