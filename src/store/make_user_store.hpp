// The store factory: opens the store the configuration names (store_config.hpp).
// A new store is a folder beside sqlite/, postgres/ and mongo/ plus a case here.
// SQLite is linked in; PostgreSQL and MongoDB are modules loaded on first use
// (module/store_module.hpp), so their client libraries cost nothing on SQLite.
#pragma once

#include <memory>
#include <string>

#include "common/result.hpp"
#include "store/store_config.hpp"
#include "store/user_store.hpp"

namespace cubeauth::store {

/// Opens the store. Errors (a text for one clear log line, then exit): a bad
/// connection string, an SQLite file that cannot be created or migrated.
/// A PostgreSQL or MongoDB server that cannot be reached is no error: the store
/// is returned, logs the outage once, reports it from health() (readiness) and
/// connects by itself when the server is back.
Result<std::unique_ptr<UserStore>, std::string> make_user_store(const StoreLocation& location,
                                                                std::size_t threads = 4);

/// locate_store(config), then the above.
Result<std::unique_ptr<UserStore>, std::string> make_user_store(const StoreConfig& config);

}  // namespace cubeauth::store
