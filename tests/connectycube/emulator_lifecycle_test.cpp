// The emulator's rules for a user changing or deleting itself (PUT and DELETE /users/{id}),
// and fault rules aimed at one route.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "harness.hpp"

namespace cubeauth::connectycube {
namespace {

namespace json = boost::json;
using testing::EmulatorThread;
using Route = EmulatorThread::Route;
using Headers = std::vector<std::pair<std::string, std::string>>;

const Headers kAuthKey = {{"CB-AuthKey", "Xk2pQr7sTuVw9yZ"}};

/// Signs `email` up and returns a session token of theirs.
std::string user_token(EmulatorThread& emulator, const std::string& email,
                       const std::string& password = "Lantern-8812") {
  const std::string credentials =
      R"({"email":")" + email + R"(","password":")" + password + R"("})";
  emulator.call("POST", "/users.json", R"({"user":)" + credentials + "}", kAuthKey);
  auto [status, body] = emulator.call(
      "POST", "/session.json",
      R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ","user":)" + credentials + "}");
  EXPECT_EQ(status, 201) << json::serialize(body);
  return std::string(body.at("session").at("token").as_string());
}

std::string app_token(EmulatorThread& emulator) {
  auto [status, body] = emulator.call("POST", "/session.json",
                                      R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ"})");
  EXPECT_EQ(status, 201);
  return std::string(body.at("session").at("token").as_string());
}

std::pair<int, json::value> put_user(EmulatorThread& emulator, const std::string& token,
                                     std::int64_t id, const std::string& user) {
  return emulator.call("PUT", "/users/" + std::to_string(id) + ".json", R"({"user":)" + user + "}",
                       {{"CB-Token", token}});
}

int session_status(EmulatorThread& emulator, const std::string& email,
                   const std::string& password) {
  return emulator
      .call("POST", "/session.json",
            R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ","user":{"email":")" + email +
                R"(","password":")" + password + R"("}})")
      .first;
}

TEST(EmulatorUpdateUser, ChangesTheFullNameAndAnswersTheWholeUserWithNulls) {
  EmulatorThread emulator;
  const std::string token = user_token(emulator, "nadia@example.org");
  auto [status, body] = put_user(emulator, token, 100001, R"({"full_name":"Nadia Karimova"})");
  ASSERT_EQ(status, 200) << json::serialize(body);
  const auto& user = body.at("user").as_object();
  EXPECT_EQ(user.at("id").as_int64(), 100001);
  EXPECT_EQ(user.at("full_name").as_string(), "Nadia Karimova");
  EXPECT_EQ(user.at("email").as_string(), "nadia@example.org");
  for (const char* field : {"login", "phone", "website", "custom_data", "external_id"}) {
    ASSERT_TRUE(user.contains(field)) << field;
    EXPECT_TRUE(user.at(field).is_null()) << field;
  }
  EXPECT_EQ(user.if_contains("password"), nullptr);
  auto [got, got_body] = emulator.call("GET", "/users/100001.json", "", {{"CB-Token", token}});
  EXPECT_EQ(got_body.at("user").at("full_name").as_string(), "Nadia Karimova");
}

TEST(EmulatorUpdateUser, AcceptsAFormBodyWithBrackets) {
  EmulatorThread emulator;
  const std::string token = user_token(emulator, "nadia@example.org");
  auto [status, body] =
      emulator.call("PUT", "/users/100001?user%5Bfull_name%5D=Nadia+K", "", {{"CB-Token", token}});
  ASSERT_EQ(status, 200) << json::serialize(body);
  EXPECT_EQ(body.at("user").at("full_name").as_string(), "Nadia K");
}

TEST(EmulatorUpdateUser, ChecksTheFullNameLength) {
  EmulatorThread emulator;
  const std::string token = user_token(emulator, "nadia@example.org");
  auto [empty, empty_body] = put_user(emulator, token, 100001, R"({"full_name":""})");
  EXPECT_EQ(empty, 422);
  EXPECT_EQ(empty_body.at("errors").at("full_name").at(0).as_string(),
            "is too short (minimum is 1 characters)");
  auto [longer, long_body] =
      put_user(emulator, token, 100001, R"({"full_name":")" + std::string(201, 'n') + "\"}");
  EXPECT_EQ(longer, 422);
  EXPECT_EQ(long_body.at("errors").at("full_name").at(0).as_string(),
            "is too long (maximum is 200 characters)");
  // 200 characters of two bytes each are still 200 characters.
  std::string accents;
  for (int i = 0; i < 200; ++i) {
    accents += "\xC3\xA9";
  }
  EXPECT_EQ(put_user(emulator, token, 100001, R"({"full_name":")" + accents + "\"}").first, 200);
}

TEST(EmulatorUpdateUser, ChangesThePasswordOnlyWithTheRightOldOne) {
  EmulatorThread emulator;
  const std::string token = user_token(emulator, "nadia@example.org");
  auto [missing, missing_body] =
      put_user(emulator, token, 100001, R"({"password":"Harbour-4471"})");
  EXPECT_EQ(missing, 422);
  EXPECT_EQ(missing_body.at("errors").at("old_password").at(0).as_string(), "can't be blank");
  auto [wrong, wrong_body] = put_user(emulator, token, 100001,
                                      R"({"password":"Harbour-4471","old_password":"Nope-1234"})");
  EXPECT_EQ(wrong, 422);
  EXPECT_EQ(wrong_body.at("errors").at("old_password").at(0).as_string(), "is invalid");
  EXPECT_EQ(session_status(emulator, "nadia@example.org", "Harbour-4471"), 401);  // unchanged
  auto [right, right_body] = put_user(
      emulator, token, 100001, R"({"password":"Harbour-4471","old_password":"Lantern-8812"})");
  EXPECT_EQ(right, 200) << json::serialize(right_body);
  EXPECT_EQ(session_status(emulator, "nadia@example.org", "Harbour-4471"), 201);
  EXPECT_EQ(session_status(emulator, "nadia@example.org", "Lantern-8812"), 401);
}

TEST(EmulatorUpdateUser, AppliesTheConfiguredPasswordLengths) {
  auto options = EmulatorThread::default_options();
  options.password_min = 10;
  options.password_max = 12;
  EmulatorThread emulator(options);
  const std::string token = user_token(emulator, "nadia@example.org", "Lantern-8812");
  auto [short_status, short_body] =
      put_user(emulator, token, 100001, R"({"password":"Harbour","old_password":"Lantern-8812"})");
  EXPECT_EQ(short_status, 422);
  EXPECT_EQ(short_body.at("errors").at("password").at(0).as_string(),
            "is too short (minimum is 10 characters)");
  auto [long_status, long_body] = put_user(
      emulator, token, 100001, R"({"password":"Harbour-44710","old_password":"Lantern-8812"})");
  EXPECT_EQ(long_status, 422);
  EXPECT_EQ(long_body.at("errors").at("password").at(0).as_string(),
            "is too long (maximum is 12 characters)");
  // Nothing is applied when any field is refused.
  auto [mixed, mixed_body] =
      put_user(emulator, token, 100001,
               R"({"full_name":"Nadia","password":"Harbour","old_password":"Lantern-8812"})");
  EXPECT_EQ(mixed, 422);
  auto [got, got_body] = emulator.call("GET", "/users/100001", "", {{"CB-Token", token}});
  EXPECT_TRUE(got_body.at("user").at("full_name").is_null());
}

TEST(EmulatorUpdateUser, LetsOnlyTheUsersOwnSessionChangeIt) {
  EmulatorThread emulator;
  const std::string nadia = user_token(emulator, "nadia@example.org");
  user_token(emulator, "omar@example.org");
  for (const auto& [token, id] :
       std::vector<std::pair<std::string, int>>{{nadia, 100002}, {app_token(emulator), 100001}}) {
    auto [status, body] = put_user(emulator, token, id, R"({"full_name":"Mallory"})");
    EXPECT_EQ(status, 403);
    EXPECT_EQ(json::serialize(body), R"({"errors":{"base":["Forbidden. Need user."]}})");
  }
  auto [no_token, no_token_body] =
      emulator.call("PUT", "/users/100001.json", R"({"user":{"full_name":"x"}})");
  EXPECT_EQ(no_token, 401);
}

TEST(EmulatorDeleteUser, AnswersAnEmptyOkAndEndsEverySessionOfTheUser) {
  EmulatorThread emulator;
  const std::string first = user_token(emulator, "nadia@example.org");
  auto [created, second_body] = emulator.call(
      "POST", "/session.json",
      R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ","user":{"email":"nadia@example.org","password":"Lantern-8812"}})");
  ASSERT_EQ(created, 201);
  const std::string second(second_body.at("session").at("token").as_string());
  auto [status, body] = emulator.call("DELETE", "/users/100001.json", "", {{"CB-Token", first}});
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body, json::value(""));
  for (const std::string& token : {first, second}) {
    EXPECT_EQ(emulator.call("GET", "/session.json", "", {{"CB-Token", token}}).first, 401);
  }
  auto [lookup, lookup_body] =
      emulator.call("GET", "/users/100001.json", "", {{"CB-Token", app_token(emulator)}});
  EXPECT_EQ(lookup, 404);
}

TEST(EmulatorFaultRoutes, HitOnlyTheMatchingMethodAndPath) {
  EmulatorThread emulator;
  const std::string token = user_token(emulator, "nadia@example.org");
  emulator.fail_next(1, 500, Route{"PUT", "/users/*"});
  // Other routes and methods pass untouched and leave the rule armed.
  EXPECT_EQ(emulator.call("GET", "/users/100001.json", "", {{"CB-Token", token}}).first, 200);
  EXPECT_EQ(emulator.call("GET", "/session", "", {{"CB-Token", token}}).first, 200);
  auto [failed, failed_body] = put_user(emulator, token, 100001, R"({"full_name":"A"})");
  EXPECT_EQ(failed, 500);
  EXPECT_EQ(failed_body.at("errors").at(0).as_string(), "Emulated failure");
  EXPECT_EQ(put_user(emulator, token, 100001, R"({"full_name":"B"})").first, 200);
}

TEST(EmulatorFaultRoutes, StarStaysWithinOnePathSegment) {
  EmulatorThread emulator;
  const std::string token = user_token(emulator, "nadia@example.org");
  emulator.fail_next(-1, 502, Route{"", "/users/*"});
  EXPECT_EQ(emulator.call("GET", "/users/100001", "", {{"CB-Token", token}}).first, 502);
  EXPECT_EQ(emulator.call("GET", "/users/by_email.json?email=x", "", {{"CB-Token", token}}).first,
            502);
  EXPECT_EQ(emulator.call("GET", "/session.json", "", {{"CB-Token", token}}).first, 200);
  EXPECT_EQ(emulator.call("GET", "/users/1/x", "", {{"CB-Token", token}}).first, 404);
  emulator.fail_next(0, 502, Route{"", "/users/*"});  // count 0 removes the rule
  EXPECT_EQ(emulator.call("GET", "/users/100001", "", {{"CB-Token", token}}).first, 200);
}

TEST(EmulatorFaultRoutes, AFailureAfterTheEffectAppliesTheChange) {
  EmulatorThread emulator;
  const std::string token = user_token(emulator, "nadia@example.org");
  emulator.fail_next(1, 503, Route{"PUT", "/users/*", true});
  EXPECT_EQ(put_user(emulator, token, 100001, R"({"full_name":"Applied"})").first, 503);
  auto [got, got_body] = emulator.call("GET", "/users/100001", "", {{"CB-Token", token}});
  EXPECT_EQ(got_body.at("user").at("full_name").as_string(), "Applied");
}

TEST(EmulatorFaultRoutes, ADropBeforeTheEffectChangesNothing) {
  EmulatorThread emulator;
  const std::string token = user_token(emulator, "nadia@example.org");
  emulator.drop_next(1, Route{"DELETE", "/users/*"});
  EXPECT_THROW(emulator.call("DELETE", "/users/100001", "", {{"CB-Token", token}}),
               std::runtime_error);
  EXPECT_EQ(emulator.call("GET", "/users/100001", "", {{"CB-Token", token}}).first, 200);
  emulator.drop_next(1, Route{"DELETE", "/users/*", true});
  EXPECT_THROW(emulator.call("DELETE", "/users/100001", "", {{"CB-Token", token}}),
               std::runtime_error);
  EXPECT_EQ(emulator.call("GET", "/session", "", {{"CB-Token", token}}).first, 401);  // gone
}

TEST(EmulatorFaultRoutes, ResetClearsRouteRules) {
  EmulatorThread emulator;
  emulator.fail_next(-1, 500, Route{"POST", "/session"});
  EXPECT_EQ(
      emulator
          .call("POST", "/session.json", R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ"})")
          .first,
      500);
  emulator.reset();
  EXPECT_EQ(app_token(emulator).size(), 36u);
}

}  // namespace
}  // namespace cubeauth::connectycube
