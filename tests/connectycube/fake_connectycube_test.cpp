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

}  // namespace
}  // namespace cubeauth::connectycube::testing
