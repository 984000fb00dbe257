#include "graphql/validation/detail/suggestions.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>

namespace cubeauth::graphql::detail {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Damerau-Levenshtein (optimal string alignment) distance with an early exit above
// `threshold`; a change of case alone counts as one edit (graphql-js LexicalDistance).
std::optional<std::size_t> lexical_distance(std::string_view input, std::string_view option,
                                            std::size_t threshold) {
  if (input == option) {
    return 0;
  }
  std::string a = lower(option);
  std::string b = lower(input);
  if (a == b) {
    return 1;
  }
  if (a.size() < b.size()) {
    std::swap(a, b);
  }
  if (a.size() - b.size() > threshold) {
    return std::nullopt;
  }
  std::vector<std::size_t> rows[3];
  for (auto& row : rows) {
    row.assign(b.size() + 1, 0);
  }
  for (std::size_t j = 0; j <= b.size(); ++j) {
    rows[0][j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    auto& up = rows[(i - 1) % 3];
    auto& current = rows[i % 3];
    std::size_t smallest = current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t cell = std::min({up[j] + 1, current[j - 1] + 1, up[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cell = std::min(cell, rows[(i - 2) % 3][j - 2] + 1);
      }
      smallest = std::min(smallest, cell);
      current[j] = cell;
    }
    if (smallest > threshold) {
      return std::nullopt;
    }
  }
  std::size_t distance = rows[a.size() % 3][b.size()];
  return distance <= threshold ? std::optional(distance) : std::nullopt;
}

}  // namespace

int natural_compare(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      unsigned long long a_number = 0;
      do {
        a_number = a_number * 10 + static_cast<unsigned>(a[i++] - '0');
      } while (i < a.size() && is_digit(a[i]) && a_number > 0);
      unsigned long long b_number = 0;
      do {
        b_number = b_number * 10 + static_cast<unsigned>(b[j++] - '0');
      } while (j < b.size() && is_digit(b[j]) && b_number > 0);
      if (a_number != b_number) {
        return a_number < b_number ? -1 : 1;
      }
    } else {
      if (a[i] != b[j]) {
        return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]) ? -1 : 1;
      }
      ++i;
      ++j;
    }
  }
  return static_cast<int>(a.size()) - static_cast<int>(b.size());
}

std::vector<std::string> suggestion_list(std::string_view input,
                                         const std::vector<std::string_view>& options) {
  std::size_t threshold = input.size() * 4 / 10 + 1;
  std::vector<std::pair<std::size_t, std::string_view>> ranked;
  for (std::string_view option : options) {
    if (auto distance = lexical_distance(input, option, threshold)) {
      ranked.emplace_back(*distance, option);
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first < y.first : natural_compare(x.second, y.second) < 0;
  });
  std::vector<std::string> out;
  out.reserve(ranked.size());
  for (const auto& [distance, option] : ranked) {
    out.emplace_back(option);
  }
  return out;
}

std::string did_you_mean(const std::vector<std::string>& suggestions,
                         std::string_view sub_message) {
  if (suggestions.empty()) {
    return {};
  }
  std::string message = " Did you mean ";
  if (!sub_message.empty()) {
    message.append(sub_message).append(" ");
  }
  auto quoted = [](const std::string& s) { return "\"" + s + "\""; };
  if (suggestions.size() == 1) {
    return message + quoted(suggestions[0]) + "?";
  }
  if (suggestions.size() == 2) {
    return message + quoted(suggestions[0]) + " or " + quoted(suggestions[1]) + "?";
  }
  std::size_t count = std::min<std::size_t>(suggestions.size(), 5);
  for (std::size_t i = 0; i + 1 < count; ++i) {
    message += quoted(suggestions[i]) + ", ";
  }
  return message + "or " + quoted(suggestions[count - 1]) + "?";
}

}  // namespace cubeauth::graphql::detail
