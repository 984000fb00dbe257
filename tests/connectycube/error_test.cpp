#include "connectycube/error.hpp"

#include <gtest/gtest.h>

namespace cubeauth::connectycube {
namespace {

TEST(ErrorFromResponse, ReadsTakenFromEmailOrLoginFieldErrors) {
  auto email = error_from_response(422, R"({"errors":{"email":["has already been taken"]}})");
  EXPECT_EQ(email.kind, ErrorKind::kTaken);
  EXPECT_EQ(email.field_messages.at("email").at(0), "has already been taken");
  auto login = error_from_response(422, R"({"errors":{"login":["is already in use"]}})");
  EXPECT_EQ(login.kind, ErrorKind::kTaken);
}

TEST(ErrorFromResponse, ReadsOther422sAsInvalidInputWithFields) {
  auto error = error_from_response(
      422, R"J({"errors":{"password":["is too short (minimum is 6 characters)"],"base":"x"}})J");
  EXPECT_EQ(error.kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(error.http_status, 422);
  EXPECT_EQ(error.field_messages.at("password").at(0), "is too short (minimum is 6 characters)");
  EXPECT_EQ(error.field_messages.at("base").at(0), "x");
  // "taken" on another field is not a taken email or login.
  EXPECT_EQ(error_from_response(422, R"({"errors":{"phone":["has already been taken"]}})").kind,
            ErrorKind::kInvalidInput);
}

TEST(ErrorFromResponse, KeepsAnArrayOfErrorsUnderBase) {
  auto error = error_from_response(401, R"({"errors":["Invalid password"]})");
  EXPECT_EQ(error.kind, ErrorKind::kUnauthorized);
  EXPECT_EQ(error.field_messages.at("base").at(0), "Invalid password");
  EXPECT_NE(error.message.find("Invalid password"), std::string::npos);
}

TEST(ErrorFromResponse, MapsStatuses) {
  EXPECT_EQ(error_from_response(400, "").kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(error_from_response(403, "").kind, ErrorKind::kUnauthorized);
  EXPECT_EQ(error_from_response(404, "").kind, ErrorKind::kNotFound);
  EXPECT_EQ(error_from_response(429, "").kind, ErrorKind::kUnavailable);
  EXPECT_EQ(error_from_response(500, "").kind, ErrorKind::kUnavailable);
  EXPECT_EQ(error_from_response(503, "<html>").kind, ErrorKind::kUnavailable);
  EXPECT_EQ(error_from_response(302, "").kind, ErrorKind::kInvalidResponse);
  EXPECT_EQ(error_from_response(418, "").kind, ErrorKind::kInvalidResponse);
}

TEST(ErrorFromResponse, IgnoresBodiesOfOtherShapes) {
  for (const char* body : {"", "not json", "[1]", R"({"error":"x"})", R"({"errors":42})",
                           R"({"errors":{"a":[1,null]}})"}) {
    EXPECT_TRUE(error_from_response(422, body).field_messages.empty()) << body;
  }
}

TEST(ErrorKindNames, AreStable) {
  EXPECT_EQ(to_string(ErrorKind::kTaken), "taken");
  EXPECT_EQ(to_string(ErrorKind::kInvalidInput), "invalid_input");
  EXPECT_EQ(to_string(ErrorKind::kUnauthorized), "unauthorized");
  EXPECT_EQ(to_string(ErrorKind::kNotFound), "not_found");
  EXPECT_EQ(to_string(ErrorKind::kUnavailable), "unavailable");
  EXPECT_EQ(to_string(ErrorKind::kInvalidResponse), "invalid_response");
}

}  // namespace
}  // namespace cubeauth::connectycube
