// Role lists as every store keeps them: sorted, no duplicates, without the
// implicit "user". Role names are short ASCII words ([a-z0-9_-], 1..32 bytes), so
// the SQL stores can keep a list as one comma-separated text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cubeauth::store {

/// True for 1..32 bytes of [a-z0-9_-].
bool is_role_name(std::string_view name);

/// `roles` sorted, without duplicates and without "user"; nullopt when a name is
/// not a role name (set_roles then fails with kInternal and stores nothing).
std::optional<std::vector<std::string>> normalize_roles(std::vector<std::string> roles);

/// "a,b" for {"a", "b"}; "" for none.
std::string join_roles(const std::vector<std::string>& roles);

/// The inverse of join_roles; empty parts are skipped.
std::vector<std::string> split_roles(std::string_view joined);

}  // namespace cubeauth::store
