#include "store/email.hpp"

namespace cubeauth::store {

std::string normalize_email(std::string_view email) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto first = email.find_first_not_of(kSpace);
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = email.find_last_not_of(kSpace);
  return ascii_lower(email.substr(first, last - first + 1));
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

}  // namespace cubeauth::store
