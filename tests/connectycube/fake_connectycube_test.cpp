#include "support/connectycube/fake_connectycube.hpp"

#include <gtest/gtest.h>

#include "harness.hpp"

namespace cubeauth::connectycube::testing {
namespace {

using Operation = FakeConnectyCube::Operation;

TEST(FakeConnectyCube, SignsUpOnceAndRefusesTheSameEmail) {
  FakeConnectyCube fake;
  auto id = run([&]() { return fake.sign_up("a@b.io", "Lantern-8812", "A B"); });
  ASSERT_TRUE(id);
  auto again = run([&]() { return fake.sign_up("a@b.io", "Lantern-8812", "A B"); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::kTaken);
  EXPECT_EQ(fake.user_id_of("a@b.io"), *id);
  EXPECT_EQ(fake.call_count(Operation::kSignUp), 2u);
  EXPECT_EQ(fake.calls().at(0).full_name, "A B");
}

TEST(FakeConnectyCube, PlaysQueuedFailuresInOrderThenBehaves) {
  FakeConnectyCube fake;
  fake.fail_next(Operation::kSignUp, unavailable_error("down"));
  auto failed = run([&]() { return fake.sign_up("a@b.io", "Lantern-8812", "A"); });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(fake.user_count(), 0u);
  EXPECT_TRUE(run([&]() { return fake.sign_up("a@b.io", "Lantern-8812", "A"); }));
}

TEST(FakeConnectyCube, ChecksPasswordsAndDeletesOnlyTheOwner) {
  FakeConnectyCube fake;
  const auto id = fake.add_user("a@b.io", "Lantern-8812");
  const auto other = fake.add_user("c@d.io", "Lantern-8812");
  auto wrong = run([&]() { return fake.create_session_with_email("a@b.io", "nope-nope"); });
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind, ErrorKind::kUnauthorized);
  auto session = run([&]() { return fake.create_session_with_email("a@b.io", "Lantern-8812"); });
  ASSERT_TRUE(session);
  EXPECT_EQ(session->user_id, id);
  EXPECT_FALSE(run([&]() { return fake.delete_user(other, "a@b.io", "Lantern-8812"); }));
  EXPECT_TRUE(run([&]() { return fake.delete_user(id, "a@b.io", "Lantern-8812"); }));
  EXPECT_FALSE(fake.user_id_of("a@b.io"));
}

TEST(FakeConnectyCube, AcceptsOnlyMappedLogins) {
  FakeConnectyCube fake;
  fake.accept_login("jwt-1", 77);
  auto session = run([&]() { return fake.create_session_with_login("jwt-1", "cidp"); });
  ASSERT_TRUE(session);
  EXPECT_EQ(session->user_id, 77);
  auto refused = run([&]() { return fake.create_session_with_login("jwt-2", "cidp"); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::kInvalidInput);
}

Session session_of(FakeConnectyCube& fake, const std::string& email,
                   const std::string& password = "Lantern-8812") {
  auto session = run([&]() { return fake.create_session_with_email(email, password); });
  EXPECT_TRUE(session);
  return session ? *session : Session{};
}

UserUpdate password_change(std::string old_password, std::string password) {
  return UserUpdate{std::nullopt, PasswordChange{std::move(old_password), std::move(password)}};
}

TEST(FakeConnectyCube, UpdatesAUserInItsOwnSessionAndRecordsTheCall) {
  FakeConnectyCube fake;
  const auto id = fake.add_user("a@b.io", "Lantern-8812", "A");
  const Session session = session_of(fake, "a@b.io");
  auto user = run([&]() {
    return fake.update_user(session.token, id,
                            UserUpdate{"A B", PasswordChange{"Lantern-8812", "Harbour-4471"}});
  });
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(user->full_name, "A B");
  EXPECT_EQ(user->email, "a@b.io");
  EXPECT_EQ(fake.user(id)->password, "Harbour-4471");
  const auto call = fake.calls().back();
  EXPECT_EQ(call.operation, Operation::kUpdateUser);
  EXPECT_EQ(call.token, session.token);
  EXPECT_EQ(call.user_id, id);
  ASSERT_TRUE(call.update && call.update->password_change);
  EXPECT_EQ(call.update->password_change->old_password, "Lantern-8812");
}

TEST(FakeConnectyCube, RefusesAWrongOldPasswordAndBadFieldsLikeTheService) {
  FakeConnectyCube fake;
  const auto id = fake.add_user("a@b.io", "Lantern-8812");
  const Session session = session_of(fake, "a@b.io");
  const auto refused = [&](UserUpdate change) {
    auto user = run([&]() { return fake.update_user(session.token, id, change); });
    EXPECT_FALSE(user);
    return user ? Error{} : user.error();
  };
  const Error wrong = refused(password_change("nope-nope", "Harbour-4471"));
  EXPECT_EQ(wrong.kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(wrong.field_messages.at("old_password").at(0), "is invalid");
  EXPECT_EQ(refused(password_change("Lantern-8812", "short")).field_messages.count("password"), 1u);
  EXPECT_EQ(refused(UserUpdate{"", std::nullopt}).field_messages.count("full_name"), 1u);
  EXPECT_EQ(fake.user(id)->password, "Lantern-8812");
}

TEST(FakeConnectyCube, AnswersForeignAndDeadSessionsLikeTheService) {
  FakeConnectyCube fake;
  const auto id = fake.add_user("a@b.io", "Lantern-8812");
  const auto other = fake.add_user("c@d.io", "Lantern-8812");
  const Session session = session_of(fake, "a@b.io");
  auto foreign = run([&]() { return fake.update_user(session.token, other, UserUpdate{"X", {}}); });
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().http_status, 403);
  fake.expire_sessions();
  auto dead = run([&]() { return fake.update_user(session.token, id, UserUpdate{"X", {}}); });
  ASSERT_FALSE(dead);
  EXPECT_EQ(dead.error().kind, ErrorKind::kUnauthorized);
  EXPECT_EQ(dead.error().http_status, 401);
  auto kept = run([&]() { return fake.delete_user_in_session(session.token, id); });
  ASSERT_FALSE(kept);
  EXPECT_EQ(kept.error().http_status, 401);
  EXPECT_TRUE(fake.user(id));
}

TEST(FakeConnectyCube, DeletesInASessionThenAnswersNotFound) {
  FakeConnectyCube fake;
  const auto id = fake.add_user("a@b.io", "Lantern-8812");
  const Session session = session_of(fake, "a@b.io");
  EXPECT_TRUE(run([&]() { return fake.delete_user_in_session(session.token, id); }));
  EXPECT_FALSE(fake.user(id));
  auto again = run([&]() { return fake.delete_user_in_session(session.token, id); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(fake.call_count(Operation::kDeleteUserInSession), 2u);
}

TEST(FakeConnectyCube, AScriptedFailureAfterTheEffectStillChangesTheUser) {
  FakeConnectyCube fake;
  const auto id = fake.add_user("a@b.io", "Lantern-8812");
  const Session session = session_of(fake, "a@b.io");
  fake.fail_next(Operation::kUpdateUser, unavailable_error("down"));
  auto before = run([&]() {
    return fake.update_user(session.token, id, password_change("Lantern-8812", "Harbour-4471"));
  });
  ASSERT_FALSE(before);
  EXPECT_EQ(fake.user(id)->password, "Lantern-8812");
  fake.fail_next_after_effect(Operation::kUpdateUser, unavailable_error("answer lost"));
  auto after = run([&]() {
    return fake.update_user(session.token, id, password_change("Lantern-8812", "Harbour-4471"));
  });
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(fake.user(id)->password, "Harbour-4471");
  fake.fail_next_after_effect(Operation::kDeleteUserInSession, unavailable_error("answer lost"));
  EXPECT_FALSE(run([&]() { return fake.delete_user_in_session(session.token, id); }));
  EXPECT_FALSE(fake.user(id));
}

TEST(FakeConnectyCube, LetsALoginSessionActOnTheUserItCreated) {
  FakeConnectyCube fake;
  fake.accept_login("jwt-1", 77);
  auto session = run([&]() { return fake.create_session_with_login("jwt-1", "cidp"); });
  ASSERT_TRUE(session);
  auto user = run([&]() {
    return fake.update_user(session->token, 77, UserUpdate{"Via CIdP", {}});
  });
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(user->login, "jwt-1");
  EXPECT_TRUE(run([&]() { return fake.delete_user_in_session(session->token, 77); }));
  EXPECT_EQ(fake.user_count(), 0u);
}

TEST(FakeConnectyCube, KeepsOnePrivateDialogPerPairAndListsTheCallersOnly) {
  FakeConnectyCube fake;
  const auto a = fake.add_user("a@b.io", "Lantern-8812");
  const auto b = fake.add_user("c@d.io", "Lantern-8812");
  const auto c = fake.add_user("e@f.io", "Lantern-8812");
  const Session as_a = session_of(fake, "a@b.io");
  const Session as_b = session_of(fake, "c@d.io");
  auto first = run([&]() { return fake.create_private_dialog(as_a.token, b); });
  auto other_side = run([&]() { return fake.create_private_dialog(as_b.token, a); });
  ASSERT_TRUE(first && other_side);
  EXPECT_EQ(first->id, other_side->id);
  EXPECT_EQ(first->occupants_ids, (std::vector<std::int64_t>{a, b}));
  ASSERT_TRUE(run([&]() { return fake.create_private_dialog(as_b.token, c); }));
  EXPECT_EQ(fake.dialog_count(), 2u);
  auto listed = run([&]() { return fake.list_dialogs(as_a.token, DialogQuery{}); });
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->total_entries, 1);
  auto paged = run([&]() { return fake.list_dialogs(as_b.token, DialogQuery{3, 1, 1}); });
  ASSERT_TRUE(paged);
  EXPECT_EQ(paged->total_entries, 2);
  ASSERT_EQ(paged->items.size(), 1u);
  EXPECT_NE(paged->items[0].id, first->id);
  auto unknown = run([&]() { return fake.create_private_dialog(as_a.token, 424242); });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(fake.calls().back().other_user_id, 424242);
}

TEST(FakeConnectyCube, CreatesTheDialogWhenTheAnswerIsLost) {
  FakeConnectyCube fake;
  fake.add_user("a@b.io", "Lantern-8812");
  const auto b = fake.add_user("c@d.io", "Lantern-8812");
  const Session as_a = session_of(fake, "a@b.io");
  fake.fail_next(Operation::kCreatePrivateDialog, unavailable_error("down"));
  EXPECT_FALSE(run([&]() { return fake.create_private_dialog(as_a.token, b); }));
  EXPECT_EQ(fake.dialog_count(), 0u);
  fake.fail_next_after_effect(Operation::kCreatePrivateDialog, unavailable_error("lost"));
  EXPECT_FALSE(run([&]() { return fake.create_private_dialog(as_a.token, b); }));
  EXPECT_EQ(fake.dialog_count(), 1u);
  EXPECT_TRUE(run([&]() { return fake.create_private_dialog(as_a.token, b); }));
  EXPECT_EQ(fake.dialog_count(), 1u);
}

}  // namespace
}  // namespace cubeauth::connectycube::testing
