// A team switching from the old NestJS server keeps its users and its clients'
// tokens. These tests seed the real binary's store with a user made exactly as the
// old server made one (mixed-case email as typed, a hash from Node's `bcrypt`), and
// use tokens from Node's `jsonwebtoken` with the same secret (tests/auth/node).
#include "e2e/api_client.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cctype>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "store/make_user_store.hpp"
#include "store/run_sync.hpp"

namespace cubeauth::testing {
namespace {

constexpr const char* kSecret = "e2e-secret";  // what Cubeauth starts the binary with
constexpr const char* kOldPassword = "hunter-22-old";
// ConnectyCube is not configured here: ask only for the local fields.
constexpr const char* kLocalLogin =
    "mutation($body: LoginUserDto!) { login(body: $body) { message token user { id email } } }";

/// Runs tests/auth/node/old_server.mjs with `arguments` (each shell-quoted here);
/// returns its output without the final newline. Fails the test if node fails.
std::string old_server(const std::vector<std::string>& arguments) {
  std::string command = std::string("node '") + OLD_SERVER_SCRIPT + "'";
  for (const auto& argument : arguments) {
    if (argument.find('\'') != std::string::npos) {
      throw std::invalid_argument("argument with a quote: " + argument);
    }
    command += " '" + argument + "'";
  }
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    throw std::runtime_error("cannot run node");
  }
  std::string output;
  char buffer[512];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) {
    output.append(buffer, n);
  }
  if (::pclose(pipe) != 0) {
    throw std::runtime_error("node old_server.mjs failed (see its message above): " + command);
  }
  while (!output.empty() && output.back() == '\n') {
    output.pop_back();
  }
  return output;
}

class OldServerData : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto environment = store_environment(GetParam());
    if (!environment) {
      GTEST_SKIP() << "TEST_POSTGRES_URL is not set (scripts/with-postgres.sh sets it)";
    }
    cubeauth_ = std::make_unique<Cubeauth>(*environment);
    store::StoreConfig config;
    config.database_url =
        GetParam() == "sqlite" ? "sqlite://" + cubeauth_->folder() + "/cubeauth.db" : environment->at("DATABASE_URL");
    auto opened = store::make_user_store(config);
    ASSERT_TRUE(opened) << opened.error();
    store_ = std::move(*opened);
  }

  /// Writes a user as the old server would have: the email as typed, Node's hash.
  store::User seed_old_user(const std::string& email_as_typed) {
    store::NewUser user{email_as_typed, "Old", "Timer", old_server({"hash", kOldPassword})};
    EXPECT_TRUE(user.password_hash.starts_with("$2b$10$")) << user.password_hash;
    auto created = store::testing::run_sync(store_->create_user(std::move(user)));
    if (!created) {
      throw std::runtime_error("seeding failed: " + std::string(store::to_string(created.error())));
    }
    return *created;
  }

  std::unique_ptr<Cubeauth> cubeauth_;
  std::unique_ptr<store::UserStore> store_;
};

boost::json::object credentials(const std::string& email, const std::string& password) {
  return {{"body", {{"email", email}, {"password", password}}}};
}

std::string lower(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

TEST_P(OldServerData, AMixedCaseUserWithANodeBcryptHashLogsInWithAnyCase) {
  const std::string typed = "Old.Timer." + unique_email("Mixed");
  const auto user = seed_old_user(typed);

  const auto login = post_graphql(cubeauth_->port(), kLocalLogin, credentials(lower(typed), kOldPassword));
  ASSERT_TRUE(login.errors().empty()) << boost::json::serialize(login.body);
  const auto& answer = login.data().at("login");
  EXPECT_EQ(answer.at("message"), "Login successful");
  EXPECT_EQ(answer.at("user").at("id").as_string(), user.id);
  EXPECT_EQ(answer.at("user").at("email").as_string(), typed);  // as stored, never rewritten

  const auto wrong = post_graphql(cubeauth_->port(), kLocalLogin, credentials(typed, "hunter-22-new"));
  EXPECT_EQ(wrong.code(), "UNAUTHENTICATED");
}

TEST_P(OldServerData, ATokenTheOldServerIssuedVerifiesAndCubeauthsVerifiesInNode) {
  const std::string typed = "Token." + unique_email("Holder");
  const auto user = seed_old_user(typed);

  const std::string old_token = old_server({"sign", kSecret, user.id, user.email});
  const auto verified = http_request(cubeauth_->port(), "GET", "/auth/verify-connectycube?token=" + old_token);
  ASSERT_TRUE(verified);
  ASSERT_EQ(verified->result_int(), 200) << verified->body();
  const auto body = boost::json::parse(verified->body());
  EXPECT_EQ(body.at("user").at("id").as_string(), user.id);
  EXPECT_EQ(body.at("user").at("email").as_string(), typed);

  const auto login = post_graphql(cubeauth_->port(), kLocalLogin, credentials(typed, kOldPassword));
  ASSERT_TRUE(login.errors().empty()) << boost::json::serialize(login.body);
  const std::string token(login.data().at("login").at("token").as_string());
  const auto payload = boost::json::parse(old_server({"verify", kSecret, token}));
  EXPECT_EQ(payload.at("id").as_string(), user.id);
  EXPECT_EQ(payload.at("email").as_string(), typed);
  EXPECT_GT(payload.at("exp").to_number<double>(), payload.at("iat").to_number<double>());
}

INSTANTIATE_TEST_SUITE_P(Stores, OldServerData, ::testing::ValuesIn(kStores),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cubeauth::testing
