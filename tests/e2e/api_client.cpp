#include "e2e/api_client.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>

namespace cubeauth::testing {

const boost::json::value& GraphqlAnswer::data() const {
  static const boost::json::value kNull;
  if (!body.is_object()) {
    return kNull;
  }
  const auto* data = body.as_object().if_contains("data");
  return data != nullptr ? *data : kNull;
}

const boost::json::array& GraphqlAnswer::errors() const {
  static const boost::json::array kNone;
  if (!body.is_object()) {
    return kNone;
  }
  const auto* errors = body.as_object().if_contains("errors");
  return errors != nullptr && errors->is_array() ? errors->as_array() : kNone;
}

std::string GraphqlAnswer::code(std::size_t index) const {
  const auto& list = errors();
  if (index >= list.size()) {
    return "<no error>";
  }
  const auto* extensions = list[index].as_object().if_contains("extensions");
  if (extensions == nullptr || !extensions->as_object().contains("code")) {
    return "<no code>";
  }
  return std::string(extensions->as_object().at("code").as_string());
}

GraphqlAnswer post_graphql(std::uint16_t port, const std::string& query,
                           const boost::json::object& variables, const std::string& extra_headers) {
  boost::json::object body{{"query", query}, {"variables", variables}};
  const auto response = http_request(port, "POST", "/api", boost::json::serialize(body),
                                     "Content-Type: application/json\r\n" + extra_headers);
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

std::string unique_email(const std::string& name) {
  static std::atomic<int> counter{0};
  static const auto process = std::to_string(::getpid()) + "x" + std::to_string(std::random_device{}() % 100000);
  return name + process + "n" + std::to_string(counter++) + "@example.org";
}

std::optional<std::map<std::string, std::string>> store_environment(const std::string& store) {
  if (store == "postgres") {
    const char* url = std::getenv("TEST_POSTGRES_URL");
    if (url == nullptr || *url == '\0') {
      return std::nullopt;
    }
    return std::map<std::string, std::string>{{"DATABASE_URL", url}};
  }
  return std::map<std::string, std::string>{};
}

std::map<std::string, std::unique_ptr<Cubeauth>> OnEveryStore::servers_;

void OnEveryStore::SetUp() {
  auto environment = store_environment(GetParam());
  if (!environment) {
    GTEST_SKIP() << "TEST_POSTGRES_URL is not set (scripts/with-postgres.sh sets it)";
  }
  auto& server = servers_[GetParam()];
  if (!server) {
    server = std::make_unique<Cubeauth>(*environment);
  }
  port_ = server->port();
}

Cubeauth::Cubeauth(std::map<std::string, std::string> environment) {
  std::map<std::string, std::string> full{{"HOST", "127.0.0.1"},
                                          {"PORT", "0"},
                                          {"CUBEAUTH_THREADS", "2"},
                                          {"JWT_SECRET", "e2e-secret"},
                                          {"BCRYPT_COST", "4"},
                                          // Every test client is 127.0.0.1: the per-address
                                          // limit has tests of its own.
                                          {"CUBEAUTH_RATE_PER_CLIENT_BURST", "0"},
                                          {"DATABASE_URL", "sqlite://" + dir_.path() + "/cubeauth.db"}};
  for (auto& [name, value] : environment) {
    full[name] = value;
  }
  process_ = std::make_unique<ServerProcess>(CUBEAUTH_BINARY, full, std::vector<std::string>{},
                                             "listening on http://127.0.0.1:", dir_.path());
  if (!process_->wait_ready()) {
    throw std::runtime_error("cubeauth did not start:\n" + process_->output());
  }
}

boost::json::object registration(const std::string& email, const std::string& password,
                                 const std::string& first, const std::string& last) {
  return {{"body", {{"email", email}, {"password", password}, {"firstName", first}, {"lastName", last}}}};
}

}  // namespace cubeauth::testing
