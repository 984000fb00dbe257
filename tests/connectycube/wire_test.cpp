#include "connectycube/wire.hpp"

#include <gtest/gtest.h>

namespace cubeauth::connectycube {
namespace {

const Endpoint kEndpoint{true, "api.connectycube.com", "443", "", ""};

std::string header(const OutgoingRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) {
      return value;
    }
  }
  return "<absent>";
}

TEST(Wire, SignUpIsWhatTheSdkSends) {
  auto request =
      wire::sign_up(kEndpoint, "Xk2pQr7sTuVw9yZ", "nadia@example.org", "Lantern-8812", "Nadia K");
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/users.json");
  EXPECT_EQ(
      request.body,
      R"({"user":{"email":"nadia@example.org","password":"Lantern-8812","full_name":"Nadia K"}})");
  EXPECT_EQ(header(request, "Content-Type"), "application/json;charset=utf-8");
  EXPECT_EQ(header(request, "CB-SDK"), "JS 6.1.2 - Client");
  EXPECT_EQ(header(request, "CB-AuthKey"), "Xk2pQr7sTuVw9yZ");
  EXPECT_EQ(header(request, "CB-Token"), "<absent>");
  EXPECT_FALSE(request.retry_safe);
}

TEST(Wire, SessionSendsANumericAppIdAsANumber) {
  auto request = wire::create_session(kEndpoint, "5120", "Xk2pQr7sTuVw9yZ", "login", "nadia.k",
                                      "Lantern-8812");
  EXPECT_EQ(request.target, "/session.json");
  EXPECT_EQ(
      request.body,
      R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ","user":{"login":"nadia.k","password":"Lantern-8812"}})");
  EXPECT_EQ(header(request, "CB-AuthKey"), "<absent>");
  EXPECT_TRUE(request.retry_safe);
  auto named = wire::create_session(kEndpoint, "app-x", "k", "email", "a@b.io", "p");
  EXPECT_NE(named.body.find(R"("application_id":"app-x")"), std::string::npos);
}

TEST(Wire, DeleteUserCarriesTheTokenAndNoBody) {
  Endpoint prefixed = kEndpoint;
  prefixed.base_path = "/v1";
  auto request = wire::delete_user(prefixed, 700031, "9C41E07B2AD35F8816E2C0B47A9D3E51F06C");
  EXPECT_EQ(request.method, "DELETE");
  EXPECT_EQ(request.target, "/v1/users/700031.json");
  EXPECT_TRUE(request.body.empty());
  EXPECT_EQ(header(request, "CB-Token"), "9C41E07B2AD35F8816E2C0B47A9D3E51F06C");
  EXPECT_EQ(header(request, "Content-Type"), "application/x-www-form-urlencoded; charset=UTF-8");
}

TEST(Wire, UpdateUserSendsOnlyTheChangedFieldsAndResendsOnlyANameChange) {
  auto name = wire::update_user(kEndpoint, 700031, "T0K", UserUpdate{"Nadia K", std::nullopt});
  EXPECT_EQ(name.method, "PUT");
  EXPECT_EQ(name.target, "/users/700031.json");
  EXPECT_EQ(name.body, R"({"user":{"full_name":"Nadia K"}})");
  EXPECT_EQ(header(name, "CB-Token"), "T0K");
  EXPECT_EQ(header(name, "Content-Type"), "application/json;charset=utf-8");
  EXPECT_TRUE(name.retry_safe);
  auto password = wire::update_user(
      kEndpoint, 700031, "T0K", UserUpdate{std::nullopt, PasswordChange{"old-pass", "new-pass"}});
  EXPECT_EQ(password.body, R"({"user":{"password":"new-pass","old_password":"old-pass"}})");
  EXPECT_FALSE(password.retry_safe);
}

TEST(Wire, AppSessionAndUserLookup) {
  auto session = wire::create_app_session(kEndpoint, "5120", "Xk2pQr7sTuVw9yZ");
  EXPECT_EQ(session.body, R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ"})");
  EXPECT_TRUE(session.retry_safe);
  auto lookup = wire::get_user(kEndpoint, 42, "T0K");
  EXPECT_EQ(lookup.method, "GET");
  EXPECT_EQ(lookup.target, "/users/42.json");
  EXPECT_EQ(header(lookup, "CB-Token"), "T0K");
  IncomingResponse app{201, "", {}, R"({"session":{"token":"APP","user_id":0}})"};
  EXPECT_EQ(wire::parse_session_token(app).value(), "APP");
}

TEST(Wire, ParsesAUserWithNullsAsEmpty) {
  IncomingResponse response{
      200, "", {}, R"({"user":{"id":700031,"login":null,"email":"a@b.io","full_name":"A B"}})"};
  auto user = wire::parse_user(response);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->id, 700031);
  EXPECT_EQ(user->login, "");
  EXPECT_EQ(user->email, "a@b.io");
  EXPECT_EQ(user->full_name, "A B");
  response.body = R"({"user":{"login":"x"}})";
  EXPECT_FALSE(wire::parse_user(response));
}

TEST(Wire, PrivateDialogIsWhatTheSdkSendsAndMayBeResent) {
  auto request = wire::create_private_dialog(kEndpoint, "T0K", 700032);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/chat/Dialog.json");
  EXPECT_EQ(request.body, R"({"type":3,"occupants_ids":"700032"})");
  EXPECT_EQ(header(request, "CB-Token"), "T0K");
  EXPECT_TRUE(request.retry_safe);
  auto listing = wire::list_dialogs(kEndpoint, "T0K", DialogQuery{3, 50, 100});
  EXPECT_EQ(listing.method, "GET");
  EXPECT_EQ(listing.target, "/chat/Dialog.json?limit=50&skip=100&type=3");
  Endpoint with_query = kEndpoint;
  with_query.query = "x=1";
  EXPECT_EQ(wire::list_dialogs(with_query, "T", DialogQuery{}).target,
            "/chat/Dialog.json?x=1&limit=100&skip=0");
}

TEST(Wire, ParsesDialogsAndPages) {
  IncomingResponse response{201, "", {}, R"({"_id":"6657a1b2c3d4e5f601234567","type":3,
      "user_id":700031,"occupants_ids":[700031,"700032"],"name":null,
      "created_at":"2024-05-29T16:40:02Z","updated_at":"2024-05-29T16:40:02Z"})"};
  auto dialog = wire::parse_dialog(response);
  ASSERT_TRUE(dialog) << dialog.error().message;
  EXPECT_EQ(dialog->id, "6657a1b2c3d4e5f601234567");
  EXPECT_EQ(dialog->occupants_ids, (std::vector<std::int64_t>{700031, 700032}));
  EXPECT_EQ(dialog->name, "");
  response.body = R"({"type":3})";
  EXPECT_FALSE(wire::parse_dialog(response));
  response.body = R"({"total_entries":1,"skip":0,"limit":100,"items":[{"_id":"a","type":2}]})";
  auto page = wire::parse_dialog_page(response);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total_entries, 1);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].type, 2);
  response.body = R"({"total_entries":1})";
  EXPECT_EQ(wire::parse_dialog_page(response).error().kind, ErrorKind::kInvalidResponse);
}

TEST(Wire, ParsesASessionWithNumberOrStringIds) {
  IncomingResponse response{
      201, "application/json", {}, R"({"session":{"token":"T0K","user_id":700031,"user":{}}})"};
  auto session = wire::parse_session(response);
  ASSERT_TRUE(session);
  EXPECT_EQ(session->token, "T0K");
  EXPECT_EQ(session->user_id, 700031);
  response.body = R"({"session":{"token":"T0K","user_id":"12345678901"}})";
  ASSERT_TRUE(wire::parse_session(response));
  EXPECT_EQ(wire::parse_session(response)->user_id, 12345678901);
}

TEST(Wire, RefusesAnApplicationSessionWhereAUserSessionWasDue) {
  IncomingResponse response{201, "", {}, R"({"session":{"token":"T","user_id":0}})"};
  auto session = wire::parse_session(response);
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kInvalidResponse);
}

TEST(Wire, ParsesTheSignedUpUsersId) {
  IncomingResponse response{201, "", {}, R"({"user":{"id":100001,"email":"a@b.io"}})"};
  auto id = wire::parse_user_id(response);
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, 100001);
  response.body = R"({"user":{"id":1.5}})";
  EXPECT_FALSE(wire::parse_user_id(response));
}

TEST(Endpoints, ParseSchemeHostPortAndPrefix) {
  auto https = parse_endpoint("https://api.connectycube.com");
  ASSERT_TRUE(https);
  EXPECT_TRUE(https->tls);
  EXPECT_EQ(https->port, "443");
  EXPECT_EQ(https->base_path, "");
  auto local = parse_endpoint("http://127.0.0.1:8080/prefix/?a=b");
  ASSERT_TRUE(local);
  EXPECT_FALSE(local->tls);
  EXPECT_EQ(local->host, "127.0.0.1");
  EXPECT_EQ(local->port, "8080");
  EXPECT_EQ(local->base_path, "/prefix");
  EXPECT_EQ(local->query, "a=b");
  EXPECT_FALSE(parse_endpoint("api.connectycube.com"));
  EXPECT_FALSE(parse_endpoint("ftp://x"));
}

}  // namespace
}  // namespace cubeauth::connectycube
