#include "store/make_user_store.hpp"

#include "store/module/load_store_module.hpp"
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
    case StoreKind::kPostgres:
    case StoreKind::kMongo: {
      // Loaded only now: a server on SQLite never maps the drivers' libraries.
      auto store = module::open_module_store(location, threads);
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
