// The binary purges expired refresh tokens on its own (CUBEAUTH_TOKEN_PURGE_SECONDS), so
// the store does not grow with every login ever made. SQLite only: with PostgreSQL every
// test of a run shares one database, and this server's purge would reach theirs.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <chrono>
#include <map>
#include <string>

#include "auth/refresh_token.hpp"
#include "e2e/api_client.hpp"
#include "store/make_user_store.hpp"
#include "store/object_id.hpp"
#include "store/run_sync.hpp"

namespace cubeauth::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSessionLogin =
    "mutation($body: LoginUserDto!) { login(body: $body) { refreshToken user { id } } }";
constexpr const char* kRefresh =
    "mutation($t: String!) { refresh(refreshToken: $t) { refreshToken } }";

/// Whether the store still holds a token with this hash (revoking a family names its user
/// only while one of its tokens is stored).
bool stored(store::UserStore& users, const std::string& hash) {
  auto family = store::testing::run_sync(users.revoke_refresh_family(hash));
  return family.has_value() && family->has_value();
}

TEST(TokenPurge, TheServerRemovesTokensThatExpiredOverAnHourAgoAndKeepsLiveOnes) {
  Cubeauth server(std::map<std::string, std::string>{{"CUBEAUTH_TOKEN_PURGE_SECONDS", "1"}});
  const std::string email = unique_email("purge");
  ASSERT_TRUE(post_graphql(server.port(), kRegister, registration(email)).errors().empty());
  const auto login = post_graphql(server.port(), kSessionLogin,
                                  {{"body", {{"email", email}, {"password", "Lantern-8812"}}}});
  ASSERT_TRUE(login.errors().empty()) << boost::json::serialize(login.body);
  const std::string live(login.data().at("login").at("refreshToken").as_string());
  const std::string user_id(login.data().at("login").at("user").at("id").as_string());

  // Beside the server, on its file: a login of two days ago, expired yesterday, and one
  // that expired 10 minutes ago (kept: within the hour of grace).
  store::StoreConfig config;
  config.database_url = "sqlite://" + server.folder() + "/cubeauth.db";
  auto opened = store::make_user_store(config);
  ASSERT_TRUE(opened) << opened.error();
  store::UserStore& users = **opened;
  const auto now = std::chrono::system_clock::now();
  const std::string old_hash = auth::hash_refresh_token("old-" + store::new_object_id());
  const std::string recent_hash = auth::hash_refresh_token("recent-" + store::new_object_id());
  ASSERT_TRUE(store::testing::run_sync(users.create_refresh_token(
      {old_hash, store::new_object_id(), user_id, now - 48h, now - 24h})));
  ASSERT_TRUE(store::testing::run_sync(users.create_refresh_token(
      {recent_hash, store::new_object_id(), user_id, now - 2h, now - 10min})));

  ASSERT_TRUE(server.process().wait_for_output("refresh tokens: purged 1 expired", 10s))
      << server.process().output();
  EXPECT_FALSE(stored(users, old_hash));
  EXPECT_TRUE(stored(users, recent_hash));
  // The session of today still refreshes.
  const auto refreshed = post_graphql(server.port(), kRefresh, {{"t", live}});
  EXPECT_TRUE(refreshed.errors().empty()) << boost::json::serialize(refreshed.body);
}

}  // namespace
}  // namespace cubeauth::testing
