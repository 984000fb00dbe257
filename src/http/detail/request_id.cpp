#include "http/detail/request_id.hpp"

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
  // Sixteen hex digits: the process prefix, then the counter's low 32 bits (what
  // "{:08x}{:08x}" printed, without a format call on every request).
  const std::uint64_t id = (std::uint64_t{process_prefix()} << 32) |
                           (g_counter.fetch_add(1, std::memory_order_relaxed) & 0xffffffffU);
  constexpr char kDigits[] = "0123456789abcdef";
  std::string text(16, '0');
  for (int i = 15, shift = 0; i >= 0; --i, shift += 4) {
    text[static_cast<std::size_t>(i)] = kDigits[(id >> shift) & 0xf];
  }
  return text;
}

}  // namespace cubeauth::http::detail
