#include "hostile/hostile_server.hpp"

#include <dirent.h>

#include <boost/beast/http/parser.hpp>
#include <boost/json/parse.hpp>
#include <fstream>

namespace cubeauth::testing {

std::map<std::string, std::string> hostile_environment(std::map<std::string, std::string> extra) {
  std::map<std::string, std::string> environment{
      {"CUBEAUTH_HEADER_LIMIT", std::to_string(kHostileHeaderLimit)},
      {"CUBEAUTH_BODY_LIMIT", std::to_string(kHostileBodyLimit)},
      {"CUBEAUTH_HEADER_TIMEOUT", std::to_string(kHostileHeaderTimeout.count()) + "ms"},
      {"CUBEAUTH_BODY_TIMEOUT", std::to_string(kHostileBodyTimeout.count()) + "ms"},
      {"CUBEAUTH_IDLE_TIMEOUT", std::to_string(kHostileIdleTimeout.count()) + "ms"},
      {"CUBEAUTH_WRITE_TIMEOUT", "2s"},
  };
  for (auto& [name, value] : extra) {
    environment[name] = value;
  }
  return environment;
}

std::size_t process_status_kb(int pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(field + ":")) {
      return std::stoul(line.substr(field.size() + 1));
    }
  }
  return 0;
}

std::size_t open_descriptors(int pid) {
  const std::string folder = "/proc/" + std::to_string(pid) + "/fd";
  DIR* dir = ::opendir(folder.c_str());
  if (dir == nullptr) {
    return 0;
  }
  std::size_t count = 0;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') {
      ++count;
    }
  }
  ::closedir(dir);
  return count;
}

bool served_within(std::uint16_t port, std::chrono::milliseconds limit) {
  const auto started = std::chrono::steady_clock::now();
  const auto response = http_request(port, "GET", "/healthz");
  return response && response->result_int() == 200 &&
         std::chrono::steady_clock::now() - started < limit;
}

std::string exchange(std::uint16_t port, const std::string& bytes,
                     std::chrono::milliseconds timeout) {
  RawClient client(port, timeout);
  client.send(bytes);
  return client.read_until_closed();
}

std::size_t count_responses(const std::string& bytes) {
  std::size_t count = 0;
  std::string_view rest = bytes;
  while (!rest.empty()) {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.eager(true);
    boost::system::error_code ec;
    const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    if (ec || !parser.is_done()) {
      break;
    }
    ++count;
    rest.remove_prefix(used);
  }
  return count;
}

GraphqlAnswer post_raw_graphql(std::uint16_t port, const std::string& body) {
  const auto response =
      http_request(port, "POST", "/api", body, "Content-Type: application/json\r\n");
  GraphqlAnswer answer;
  if (!response) {
    return answer;
  }
  answer.status = response->result_int();
  answer.content_type = std::string((*response)[boost::beast::http::field::content_type]);
  boost::system::error_code ec;
  answer.body = boost::json::parse(response->body(), ec);
  if (ec) {
    answer.body = nullptr;
  }
  return answer;
}

}  // namespace cubeauth::testing
