// The fake's own knobs (its store behaviour is held to the contract suite).
#include "support/store/in_memory_user_store.hpp"

#include <gtest/gtest.h>

#include "store/run_sync.hpp"

namespace cubeauth::store::testing {
namespace {

NewUser ada() { return {"ada@example.com", "Ada", "Lovelace", "$2b$10$hash"}; }

TEST(InMemoryUserStore, FailsEveryCallWhileToldToAndRecoversAfter) {
  InMemoryUserStore store;
  store.fail_every_call(StoreError::kUnavailable);
  auto created = run_sync(store.create_user(ada()));
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error(), StoreError::kUnavailable);
  auto healthy = run_sync(store.health());
  ASSERT_FALSE(healthy.has_value());
  EXPECT_TRUE(store.users().empty());

  store.fail_every_call(std::nullopt);
  EXPECT_TRUE(run_sync(store.create_user(ada())).has_value());
  EXPECT_EQ(store.users().size(), 1u);
}

TEST(InMemoryUserStore, FailsOnlyTheNumberedCall) {
  InMemoryUserStore store;
  const std::size_t before = store.calls();
  store.fail_call(1, StoreError::kInternal);
  auto first = run_sync(store.create_user(ada()));
  ASSERT_TRUE(first.has_value());
  auto second = run_sync(store.find_by_id(first->id));
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error(), StoreError::kInternal);
  auto third = run_sync(store.find_by_id(first->id));
  ASSERT_TRUE(third.has_value() && third->has_value());
  EXPECT_EQ(store.calls(), before + 3);
}

TEST(InMemoryUserStore, PutStoresALegacyUserAsItIs) {
  InMemoryUserStore store;
  User legacy;
  legacy.id = "5f5e1000aaaaaaaaaaaaaaaa";
  legacy.email = "Ada@Example.com";
  store.put(legacy);
  auto found = run_sync(store.find_by_email("ada@example.com"));
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->id, legacy.id);
  auto duplicate = run_sync(store.create_user(ada()));
  ASSERT_FALSE(duplicate.has_value());
  EXPECT_EQ(duplicate.error(), StoreError::kDuplicateEmail);
}

TEST(InMemoryUserStore, FailsTheAccountLifecycleCallsToo) {
  InMemoryUserStore store;
  auto created = run_sync(store.create_user(ada()));
  ASSERT_TRUE(created.has_value());
  const auto now = std::chrono::system_clock::now();
  NewRefreshToken token{"hash", "5f5e1000bbbbbbbbbbbbbbbb", created->id, now,
                        now + std::chrono::hours(1)};
  NewRefreshToken next{"next", "", "", now, now + std::chrono::hours(1)};
  std::vector<std::string> roles = {"admin"};
  UserQuery query;

  store.fail_every_call(StoreError::kUnavailable);
  const std::size_t before = store.calls();
  EXPECT_FALSE(run_sync(store.set_password(created->id, "h", now)).has_value());
  EXPECT_FALSE(run_sync(store.set_profile(created->id, "A", "B")).has_value());
  EXPECT_FALSE(run_sync(store.set_disabled(created->id, true)).has_value());
  EXPECT_FALSE(run_sync(store.set_roles(created->id, roles)).has_value());
  EXPECT_FALSE(run_sync(store.list_users(query)).has_value());
  EXPECT_FALSE(run_sync(store.create_refresh_token(token)).has_value());
  EXPECT_FALSE(run_sync(store.rotate_refresh_token("hash", next)).has_value());
  EXPECT_FALSE(run_sync(store.revoke_refresh_family("hash")).has_value());
  auto revoked = run_sync(store.revoke_user_refresh_tokens(created->id));
  ASSERT_FALSE(revoked.has_value());
  EXPECT_EQ(revoked.error(), StoreError::kUnavailable);
  EXPECT_EQ(store.calls(), before + 9);
  EXPECT_EQ(store.refresh_token_count(), 0u);
  EXPECT_EQ(store.users().front(), *created);

  store.fail_every_call(std::nullopt);
  ASSERT_TRUE(run_sync(store.create_refresh_token(token)).has_value());
  // A fault loop over a rotation: the failing step changes nothing.
  store.fail_call(0, StoreError::kInternal);
  auto failed = run_sync(store.rotate_refresh_token("hash", next));
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(store.refresh_token_count(), 1u);
  auto rotated = run_sync(store.rotate_refresh_token("hash", next));
  ASSERT_TRUE(rotated.has_value());
  EXPECT_EQ(rotated->outcome, RotationOutcome::kRotated);
  EXPECT_EQ(store.refresh_token_count(), 2u);
}

TEST(InMemoryUserStore, DeletingAUserDropsTheirTokensFromTheCount) {
  InMemoryUserStore store;
  auto created = run_sync(store.create_user(ada()));
  ASSERT_TRUE(created.has_value());
  const auto now = std::chrono::system_clock::now();
  NewRefreshToken token{"hash", "5f5e1000bbbbbbbbbbbbbbbb", created->id, now,
                        now + std::chrono::hours(1)};
  ASSERT_TRUE(run_sync(store.create_refresh_token(token)).has_value());
  EXPECT_EQ(store.refresh_token_count(), 1u);
  ASSERT_TRUE(run_sync(store.delete_user(created->id)).has_value());
  EXPECT_EQ(store.refresh_token_count(), 0u);
}

TEST(InMemoryUserStore, FailsTheRelationshipCallsTooAndShowsWhatItHolds) {
  InMemoryUserStore store;
  auto a = run_sync(store.create_user(ada()));
  NewUser grace{"grace@example.com", "Grace", "Hopper", "$2b$10$hash"};
  auto b = run_sync(store.create_user(grace));
  ASSERT_TRUE(a.has_value() && b.has_value());
  NewRelationship request{a->id, b->id, RelationshipStatus::kPending, a->id};

  store.fail_call(0, StoreError::kUnavailable);
  auto failed = run_sync(store.create_relationship(request));
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error(), StoreError::kUnavailable);
  EXPECT_TRUE(store.relationships().empty());

  auto created = run_sync(store.create_relationship(request));
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(store.relationships(), std::vector{*created});

  store.fail_every_call(StoreError::kInternal);
  RelationshipChange accept{RelationshipStatus::kFriends, b->id};
  auto update = run_sync(store.update_relationship(created->id, 1, accept));
  ASSERT_FALSE(update.has_value());
  EXPECT_EQ(update.error(), StoreError::kInternal);
  RelationshipQuery query{a->id, RelationshipView::kOutgoing, std::nullopt, 20};
  EXPECT_FALSE(run_sync(store.list_relationships(query)).has_value());
  EXPECT_FALSE(run_sync(store.find_relationship(a->id, b->id)).has_value());
  EXPECT_FALSE(run_sync(store.set_relationship_dialog(created->id, "d")).has_value());
  EXPECT_FALSE(run_sync(store.delete_relationship(created->id, 1)).has_value());
  EXPECT_FALSE(run_sync(store.list_friendships_without_dialog(5)).has_value());
  store.fail_every_call(std::nullopt);
  EXPECT_EQ(store.relationships(), std::vector{*created});
}

}  // namespace
}  // namespace cubeauth::store::testing
