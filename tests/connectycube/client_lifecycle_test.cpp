// The client's calls in a user's own session (profile, password, deletion) against the
// emulator, including the failures a retrying caller must be able to tell apart.
#include <gtest/gtest.h>

#include "connectycube/client.hpp"
#include "harness.hpp"

namespace cubeauth::connectycube {
namespace {

using testing::EmulatorThread;
using testing::run;
using Route = EmulatorThread::Route;

constexpr const char* kPassword = "Lantern-8812";

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

/// A signed-up user and a session of theirs.
Session signed_in(Client& client, const std::string& email) {
  auto id = run([&]() { return client.sign_up(email, kPassword, "Nadia K"); });
  EXPECT_TRUE(id) << id.error().message;
  auto session = run([&]() { return client.create_session_with_email(email, kPassword); });
  EXPECT_TRUE(session) << session.error().message;
  return session ? *session : Session{};
}

Result<User, Error> update(Client& client, const Session& session, UserUpdate change) {
  return run([&]() { return client.update_user(session.token, session.user_id, change); });
}

UserUpdate password_change(std::string old_password, std::string password) {
  return UserUpdate{std::nullopt, PasswordChange{std::move(old_password), std::move(password)}};
}

Result<void, Error> delete_in(Client& client, const std::string& token, std::int64_t user_id) {
  return run([&]() { return client.delete_user_in_session(token, user_id); });
}

std::size_t count_of(const boost::json::array& requests, std::string_view method) {
  return static_cast<std::size_t>(
      std::count_if(requests.begin(), requests.end(), [method](const boost::json::value& request) {
        return request.at("method").as_string() == method;
      }));
}

TEST(ClientUpdateUser, ChangesTheFullNameAndReturnsTheUser) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session session = signed_in(client, "nadia@example.org");
  auto user = update(client, session, UserUpdate{"Nadia Karimova", std::nullopt});
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(user->id, session.user_id);
  EXPECT_EQ(user->full_name, "Nadia Karimova");
  EXPECT_EQ(user->email, "nadia@example.org");
  EXPECT_EQ(user->login, "");  // null on the wire
  const auto sent = emulator.requests().back();
  EXPECT_EQ(sent.at("method").as_string(), "PUT");
  EXPECT_EQ(sent.at("path").as_string(), "/users/" + std::to_string(session.user_id) + ".json");
  EXPECT_EQ(sent.at("body").as_string(), R"({"user":{"full_name":"Nadia Karimova"}})");
  EXPECT_EQ(sent.at("headers").at("cb-token").as_string(), session.token);
}

TEST(ClientUpdateUser, ChangesThePasswordSendingTheOldOne) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session session = signed_in(client, "nadia@example.org");
  auto user = update(client, session, password_change(kPassword, "Harbour-4471"));
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(emulator.requests().back().at("body").as_string(),
            R"({"user":{"password":"Harbour-4471","old_password":"Lantern-8812"}})");
  auto old =
      run([&]() { return client.create_session_with_email("nadia@example.org", kPassword); });
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().kind, ErrorKind::kUnauthorized);
  auto fresh =
      run([&]() { return client.create_session_with_email("nadia@example.org", "Harbour-4471"); });
  EXPECT_TRUE(fresh) << fresh.error().message;
}

TEST(ClientUpdateUser, ReportsAWrongOldPasswordAsInvalidInputNamingTheField) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session session = signed_in(client, "nadia@example.org");
  auto user = update(client, session, password_change("Not-the-password", "Harbour-4471"));
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(user.error().http_status, 422);
  EXPECT_EQ(user.error().field_messages.at("old_password").at(0), "is invalid");
}

TEST(ClientUpdateUser, ReportsANewPasswordThatBreaksTheRules) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session session = signed_in(client, "nadia@example.org");
  auto user = update(client, session, password_change(kPassword, std::string(41, 'p')));
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(user.error().field_messages.at("password").at(0),
            "is too long (maximum is 40 characters)");
  EXPECT_EQ(user.error().field_messages.count("old_password"), 0u);
}

TEST(ClientUpdateUser, RefusesToChangeAnotherUser) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session nadia = signed_in(client, "nadia@example.org");
  const Session omar = signed_in(client, "omar@example.org");
  auto user = run([&]() {
    return client.update_user(nadia.token, omar.user_id, UserUpdate{"Mallory", {}});
  });
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, ErrorKind::kUnauthorized);
  EXPECT_EQ(user.error().http_status, 403);
  EXPECT_EQ(user.error().field_messages.at("base").at(0), "Forbidden. Need user.");
}

TEST(ClientUpdateUser, ReportsAnEndedSessionAs401) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session session = signed_in(client, "nadia@example.org");
  emulator.call("DELETE", "/session.json", "", {{"CB-Token", session.token}});
  auto user = update(client, session, UserUpdate{"Nadia", {}});
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, ErrorKind::kUnauthorized);
  EXPECT_EQ(user.error().http_status, 401);
}

TEST(ClientUpdateUser, NeverResendsAPasswordChange) {
  EmulatorThread emulator;
  Client client(options_for(emulator));  // max_retries = 2
  const Session session = signed_in(client, "nadia@example.org");
  emulator.fail_next(1, 503, Route{"PUT", "/users/*"});
  auto user = update(client, session, password_change(kPassword, "Harbour-4471"));
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(user.error().http_status, 503);
  EXPECT_EQ(count_of(emulator.requests(), "PUT"), 1u);
}

TEST(ClientUpdateUser, LeavesAPasswordChangeWhoseAnswerWasLostToTheCaller) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session session = signed_in(client, "nadia@example.org");
  emulator.drop_next(1, Route{"PUT", "/users/*", true});  // applied, then the answer is lost
  auto user = update(client, session, password_change(kPassword, "Harbour-4471"));
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(count_of(emulator.requests(), "PUT"), 1u);  // not resent: it would say "is invalid"
  // The outcome is knowable: the new password opens a session.
  auto fresh =
      run([&]() { return client.create_session_with_email("nadia@example.org", "Harbour-4471"); });
  EXPECT_TRUE(fresh) << fresh.error().message;
}

TEST(ClientUpdateUser, TimesOutAHangingPasswordChangeWithoutResending) {
  EmulatorThread emulator;
  ClientOptions options = options_for(emulator);
  options.response_timeout = std::chrono::milliseconds(100);
  Client client(options);
  const Session session = signed_in(client, "nadia@example.org");
  emulator.add_latency(1000, 1, Route{"PUT", "/users/*"});
  const auto started = std::chrono::steady_clock::now();
  auto user = update(client, session, password_change(kPassword, "Harbour-4471"));
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, ErrorKind::kUnavailable);
  EXPECT_NE(user.error().message.find("timed out"), std::string::npos) << user.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(900));
  EXPECT_EQ(count_of(emulator.requests(), "PUT"), 1u);
}

TEST(ClientUpdateUser, RetriesAFullNameUpdateThroughTransientFailures) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session session = signed_in(client, "nadia@example.org");
  emulator.fail_next(2, 500, Route{"PUT", "/users/*"});
  auto user = update(client, session, UserUpdate{"Nadia Karimova", std::nullopt});
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(count_of(emulator.requests(), "PUT"), 3u);
}

TEST(ClientDeleteUserInSession, DeletesTheUserAndEndsItsSessions) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session session = signed_in(client, "nadia@example.org");
  auto deleted = delete_in(client, session.token, session.user_id);
  ASSERT_TRUE(deleted) << deleted.error().message;
  auto [status, body] = emulator.call("GET", "/session.json", "", {{"CB-Token", session.token}});
  EXPECT_EQ(status, 401);
  auto again = run([&]() { return client.sign_up("nadia@example.org", kPassword, "N"); });
  EXPECT_TRUE(again) << again.error().message;  // the email is free again
}

TEST(ClientDeleteUserInSession, AnswersNotFoundWhenTheUserIsAlreadyGone) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session session = signed_in(client, "nadia@example.org");
  ASSERT_TRUE(delete_in(client, session.token, session.user_id));
  auto again = delete_in(client, session.token, session.user_id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(again.error().http_status, 404);
}

TEST(ClientDeleteUserInSession, ReportsAResentDeletionWhoseFirstAnswerWasLostAsNotFound) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session session = signed_in(client, "nadia@example.org");
  emulator.drop_next(1, Route{"DELETE", "/users/*", true});
  auto deleted = delete_in(client, session.token, session.user_id);
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().kind, ErrorKind::kNotFound) << deleted.error().message;
  EXPECT_EQ(count_of(emulator.requests(), "DELETE"), 2u);  // DELETE is resent
  auto [status, body] = emulator.call("GET", "/users/by_email.json?email=nadia%40example.org", "",
                                      {{"CB-Token", session.token}});
  EXPECT_EQ(status, 401);
}

TEST(ClientDeleteUserInSession, ReportsAnExpiredSessionOfAUserThatStillExistsAs401) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session session = signed_in(client, "nadia@example.org");
  emulator.call("DELETE", "/session.json", "", {{"CB-Token", session.token}});
  auto deleted = delete_in(client, session.token, session.user_id);
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().kind, ErrorKind::kUnauthorized);
  EXPECT_EQ(deleted.error().http_status, 401);
  auto fresh =
      run([&]() { return client.create_session_with_email("nadia@example.org", kPassword); });
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->user_id, session.user_id);  // still there
}

TEST(ClientDeleteUserInSession, ReportsUnavailableWhenItCannotTellWhetherTheUserIsGone) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session session = signed_in(client, "nadia@example.org");
  emulator.call("DELETE", "/session.json", "", {{"CB-Token", session.token}});
  emulator.fail_next(3, 503, Route{"POST", "/session"});  // the application session, 3 tries
  auto deleted = delete_in(client, session.token, session.user_id);
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(deleted.error().http_status, 503);
}

TEST(ClientDeleteUserInSession, RefusesToDeleteAnotherUser) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session nadia = signed_in(client, "nadia@example.org");
  const Session omar = signed_in(client, "omar@example.org");
  auto deleted = delete_in(client, nadia.token, omar.user_id);
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().kind, ErrorKind::kUnauthorized);
  EXPECT_EQ(deleted.error().http_status, 403);
}

TEST(ClientDeleteUserInSession, ReportsAnOutageAsUnavailableAndDeletesNothing) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session session = signed_in(client, "nadia@example.org");
  emulator.fail_next(3, 503, Route{"DELETE", "/users/*"});
  auto deleted = delete_in(client, session.token, session.user_id);
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().kind, ErrorKind::kUnavailable);
  EXPECT_TRUE(delete_in(client, session.token, session.user_id));  // the user was still there
}

}  // namespace
}  // namespace cubeauth::connectycube
