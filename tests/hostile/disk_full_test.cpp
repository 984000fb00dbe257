// The disk full under SQLite, unprivileged and without mounting anything: the test lowers
// the running server's file-size limit (RLIMIT_FSIZE, prlimit(2)) to 0, so every write that
// would grow or rewrite a file fails as on a full disk; SIGXFSZ is ignored in the server
// (an ignored signal stays ignored across exec), so the write fails instead of killing it.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <boost/json/serialize.hpp>
#include <csignal>

#include "e2e/api_client.hpp"
#include "hostile/fault_support.hpp"
#include "hostile/hostile_server.hpp"

namespace cubeauth::testing {
namespace {

using namespace std::chrono_literals;

/// Sets the soft file-size limit of `pid` (the hard one stays unlimited).
void set_file_size_limit(pid_t pid, rlim_t bytes) {
  const rlimit limit{bytes, RLIM_INFINITY};
  ASSERT_EQ(::prlimit(pid, RLIMIT_FSIZE, &limit, nullptr), 0) << "prlimit failed: " << errno;
}

class FaultDiskFull : public ::testing::Test {
 protected:
  void SetUp() override {
    auto environment = fault_environment("http://127.0.0.1:1", dir_.path() + "/cubeauth.db");
    environment.erase("APP_ID");  // no ConnectyCube: only the store writes
    environment.erase("AUTH_KEY");
    environment.erase("CONNECTYCUBE_API_URL");
    // The child inherits the ignored disposition through posix_spawn and exec.
    previous_ = std::signal(SIGXFSZ, SIG_IGN);
    server_ = start_cubeauth(std::move(environment));
    std::signal(SIGXFSZ, previous_);
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  void (*previous_)(int) = SIG_DFL;
};

TEST_F(FaultDiskFull, RefusesARegistrationWithAClearCodeAndRecoversWhenSpaceReturns) {
  const std::uint16_t port = server_->port();
  const auto before = post_graphql(port, kRegister, registration("before@example.org"));
  ASSERT_TRUE(before.errors().empty()) << boost::json::serialize(before.body);

  set_file_size_limit(server_->pid(), 0);
  const auto full = post_graphql(port, kRegister, registration("full@example.org"));
  ASSERT_EQ(full.status, 200u) << server_->output();
  ASSERT_EQ(full.errors().size(), 1u) << boost::json::serialize(full.body);
  EXPECT_EQ(full.code(), "SERVICE_UNAVAILABLE");
  EXPECT_TRUE(full.data().is_null() || full.data().at("register").is_null());
  // The driver's own text stays in the log, where it says what happened.
  EXPECT_EQ(boost::json::serialize(full.body).find("disk"), std::string::npos);
  EXPECT_TRUE(server_->wait_for_output("sqlite: ")) << server_->output();
  EXPECT_TRUE(server_->wait_for_output("register: storing the user failed")) << server_->output();
  // Reads still work while writes fail: the registered user is there, the refused one is not.
  EXPECT_TRUE(served_within(port, 2s));

  set_file_size_limit(server_->pid(), RLIM_INFINITY);
  const auto refused_login = post_graphql(
      port, kLogin, {{"body", {{"email", "full@example.org"}, {"password", "Lantern-8812"}}}});
  EXPECT_EQ(refused_login.code(), "UNAUTHENTICATED") << boost::json::serialize(refused_login.body);
  // Space is back: the same registration now succeeds, without a restart.
  const auto again = post_graphql(port, kRegister, registration("full@example.org"));
  EXPECT_TRUE(again.errors().empty()) << boost::json::serialize(again.body) << server_->output();
  const auto login = post_graphql(
      port, kLogin, {{"body", {{"email", "full@example.org"}, {"password", "Lantern-8812"}}}});
  EXPECT_TRUE(login.errors().empty() || login.code() == "CONNECTYCUBE_NOT_CONFIGURED")
      << boost::json::serialize(login.body);
  EXPECT_FALSE(login.data().at("login").at("token").as_string().empty());
  EXPECT_EQ(server_->stop(SIGTERM), 0);
}

}  // namespace
}  // namespace cubeauth::testing
