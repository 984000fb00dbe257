#include "connectycube/client.hpp"

#include <gtest/gtest.h>

#include "harness.hpp"

namespace cubeauth::connectycube {
namespace {

using testing::EmulatorThread;
using testing::run;

ClientOptions options_for(const EmulatorThread& emulator) {
  ClientOptions options;
  options.api_url = emulator.url();
  options.app_id = "5120";
  options.auth_key = "Xk2pQr7sTuVw9yZ";
  options.connect_timeout = std::chrono::milliseconds(500);
  options.response_timeout = std::chrono::milliseconds(300);
  options.retry_backoff = std::chrono::milliseconds(1);
  return options;
}

Result<std::int64_t, Error> sign_up(Client& client, std::string email,
                                    std::string password = "Lantern-8812") {
  return run([&]() { return client.sign_up(email, password, "Nadia K"); });
}

Result<Session, Error> session_by_email(Client& client, std::string email,
                                        std::string password = "Lantern-8812") {
  return run([&]() { return client.create_session_with_email(email, password); });
}

TEST(Client, SignsUpAndReturnsIncreasingIds) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  auto first = sign_up(client, "nadia@example.org");
  auto second = sign_up(client, "omar@example.org");
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_GT(*second, *first);
}

TEST(Client, CreatesASessionWithEmailForTheSignedUpUser) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  auto id = sign_up(client, "nadia@example.org");
  ASSERT_TRUE(id);
  auto session = session_by_email(client, "nadia@example.org");
  ASSERT_TRUE(session) << session.error().message;
  EXPECT_EQ(session->user_id, *id);
  EXPECT_EQ(session->token.size(), 36u);
}

TEST(Client, CreatesASessionWithLogin) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  auto session = run([&]() { return client.create_session_with_login("nadia.k", "Lantern-8812"); });
  ASSERT_TRUE(session) << session.error().message;  // auto-create is on by default
  EXPECT_GT(session->user_id, 0);
}

TEST(Client, ReportsATakenEmail) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  ASSERT_TRUE(sign_up(client, "nadia@example.org"));
  auto again = sign_up(client, "nadia@example.org");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::kTaken);
  EXPECT_EQ(again.error().http_status, 422);
  EXPECT_EQ(again.error().field_messages.at("email").at(0), "has already been taken");
}

TEST(Client, ReportsInvalidInputWithTheServicesFieldMessages) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  auto result = sign_up(client, "nadia@example.org", "short");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(result.error().field_messages.at("password").at(0),
            "is too short (minimum is 6 characters)");
}

TEST(Client, ReportsAWrongPasswordAsUnauthorized) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  ASSERT_TRUE(sign_up(client, "nadia@example.org"));
  auto session = session_by_email(client, "nadia@example.org", "Wrong-password-1");
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kUnauthorized);
  EXPECT_EQ(session.error().http_status, 401);
}

TEST(Client, ReportsWrongAppCredentialsAsUnauthorized) {
  EmulatorThread emulator;
  ClientOptions options = options_for(emulator);
  options.auth_key = "not-the-key";
  Client client(options);
  auto signed_up = sign_up(client, "nadia@example.org");
  ASSERT_FALSE(signed_up);
  EXPECT_EQ(signed_up.error().kind, ErrorKind::kUnauthorized);
  auto session = session_by_email(client, "nadia@example.org");
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kUnauthorized);
}

TEST(Client, ReportsAnUnknownUserAsNotFoundWhenAutoCreateIsOff) {
  auto emulator_options = EmulatorThread::default_options();
  emulator_options.auto_create = false;
  EmulatorThread emulator(emulator_options);
  Client client(options_for(emulator));
  auto session = session_by_email(client, "nobody@example.org");
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kNotFound);
}

TEST(Client, DeletesAUserSoThatTheEmailCanSignUpAgain) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  auto id = sign_up(client, "nadia@example.org");
  ASSERT_TRUE(id);
  auto deleted =
      run([&]() { return client.delete_user(*id, "nadia@example.org", "Lantern-8812"); });
  ASSERT_TRUE(deleted) << deleted.error().message;
  auto again = sign_up(client, "nadia@example.org");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_NE(*again, *id);
  const auto requests = emulator.requests();
  const auto& deletion = requests.at(2).as_object();  // sign-up, session, delete, sign-up
  EXPECT_EQ(deletion.at("method").as_string(), "DELETE");
  EXPECT_EQ(deletion.at("path").as_string(), "/users/" + std::to_string(*id) + ".json");
}

TEST(Client, RefusesToDeleteSomeoneElse) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  auto nadia = sign_up(client, "nadia@example.org");
  auto omar = sign_up(client, "omar@example.org");
  ASSERT_TRUE(nadia && omar);
  auto deleted =
      run([&]() { return client.delete_user(*omar, "nadia@example.org", "Lantern-8812"); });
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().kind, ErrorKind::kUnauthorized);
  EXPECT_EQ(deleted.error().http_status, 403);
}

TEST(Client, RetriesSessionCreationThroughTransientFailures) {
  EmulatorThread emulator;
  Client client(options_for(emulator));  // max_retries = 2
  emulator.fail_next(2, 503);
  auto session = session_by_email(client, "nadia@example.org");
  ASSERT_TRUE(session) << session.error().message;
  EXPECT_EQ(emulator.requests().size(), 3u);
}

TEST(Client, GivesUpAfterTheLastRetryWithUnavailable) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  emulator.fail_next(3, 500);
  auto session = session_by_email(client, "nadia@example.org");
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(session.error().http_status, 500);
  EXPECT_EQ(emulator.requests().size(), 3u);
}

TEST(Client, NeverRetriesASignUp) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  emulator.fail_next(1, 503);
  auto result = sign_up(client, "nadia@example.org");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(emulator.requests().size(), 1u);
}

TEST(Client, MapsTooManyRequestsToUnavailable) {
  EmulatorThread emulator;
  ClientOptions options = options_for(emulator);
  options.max_retries = 0;
  Client client(options);
  emulator.fail_next(1, 429);
  auto session = session_by_email(client, "nadia@example.org");
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kUnavailable);
}

TEST(Client, TimesOutASlowAnswer) {
  EmulatorThread emulator;
  ClientOptions options = options_for(emulator);
  options.max_retries = 0;
  options.response_timeout = std::chrono::milliseconds(100);
  Client client(options);
  emulator.add_latency(1000, 1);
  const auto started = std::chrono::steady_clock::now();
  auto session = session_by_email(client, "nadia@example.org");
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kUnavailable);
  EXPECT_NE(session.error().message.find("timed out"), std::string::npos)
      << session.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(900));
}

TEST(Client, RetriesASessionAfterATimeout) {
  EmulatorThread emulator;
  ClientOptions options = options_for(emulator);
  options.response_timeout = std::chrono::milliseconds(150);
  Client client(options);
  emulator.add_latency(600, 1);  // only the first request is slow
  auto session = session_by_email(client, "nadia@example.org");
  ASSERT_TRUE(session) << session.error().message;
}

TEST(Client, ReportsADroppedConnectionAsUnavailableForASignUp) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  emulator.drop_next(1);
  auto result = sign_up(client, "nadia@example.org");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(result.error().http_status, 0);
}

TEST(Client, RetriesASessionAfterADroppedConnection) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  emulator.drop_next(2);
  auto session = session_by_email(client, "nadia@example.org");
  ASSERT_TRUE(session) << session.error().message;
  EXPECT_EQ(emulator.requests().size(), 3u);
}

TEST(Client, ReportsARefusedConnectionAsUnavailable) {
  std::string url;
  {
    EmulatorThread emulator;
    url = emulator.url();
  }  // closed: nothing listens on that port now
  ClientOptions options;
  options.api_url = url;
  options.app_id = "5120";
  options.auth_key = "k";
  options.retry_backoff = std::chrono::milliseconds(1);
  Client client(options);
  auto session = run([&]() { return client.create_session_with_email("a@b.io", "Lantern-8812"); });
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kUnavailable);
  EXPECT_NE(session.error().message.find("cannot connect"), std::string::npos);
}

TEST(Client, FailsEveryCallClearlyWithABadApiUrl) {
  ClientOptions options;
  options.api_url = "ftp://example.org";
  options.app_id = "1";
  options.auth_key = "k";
  EXPECT_FALSE(check_options(options));
  Client client(options);
  auto session = run([&]() { return client.create_session_with_email("a@b.io", "Lantern-8812"); });
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kUnavailable);
}

TEST(Client, ChecksThatAppCredentialsAreSet) {
  ClientOptions options;
  EXPECT_FALSE(check_options(options));
  options.app_id = "1";
  options.auth_key = "k";
  EXPECT_TRUE(check_options(options));
}

TEST(Client, WorksFromSeveralIoContextsAtOnce) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  std::vector<std::thread> threads;
  std::atomic<int> succeeded{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        auto session = session_by_email(
            client, "user" + std::to_string(t) + "-" + std::to_string(i) + "@example.org");
        succeeded += session ? 1 : 0;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(succeeded.load(), 20);
}

}  // namespace
}  // namespace cubeauth::connectycube
