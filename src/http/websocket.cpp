#include "http/websocket.hpp"

namespace cubeauth::http {

std::string choose_subprotocol(const std::vector<std::string>& supported, std::string_view offered) {
  // RFC 6455 4.1: the header is a comma-separated list of tokens, optional white space
  // around the commas.
  auto trim = [](std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
      text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
      text.remove_suffix(1);
    }
    return text;
  };
  for (const std::string& wanted : supported) {
    std::string_view rest = offered;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view token = trim(rest.substr(0, comma));
      if (token == wanted) {
        return wanted;
      }
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
  return {};
}

}  // namespace cubeauth::http
