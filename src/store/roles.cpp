#include "store/roles.hpp"

#include <algorithm>

namespace cubeauth::store {

bool is_role_name(std::string_view name) {
  if (name.empty() || name.size() > 32) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::optional<std::vector<std::string>> normalize_roles(std::vector<std::string> roles) {
  for (const auto& role : roles) {
    if (!is_role_name(role)) {
      return std::nullopt;
    }
  }
  std::erase(roles, "user");
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

std::string join_roles(const std::vector<std::string>& roles) {
  std::string out;
  for (const auto& role : roles) {
    if (!out.empty()) {
      out += ',';
    }
    out += role;
  }
  return out;
}

std::vector<std::string> split_roles(std::string_view joined) {
  std::vector<std::string> out;
  while (!joined.empty()) {
    const auto comma = joined.find(',');
    const auto part = joined.substr(0, comma);
    if (!part.empty()) {
      out.emplace_back(part);
    }
    if (comma == std::string_view::npos) {
      break;
    }
    joined.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace cubeauth::store
