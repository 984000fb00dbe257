#include "store/object_id.hpp"

#include <array>
#include <atomic>
#include <cassert>
#include <cstdint>
#include <random>

namespace cubeauth::store {
namespace {

struct ProcessPart {
  std::array<std::uint8_t, 5> random{};
  std::atomic<std::uint32_t> counter{0};

  ProcessPart() {
    std::random_device device;
    for (auto& byte : random) {
      byte = static_cast<std::uint8_t>(device());
    }
    counter = device() & 0xFFFFFFu;
  }
};

ProcessPart& process_part() {
  static ProcessPart part;
  return part;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace

std::string new_object_id(std::chrono::system_clock::time_point now) {
  const auto seconds = static_cast<std::uint32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  auto& part = process_part();
  const std::uint32_t count = part.counter.fetch_add(1, std::memory_order_relaxed) & 0xFFFFFFu;

  std::array<std::uint8_t, 12> bytes{};
  bytes[0] = static_cast<std::uint8_t>(seconds >> 24);
  bytes[1] = static_cast<std::uint8_t>(seconds >> 16);
  bytes[2] = static_cast<std::uint8_t>(seconds >> 8);
  bytes[3] = static_cast<std::uint8_t>(seconds);
  for (std::size_t i = 0; i < part.random.size(); ++i) {
    bytes[4 + i] = part.random[i];
  }
  bytes[9] = static_cast<std::uint8_t>(count >> 16);
  bytes[10] = static_cast<std::uint8_t>(count >> 8);
  bytes[11] = static_cast<std::uint8_t>(count);

  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text(24, '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    text[2 * i] = kDigits[bytes[i] >> 4];
    text[2 * i + 1] = kDigits[bytes[i] & 0xF];
  }
  return text;
}

std::string new_object_id() { return new_object_id(std::chrono::system_clock::now()); }

bool is_object_id(std::string_view text) {
  if (text.size() != 24) {
    return false;
  }
  for (char c : text) {
    if (hex_value(c) < 0) {
      return false;
    }
  }
  return true;
}

std::string canonical_object_id(std::string_view id) {
  std::string out(id);
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

std::chrono::system_clock::time_point object_id_time(std::string_view id) {
  assert(is_object_id(id));
  std::uint32_t seconds = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    seconds = (seconds << 4) | static_cast<std::uint32_t>(hex_value(id[i]));
  }
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

}  // namespace cubeauth::store
