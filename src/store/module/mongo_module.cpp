// cubeauth_store_mongo.so: the MongoDB store as a module (store_module.hpp).
#include "store/module/store_module.hpp"
#include "store/mongo/mongo_user_store.hpp"

CUBEAUTH_STORE_MODULE_ENTRY(request, result) {
  using namespace cubeauth;
  log::set_level(request.log_level);
  store::MongoOptions options;
  options.uri = request.location->url;
  options.threads = request.threads;
  result = store::open_mongo_store(options);
}
