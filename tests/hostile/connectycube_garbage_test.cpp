// ConnectyCube answering garbage or too slowly at registration: the client gets a clear code,
// no local user is left behind, the log says what happened, and the next registration works
// once ConnectyCube is healthy again (the same process, no restart).
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <csignal>

#include "e2e/api_client.hpp"
#include "hostile/fault_support.hpp"

namespace cubeauth::testing {
namespace {

using namespace std::chrono_literals;

boost::json::object credentials(const std::string& email) {
  return {{"body", {{"email", email}, {"password", "Lantern-8812"}}}};
}

struct Garbage {
  const char* name;
  std::string bytes;
};

class FaultConnectyCubeGarbage : public ::testing::TestWithParam<Garbage> {};

TEST_P(FaultConnectyCubeGarbage, RefusesTheRegistrationCleanlyAndTheNextOneWorks) {
  EmulatorProcess emulator;
  GarbageProxy proxy(emulator.port());
  TempDir dir;
  auto server = start_cubeauth(fault_environment(proxy.url(), dir.path() + "/cubeauth.db"));
  const std::string email = std::string(GetParam().name) + "@example.org";

  proxy.set_garbage(GetParam().bytes);
  const auto refused = post_graphql(server->port(), kRegister, registration(email));
  ASSERT_EQ(refused.status, 200u);
  ASSERT_EQ(refused.errors().size(), 1u) << boost::json::serialize(refused.body);
  EXPECT_EQ(refused.code(), "CONNECTYCUBE_UNAVAILABLE");
  EXPECT_GE(proxy.garbage_answers(), 1);
  EXPECT_TRUE(server->wait_for_output("register: ConnectyCube sign-up failed")) << server->output();
  // Nothing of the garbage reaches the client.
  EXPECT_EQ(boost::json::serialize(refused.body).find("<html"), std::string::npos);
  EXPECT_EQ(post_graphql(server->port(), kLogin, credentials(email)).code(), "UNAUTHENTICATED");

  proxy.set_garbage({});
  const auto registered = post_graphql(server->port(), kRegister, registration(email));
  ASSERT_TRUE(registered.errors().empty())
      << boost::json::serialize(registered.body) << server->output();
  const auto login = post_graphql(server->port(), kLogin, credentials(email));
  ASSERT_TRUE(login.errors().empty()) << boost::json::serialize(login.body);
  EXPECT_TRUE(login.data().at("login").at("ccUserId").is_number());
  EXPECT_EQ(server->stop(SIGTERM), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Answers, FaultConnectyCubeGarbage,
    ::testing::Values(
        Garbage{"invalid_json", http_answer(201, "application/json", R"({"user":{"id":12,)")},
        Garbage{"wrong_types",
                http_answer(201, "application/json", R"({"user":{"id":"twelve","login":7}})")},
        Garbage{"array", http_answer(201, "application/json", "[1,2,3]")},
        Garbage{"html_502", http_answer(502, "text/html",
                                        "<html><body><h1>502 Bad Gateway</h1></body></html>")},
        Garbage{"not_http", std::string("SSH-2.0-OpenSSH_9.2\r\n")},
        Garbage{"truncated",
                http_answer(201, "application/json", R"({"user":{"id":12}})").substr(0, 60)}),
    [](const ::testing::TestParamInfo<Garbage>& info) { return std::string(info.param.name); });

TEST(FaultConnectyCubeSlow, ASignUpSlowerThanTheTimeoutIsRefusedAndLeavesNoLocalUser) {
  EmulatorProcess emulator({"--auto-create=false"});
  TempDir dir;
  auto environment = fault_environment(emulator.url(), dir.path() + "/cubeauth.db");
  environment["CONNECTYCUBE_TIMEOUT"] = "300ms";
  auto server = start_cubeauth(environment);
  emulator.control("latency", R"({"ms":1000,"count":1,"method":"POST","path":"/users"})");

  const auto started = std::chrono::steady_clock::now();
  const auto refused = post_graphql(server->port(), kRegister, registration("slow@example.org"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 900ms);
  ASSERT_EQ(refused.errors().size(), 1u) << boost::json::serialize(refused.body);
  EXPECT_EQ(refused.code(), "CONNECTYCUBE_UNAVAILABLE");
  EXPECT_TRUE(server->wait_for_output("register: ConnectyCube sign-up failed")) << server->output();
  EXPECT_EQ(post_graphql(server->port(), kLogin, credentials("slow@example.org")).code(),
            "UNAUTHENTICATED");

  // The late sign-up may still land on ConnectyCube; registering again adopts that user
  // (same email and password), so nothing is left over on either side.
  std::this_thread::sleep_for(800ms);
  const auto registered = post_graphql(server->port(), kRegister, registration("slow@example.org"));
  ASSERT_TRUE(registered.errors().empty())
      << boost::json::serialize(registered.body) << server->output();
  const auto login = post_graphql(server->port(), kLogin, credentials("slow@example.org"));
  ASSERT_TRUE(login.errors().empty()) << boost::json::serialize(login.body);
  EXPECT_TRUE(login.data().at("login").at("ccUserId").is_number());
  EXPECT_EQ(server->stop(SIGTERM), 0);
}

}  // namespace
}  // namespace cubeauth::testing
