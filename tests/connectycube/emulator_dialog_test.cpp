// The emulator's chat dialogs (connectycube-api.md 5.1): creation, one private dialog per
// pair, groups, listing with filters, and who may call.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "harness.hpp"

namespace cubeauth::connectycube {
namespace {

namespace json = boost::json;
using testing::EmulatorThread;
using Headers = std::vector<std::pair<std::string, std::string>>;

/// A session token of `email`, auto-creating the user (ids 100001, 100002, ... in order).
std::string token_of(EmulatorThread& emulator, const std::string& email) {
  auto [status, body] =
      emulator.call("POST", "/session.json",
                    R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ","user":{"email":")" +
                        email + R"(","password":"Lantern-8812"}})");
  EXPECT_EQ(status, 201) << json::serialize(body);
  return std::string(body.at("session").at("token").as_string());
}

std::pair<int, json::value> create(EmulatorThread& emulator, const std::string& token,
                                   const std::string& body) {
  return emulator.call("POST", "/chat/Dialog.json", body, {{"CB-Token", token}});
}

std::pair<int, json::value> list(EmulatorThread& emulator, const std::string& token,
                                 const std::string& query = "") {
  return emulator.call("GET", "/chat/Dialog.json" + query, "", {{"CB-Token", token}});
}

TEST(EmulatorDialogs, CreatesAPrivateDialogWithEveryFieldOfTheService) {
  EmulatorThread emulator;
  const std::string nadia = token_of(emulator, "nadia@example.org");
  token_of(emulator, "omar@example.org");
  auto [status, body] = create(emulator, nadia, R"({"type":3,"occupants_ids":[100002]})");
  ASSERT_EQ(status, 201) << json::serialize(body);
  const auto& dialog = body.as_object();
  EXPECT_EQ(dialog.at("_id").as_string().size(), 24u);
  EXPECT_EQ(dialog.at("type").as_int64(), 3);
  EXPECT_EQ(dialog.at("user_id").as_int64(), 100001);
  EXPECT_EQ(json::serialize(dialog.at("occupants_ids")), "[100001,100002]");
  EXPECT_EQ(json::serialize(dialog.at("admins_ids")), "[]");
  EXPECT_EQ(dialog.at("unread_messages_count").as_int64(), 0);
  for (const char* field : {"name", "photo", "xmpp_room_jid", "last_message",
                            "last_message_date_sent", "extensions", "permissions"}) {
    ASSERT_TRUE(dialog.contains(field)) << field;
    EXPECT_TRUE(dialog.at(field).is_null()) << field;
  }
  EXPECT_TRUE(dialog.at("created_at").as_string().ends_with("Z"));
}

TEST(EmulatorDialogs, KeepsOnePrivateDialogPerPairWhateverTheForm) {
  EmulatorThread emulator;
  const std::string nadia = token_of(emulator, "nadia@example.org");
  const std::string omar = token_of(emulator, "omar@example.org");
  auto [first, first_body] = create(emulator, nadia, R"({"type":3,"occupants_ids":[100002]})");
  ASSERT_EQ(first, 201);
  const std::string id(first_body.at("_id").as_string());
  // The JS SDK sends a comma string; the other side may ask too; a form body works as well.
  auto [sdk, sdk_body] = create(emulator, nadia, R"({"type":"3","occupants_ids":"100002"})");
  EXPECT_EQ(sdk_body.at("_id").as_string(), id);
  auto [other, other_body] =
      create(emulator, omar, R"({"type":3,"occupants_ids":"100001, 100002"})");
  EXPECT_EQ(other_body.at("_id").as_string(), id) << json::serialize(other_body);
  auto [form, form_body] =
      emulator.call("POST", "/chat/Dialog?type=3&occupants_ids=100001", "", {{"CB-Token", omar}});
  EXPECT_EQ(form_body.at("_id").as_string(), id);
  EXPECT_EQ(list(emulator, nadia).second.at("total_entries").as_int64(), 1);
}

TEST(EmulatorDialogs, RefusesAPrivateDialogWithoutAnExistingOpponent) {
  EmulatorThread emulator;
  const std::string nadia = token_of(emulator, "nadia@example.org");
  token_of(emulator, "omar@example.org");
  token_of(emulator, "lena@example.org");
  for (const char* body : {R"({"type":3,"occupants_ids":[424242]})", R"({"type":3})",
                           R"({"type":3,"occupants_ids":[100001]})",
                           R"({"type":3,"occupants_ids":[100002,100003]})"}) {
    auto [status, answer] = create(emulator, nadia, body);
    EXPECT_EQ(status, 422) << body;
    EXPECT_EQ(json::serialize(answer), R"({"errors":["Occupants_ids is missing opponent ID."]})");
  }
}

TEST(EmulatorDialogs, CreatesAGroupEveryTimeAndNeedsAName) {
  EmulatorThread emulator;
  const std::string nadia = token_of(emulator, "nadia@example.org");
  token_of(emulator, "omar@example.org");
  token_of(emulator, "lena@example.org");
  auto [unnamed, unnamed_body] = create(emulator, nadia, R"({"type":2,"occupants_ids":"100002"})");
  EXPECT_EQ(unnamed, 422);
  EXPECT_EQ(unnamed_body.at("errors").at("name").at(0).as_string(), "can't be blank");
  const std::string group = R"({"type":2,"name":"Trip","occupants_ids":"100002,100003"})";
  auto [first, first_body] = create(emulator, nadia, group);
  auto [second, second_body] = create(emulator, nadia, group);
  ASSERT_EQ(first, 201);
  ASSERT_EQ(second, 201);
  EXPECT_NE(first_body.at("_id"), second_body.at("_id"));
  EXPECT_EQ(first_body.at("name").as_string(), "Trip");
  EXPECT_EQ(json::serialize(first_body.at("occupants_ids")), "[100001,100002,100003]");
  auto [broadcast, broadcast_body] = create(emulator, nadia, R"({"type":4,"name":"News"})");
  EXPECT_EQ(broadcast, 403);
}

TEST(EmulatorDialogs, ListsTheCallersDialogsWithTypeFiltersAndPages) {
  EmulatorThread emulator;
  const std::string nadia = token_of(emulator, "nadia@example.org");
  const std::string omar = token_of(emulator, "omar@example.org");
  const std::string lena = token_of(emulator, "lena@example.org");
  create(emulator, nadia, R"({"type":3,"occupants_ids":[100002]})");
  create(emulator, nadia, R"({"type":2,"name":"G","occupants_ids":[100002]})");
  create(emulator, omar, R"({"type":3,"occupants_ids":[100003]})");
  auto [status, all] = list(emulator, nadia);
  ASSERT_EQ(status, 200);
  EXPECT_EQ(all.at("total_entries").as_int64(), 2);
  EXPECT_EQ(all.at("skip").as_int64(), 0);
  EXPECT_EQ(all.at("limit").as_int64(), 100);
  EXPECT_EQ(list(emulator, nadia, "?type=3").second.at("total_entries").as_int64(), 1);
  EXPECT_EQ(list(emulator, nadia, "?type%5Bin%5D=2,3").second.at("total_entries").as_int64(), 2);
  EXPECT_EQ(list(emulator, omar).second.at("total_entries").as_int64(), 3);
  auto [paged, page] = list(emulator, omar, "?limit=2&skip=1&sort_desc=created_at");
  EXPECT_EQ(page.at("items").as_array().size(), 2u);
  EXPECT_EQ(page.at("items").at(1).at("_id"), all.at("items").at(0).at("_id"));  // the oldest
  EXPECT_EQ(list(emulator, lena).second.at("total_entries").as_int64(), 1);
}

TEST(EmulatorDialogs, NeedAUserSession) {
  EmulatorThread emulator;
  auto [created, app] = emulator.call("POST", "/session.json",
                                      R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ"})");
  const std::string app_token(app.at("session").at("token").as_string());
  auto [listed, listed_body] = list(emulator, app_token);
  EXPECT_EQ(listed, 403);
  EXPECT_EQ(json::serialize(listed_body), R"({"errors":{"base":["Forbidden. Need user."]}})");
  EXPECT_EQ(create(emulator, app_token, R"({"type":3,"occupants_ids":[1]})").first, 403);
  EXPECT_EQ(emulator.call("GET", "/chat/Dialog.json").first, 401);
}

}  // namespace
}  // namespace cubeauth::connectycube
