// The SQLite schema, as numbered migrations; each is applied once and recorded
// in the table schema_migrations of the database itself.
#pragma once

#include <span>
#include <string_view>

namespace cubeauth::store::sqlite {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

/// In version order. Append only: a released migration never changes.
std::span<const Migration> migrations();

}  // namespace cubeauth::store::sqlite
