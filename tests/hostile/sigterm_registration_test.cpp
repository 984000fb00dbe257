// SIGTERM while a registration waits on a slow ConnectyCube (the emulator delays the
// sign-up): the server drains, exits 0, the client gets its answer, and the user exists
// whole on both sides afterwards, or not at all.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <csignal>
#include <future>

#include "e2e/api_client.hpp"
#include "hostile/fault_support.hpp"

namespace cubeauth::testing {
namespace {

using namespace std::chrono_literals;

boost::json::object credentials(const std::string& email) {
  return {{"body", {{"email", email}, {"password", "Lantern-8812"}}}};
}

/// Waits until the emulator has received a sign-up (POST /users).
bool sign_up_reached(EmulatorProcess& emulator) {
  for (int i = 0; i < 250; ++i) {
    if (emulator.count_requests("POST", "/users") > 0) {
      return true;
    }
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

TEST(FaultSigterm, FinishesARegistrationInFlightAndLeavesTheUserWholeOnBothSides) {
  EmulatorProcess emulator({"--auto-create=false"});
  TempDir dir;
  const auto environment = fault_environment(emulator.url(), dir.path() + "/cubeauth.db");
  auto server = start_cubeauth(environment);
  emulator.control("latency", R"({"ms":1500,"count":1,"method":"POST","path":"/users"})");

  const std::uint16_t port = server->port();
  auto answer = std::async(std::launch::async, [port] {
    return post_graphql(port, kRegister, registration("inflight@example.org"));
  });
  ASSERT_TRUE(sign_up_reached(emulator));
  ASSERT_EQ(::kill(server->pid(), SIGTERM), 0);

  const GraphqlAnswer registered = answer.get();
  EXPECT_EQ(server->wait_exit(15s), 0) << server->output();
  EXPECT_NE(server->output().find("draining"), std::string::npos);
  ASSERT_EQ(registered.status, 200u) << server->output();
  ASSERT_TRUE(registered.errors().empty()) << boost::json::serialize(registered.body);

  // A new process on the same file: the user logs in, and the ConnectyCube session it gets
  // (the emulator creates no users at login here) is the one of the stored ConnectyCube id.
  auto restarted = start_cubeauth(environment);
  const auto login = post_graphql(restarted->port(), kLogin, credentials("inflight@example.org"));
  ASSERT_TRUE(login.errors().empty()) << boost::json::serialize(login.body);
  EXPECT_TRUE(login.data().at("login").at("ccUserId").is_number());
  EXPECT_EQ(emulator.count_requests("POST", "/users"), 1u);
  EXPECT_EQ(restarted->stop(SIGTERM), 0);
}

/// Whether the sign-up that was in flight when the process stopped reached ConnectyCube.
struct CutSignUp {
  const char* name;
  bool lands;
};

class FaultSigtermCut : public ::testing::TestWithParam<CutSignUp> {};

TEST_P(FaultSigtermCut, ARegistrationCutAtTheShutdownDeadlineIsCompletedAtTheNextLogin) {
  EmulatorProcess emulator({"--auto-create=false"});
  TempDir dir;
  const auto environment = fault_environment(emulator.url(), dir.path() + "/cubeauth.db");
  auto cut = environment;
  cut["CUBEAUTH_SHUTDOWN_TIMEOUT"] = "200ms";
  auto server = start_cubeauth(cut);
  // Longer than the shutdown deadline: the process ends while the sign-up is in flight. The
  // emulator then either creates the user (its answer reaches no one) or refuses it.
  emulator.control("latency", R"({"ms":1000,"count":1,"method":"POST","path":"/users"})");
  if (!GetParam().lands) {
    emulator.control("fail", R"({"count":1,"status":503,"method":"POST","path":"/users"})");
  }

  const std::uint16_t port = server->port();
  auto answer = std::async(std::launch::async, [port] {
    return post_graphql(port, kRegister, registration("cut@example.org"));
  });
  ASSERT_TRUE(sign_up_reached(emulator));
  ASSERT_EQ(::kill(server->pid(), SIGTERM), 0);
  EXPECT_EQ(server->wait_exit(15s), 0) << server->output();
  const GraphqlAnswer registered = answer.get();
  EXPECT_EQ(registered.status, 0u) << "the connection is closed without an answer";
  EXPECT_NE(server->output().find("still busy"), std::string::npos) << server->output();

  // The local user exists without its ConnectyCube user (the process stopped in between).
  // Its first login completes the registration: one whole user on both sides.
  std::this_thread::sleep_for(1200ms);  // the emulator's delayed sign-up has been handled
  auto restarted = start_cubeauth(environment);
  const auto again = post_graphql(restarted->port(), kRegister, registration("cut@example.org"));
  EXPECT_EQ(again.code(), "EMAIL_ALREADY_EXISTS");
  const auto login = post_graphql(restarted->port(), kLogin, credentials("cut@example.org"));
  ASSERT_TRUE(login.errors().empty()) << boost::json::serialize(login.body) << "\n"
                                      << restarted->output();
  EXPECT_TRUE(login.data().at("login").at("ccUserId").is_number());
  EXPECT_FALSE(login.data().at("login").at("connectySession").is_null());
  EXPECT_TRUE(restarted->wait_for_output(GetParam().lands ? "(not stored before)"
                                                          : "its registration was cut short"))
      << restarted->output();
  // The id is stored: the next login needs no sign-up.
  const auto second = post_graphql(restarted->port(), kLogin, credentials("cut@example.org"));
  EXPECT_EQ(second.data().at("login").at("ccUserId"), login.data().at("login").at("ccUserId"));
  EXPECT_EQ(restarted->stop(SIGTERM), 0);
}

INSTANTIATE_TEST_SUITE_P(SignUps, FaultSigtermCut,
                         ::testing::Values(CutSignUp{"LandedOnConnectyCube", true},
                                           CutSignUp{"NeverReachedConnectyCube", false}),
                         [](const ::testing::TestParamInfo<CutSignUp>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace cubeauth::testing
