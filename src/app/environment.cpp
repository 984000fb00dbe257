#include "app/environment.hpp"

#include <fstream>
#include <sstream>

namespace cubeauth::app {
namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

bool is_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) {
    return false;
  }
  for (char c : name) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<Variables, std::string> parse_dotenv(std::string_view text) {
  Variables variables;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_number;
    if (line.empty() || line[0] == '#') {
      continue;
    }
    if (line.starts_with("export ")) {
      line = trim(line.substr(7));
    }
    const auto equals = line.find('=');
    const std::string_view name = trim(line.substr(0, equals));
    if (equals == std::string_view::npos || !is_name(name)) {
      return unexpected(".env line " + std::to_string(line_number) + " is not NAME=value");
    }
    std::string_view raw = trim(line.substr(equals + 1));
    std::string value;
    if (!raw.empty() && (raw[0] == '"' || raw[0] == '\'')) {
      const char quote = raw[0];
      std::size_t i = 1;
      bool closed = false;
      for (; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == quote) {
          closed = true;
          break;
        }
        if (quote == '"' && c == '\\' && i + 1 < raw.size()) {
          const char next = raw[++i];
          value += next == 'n' ? '\n' : next;
          continue;
        }
        value += c;
      }
      if (!closed) {
        return unexpected(".env line " + std::to_string(line_number) + " has an unclosed quote");
      }
    } else {
      // Unquoted: an inline comment starts at " #".
      const auto comment = raw.find(" #");
      value = std::string(trim(raw.substr(0, comment)));
    }
    variables.insert_or_assign(std::string(name), std::move(value));
  }
  return variables;
}

Result<Variables, std::string> read_environment(const std::string& dotenv_path, char** environ) {
  Variables variables;
  std::ifstream file(dotenv_path);
  if (file) {
    std::stringstream content;
    content << file.rdbuf();
    auto parsed = parse_dotenv(content.str());
    if (!parsed) {
      return parsed;
    }
    variables = std::move(*parsed);
  }
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) {
      continue;
    }
    variables.insert_or_assign(std::string(text.substr(0, equals)),
                               std::string(text.substr(equals + 1)));
  }
  return variables;
}

}  // namespace cubeauth::app
