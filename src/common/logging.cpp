#include "common/logging.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <string>

namespace cubeauth::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};

std::string_view level_name(Level level) {
  switch (level) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO";
    case Level::kWarn:
      return "WARN";
    case Level::kError:
      return "ERROR";
    case Level::kOff:
      break;
  }
  return "OFF";
}

}  // namespace

void set_level(Level level) { g_level.store(level, std::memory_order_relaxed); }

Level level() { return g_level.load(std::memory_order_relaxed); }

bool parse_level(std::string_view text, Level& out) {
  static constexpr std::pair<std::string_view, Level> kNames[] = {
      {"debug", Level::kDebug}, {"info", Level::kInfo}, {"warn", Level::kWarn},
      {"error", Level::kError}, {"off", Level::kOff}};
  for (const auto& [name, value] : kNames) {
    if (text == name) {
      out = value;
      return true;
    }
  }
  return false;
}

void write(Level level, std::string_view message) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t seconds = system_clock::to_time_t(now);
  const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  const std::size_t stamp_size = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);

  std::string line;
  line.reserve(stamp_size + message.size() + 16);
  line.append(stamp, stamp_size);
  line += fmt::format(".{:03}Z ", millis);
  line += level_name(level);
  line += ' ';
  line += message;
  line += '\n';
  // One write per line: the kernel keeps concurrent writes to a pipe or tty whole.
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + written, line.size() - written);
    if (n <= 0) {
      return;
    }
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace cubeauth::log
