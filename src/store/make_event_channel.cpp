#include "store/event_channel.hpp"
#include "store/postgres/postgres_event_channel.hpp"

namespace cubeauth::store {

std::unique_ptr<EventChannel> make_event_channel(const StoreLocation& location) {
  if (location.kind == StoreKind::kPostgres) {
    return make_postgres_event_channel(location.url);
  }
  return nullptr;
}

}  // namespace cubeauth::store
