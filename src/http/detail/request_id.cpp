#include "http/detail/request_id.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cstdint>
#include <random>

namespace cubeauth::http::detail {
namespace {

bool is_plain_id(std::string_view id) {
  if (id.empty() || id.size() > 64) {
    return false;
  }
  for (char c : id) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.' || c == ':';
    if (!plain) {
      return false;
    }
  }
  return true;
}

std::uint32_t process_prefix() {
  static const std::uint32_t prefix = std::random_device{}();
  return prefix;
}

std::atomic<std::uint64_t> g_counter{0};

}  // namespace

std::string request_id_for(const Request& request) {
  const auto sent = request.find("X-Request-Id");
  if (sent != request.end() && is_plain_id(sent->value())) {
    return std::string(sent->value());
  }
  return fmt::format("{:08x}{:08x}", process_prefix(),
                     g_counter.fetch_add(1, std::memory_order_relaxed));
}

}  // namespace cubeauth::http::detail
