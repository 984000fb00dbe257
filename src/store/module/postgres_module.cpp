// cubeauth_store_postgres.so: the PostgreSQL store as a module (store_module.hpp).
#include "store/module/store_module.hpp"
#include "store/postgres/postgres_user_store.hpp"

CUBEAUTH_STORE_MODULE_ENTRY(request, result) {
  using namespace cubeauth;
  log::set_level(request.log_level);
  store::PostgresOptions options;
  options.url = request.location->url;
  options.connections = request.threads;
  result = store::open_postgres_store(options);
}
