// The PostgreSQL schema, as numbered migrations; each is applied once, under an
// advisory lock so that several cubeauth processes may start together, and is
// recorded in the table schema_migrations.
#pragma once

#include <span>
#include <string_view>

namespace cubeauth::store::postgres {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

/// In version order. Append only: a released migration never changes.
std::span<const Migration> migrations();

}  // namespace cubeauth::store::postgres
