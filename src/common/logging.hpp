// Process-wide logging: one line per event, written with a single write(2) so
// lines from different threads never interleave.
#pragma once

#include <fmt/format.h>

#include <string_view>

namespace cubeauth::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };

/// Lines below this level are dropped. Default: kInfo.
void set_level(Level level);
Level level();
/// Parses "debug", "info", "warn", "error", "off".
bool parse_level(std::string_view text, Level& out);

/// Writes one line "<ISO-8601 UTC> <LEVEL> <message>" to stderr.
void write(Level level, std::string_view message);

template <class... Args>
void debug(fmt::format_string<Args...> format, Args&&... args) {
  if (level() <= Level::kDebug) {
    write(Level::kDebug, fmt::format(format, std::forward<Args>(args)...));
  }
}
template <class... Args>
void info(fmt::format_string<Args...> format, Args&&... args) {
  if (level() <= Level::kInfo) {
    write(Level::kInfo, fmt::format(format, std::forward<Args>(args)...));
  }
}
template <class... Args>
void warn(fmt::format_string<Args...> format, Args&&... args) {
  if (level() <= Level::kWarn) {
    write(Level::kWarn, fmt::format(format, std::forward<Args>(args)...));
  }
}
template <class... Args>
void error(fmt::format_string<Args...> format, Args&&... args) {
  if (level() <= Level::kError) {
    write(Level::kError, fmt::format(format, std::forward<Args>(args)...));
  }
}

}  // namespace cubeauth::log
