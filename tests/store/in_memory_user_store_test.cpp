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

}  // namespace
}  // namespace cubeauth::store::testing
