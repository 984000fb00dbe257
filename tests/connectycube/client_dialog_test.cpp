// The client's private chat dialogs against the emulator: one dialog per pair whoever
// asks, listing, and the refusals a caller has to tell apart.
#include <gtest/gtest.h>

#include "connectycube/client.hpp"
#include "harness.hpp"

namespace cubeauth::connectycube {
namespace {

using testing::EmulatorThread;
using testing::run;
using Route = EmulatorThread::Route;

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

/// A session of a user created on the fly (the emulator auto-creates by default).
Session session_of(Client& client, const std::string& email) {
  auto session = run([&]() { return client.create_session_with_email(email, "Lantern-8812"); });
  EXPECT_TRUE(session) << session.error().message;
  return session ? *session : Session{};
}

Result<Dialog, Error> dialog_with(Client& client, const Session& session, std::int64_t other) {
  return run([&]() { return client.create_private_dialog(session.token, other); });
}

Result<DialogPage, Error> dialogs_of(Client& client, const Session& session,
                                     DialogQuery query = {}) {
  return run([&]() { return client.list_dialogs(session.token, query); });
}

TEST(ClientDialogs, CreatesThePrivateDialogOfAPair) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session nadia = session_of(client, "nadia@example.org");
  const Session omar = session_of(client, "omar@example.org");
  auto dialog = dialog_with(client, nadia, omar.user_id);
  ASSERT_TRUE(dialog) << dialog.error().message;
  EXPECT_EQ(dialog->type, 3);
  EXPECT_EQ(dialog->id.size(), 24u);
  EXPECT_EQ(dialog->id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(dialog->user_id, nadia.user_id);
  EXPECT_EQ(dialog->occupants_ids, (std::vector<std::int64_t>{nadia.user_id, omar.user_id}));
  EXPECT_EQ(dialog->name, "");
  EXPECT_FALSE(dialog->created_at.empty());
  const auto sent = emulator.requests().back();
  EXPECT_EQ(sent.at("path").as_string(), "/chat/Dialog.json");
  EXPECT_EQ(sent.at("body").as_string(),
            R"({"type":3,"occupants_ids":")" + std::to_string(omar.user_id) + R"("})");
}

TEST(ClientDialogs, GetsTheSameDialogAgainFromEitherSide) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session nadia = session_of(client, "nadia@example.org");
  const Session omar = session_of(client, "omar@example.org");
  auto first = dialog_with(client, nadia, omar.user_id);
  auto again = dialog_with(client, nadia, omar.user_id);
  auto other_side = dialog_with(client, omar, nadia.user_id);
  ASSERT_TRUE(first && again && other_side);
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(other_side->id, first->id);
  auto listed = dialogs_of(client, nadia);
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->total_entries, 1);
}

TEST(ClientDialogs, ListsOnlyTheCallersDialogsByPage) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session nadia = session_of(client, "nadia@example.org");
  const Session omar = session_of(client, "omar@example.org");
  const Session lena = session_of(client, "lena@example.org");
  const Session kofi = session_of(client, "kofi@example.org");
  ASSERT_TRUE(dialog_with(client, nadia, omar.user_id));
  ASSERT_TRUE(dialog_with(client, nadia, lena.user_id));
  ASSERT_TRUE(dialog_with(client, omar, lena.user_id));
  auto all = dialogs_of(client, nadia, DialogQuery{3, 100, 0});
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->total_entries, 2);
  ASSERT_EQ(all->items.size(), 2u);
  auto page = dialogs_of(client, nadia, DialogQuery{std::nullopt, 1, 1});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total_entries, 2);
  EXPECT_EQ(page->skip, 1);
  EXPECT_EQ(page->limit, 1);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, all->items[1].id);
  auto none = dialogs_of(client, kofi);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->total_entries, 0);
  EXPECT_TRUE(none->items.empty());
  EXPECT_EQ(emulator.requests().back().at("path").as_string(),
            "/chat/Dialog.json?limit=100&skip=0");
}

TEST(ClientDialogs, RefusesAnUnknownOtherUserWithTheServicesWords) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session nadia = session_of(client, "nadia@example.org");
  for (const std::int64_t other : {std::int64_t{999999}, nadia.user_id}) {
    auto dialog = dialog_with(client, nadia, other);
    ASSERT_FALSE(dialog);
    EXPECT_EQ(dialog.error().kind, ErrorKind::kInvalidInput);
    EXPECT_EQ(dialog.error().field_messages.at("base").at(0),
              "Occupants_ids is missing opponent ID.");
  }
}

TEST(ClientDialogs, ReportsApplicationAndDeadSessions) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session omar = session_of(client, "omar@example.org");
  auto [created, app] = emulator.call("POST", "/session.json",
                                      R"({"application_id":5120,"auth_key":"Xk2pQr7sTuVw9yZ"})");
  ASSERT_EQ(created, 201);
  const Session app_session{std::string(app.at("session").at("token").as_string()), 0};
  auto forbidden = dialog_with(client, app_session, omar.user_id);
  ASSERT_FALSE(forbidden);
  EXPECT_EQ(forbidden.error().kind, ErrorKind::kUnauthorized);
  EXPECT_EQ(forbidden.error().http_status, 403);
  auto dead = dialogs_of(client, Session{"0123456789ABCDEF0123456789ABCDEF0123", 1});
  ASSERT_FALSE(dead);
  EXPECT_EQ(dead.error().http_status, 401);
}

TEST(ClientDialogs, RetriesThroughALostAnswerWithoutASecondDialog) {
  EmulatorThread emulator;
  Client client(options_for(emulator));
  const Session nadia = session_of(client, "nadia@example.org");
  const Session omar = session_of(client, "omar@example.org");
  emulator.drop_next(1, Route{"POST", "/chat/Dialog", true});  // created, answer lost
  auto dialog = dialog_with(client, nadia, omar.user_id);
  ASSERT_TRUE(dialog) << dialog.error().message;
  auto listed = dialogs_of(client, omar);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->total_entries, 1);
  EXPECT_EQ(listed->items.at(0).id, dialog->id);
}

}  // namespace
}  // namespace cubeauth::connectycube
