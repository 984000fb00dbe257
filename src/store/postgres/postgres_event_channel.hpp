// The EventChannel over PostgreSQL LISTEN/NOTIFY: one thread and one connection of
// its own per process, which both listens and sends (pg_notify), so the store's pool
// is never held by a listener.
#pragma once

#include <memory>
#include <string>

#include "store/event_channel.hpp"

namespace cubeauth::store {

/// `url` is the postgres:// connection string; `channel` the NOTIFY channel name
/// (a plain identifier).
std::unique_ptr<EventChannel> make_postgres_event_channel(std::string url,
                                                          std::string channel = "cubeauth_events");

}  // namespace cubeauth::store
