// The behaviour every UserStore must have, run against each store in turn.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "store/contract/contract_fixture.hpp"
#include "store/object_id.hpp"
#include "store/run_sync.hpp"
#include "store/user_store.hpp"

namespace cubeauth::store::testing {
namespace {

TEST_P(UserStoreContract, CreatesUserWithObjectIdAndTimestamps) {
  const auto before = std::chrono::system_clock::now() - std::chrono::seconds(1);
  const std::string address = email("create");
  const User user = create(address);

  EXPECT_TRUE(is_object_id(user.id)) << user.id;
  EXPECT_EQ(user.id, canonical_object_id(user.id));
  EXPECT_EQ(user.email, address);
  EXPECT_EQ(user.first_name, "Ada");
  EXPECT_EQ(user.last_name, "Lovelace");
  EXPECT_EQ(user.password_hash, "$2b$10$abcdefghijklmnopqrstuv");
  EXPECT_FALSE(user.connectycube_id.has_value());
  EXPECT_GE(user.created_at, before);
  EXPECT_LE(user.created_at, std::chrono::system_clock::now());
  EXPECT_EQ(user.updated_at, user.created_at);
  EXPECT_GE(object_id_time(user.id) + std::chrono::seconds(1), before);
}

TEST_P(UserStoreContract, FindByIdReadsBackExactlyWhatCreateReturned) {
  const User user = create(email("readback"));
  auto found = run_sync(store().find_by_id(user.id));
  ASSERT_TRUE(found.has_value()) << to_string(found.error());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, user);
}

TEST_P(UserStoreContract, GivesEveryUserADifferentId) {
  const User first = create(email("first"));
  const User second = create(email("second"));
  EXPECT_NE(first.id, second.id);
}

TEST_P(UserStoreContract, FindsByEmailIgnoringCaseAndSurroundingSpaces) {
  const std::string address = email("case");
  const User user = create(address);
  std::string shouted = address;
  for (char& c : shouted) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  for (const std::string& query : {address, shouted, "  " + address + " "}) {
    auto found = run_sync(store().find_by_email(query));
    ASSERT_TRUE(found.has_value()) << to_string(found.error());
    ASSERT_TRUE(found->has_value()) << query;
    EXPECT_EQ((*found)->id, user.id);
  }
}

TEST_P(UserStoreContract, FindsMixedCaseEmailStoredAsTypedByAnyCase) {
  // The old server stored emails as typed; cubeauth must still find them.
  const std::string token = unique_token();
  const User user = create("Old.User-" + token + "@Example.COM");
  auto found = run_sync(store().find_by_email("old.user-" + token + "@example.com"));
  ASSERT_TRUE(found.has_value()) << to_string(found.error());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, user.id);
  EXPECT_EQ((*found)->email, "Old.User-" + token + "@Example.COM");
}

TEST_P(UserStoreContract, FindsNothingForAnUnknownEmail) {
  (void)create(email("known"));
  auto found = run_sync(store().find_by_email(email("unknown")));
  ASSERT_TRUE(found.has_value()) << to_string(found.error());
  EXPECT_FALSE(found->has_value());
}

TEST_P(UserStoreContract, TreatsEmailPatternCharactersLiterally) {
  const std::string token = unique_token();
  (void)create("a.b+" + token + "@example.com");
  for (const std::string& query :
       {"aXb+" + token + "@example.com", "a.b+" + token + "@example.co.", ".*" + token + ".*",
        "a_b+" + token + "@example.com", "a%" + token + "%"}) {
    auto found = run_sync(store().find_by_email(query));
    ASSERT_TRUE(found.has_value()) << to_string(found.error());
    EXPECT_FALSE(found->has_value()) << query;
  }
}

TEST_P(UserStoreContract, FindsByIdInEitherCaseAndNothingForUnknownOrMalformedIds) {
  const User user = create(email("byid"));
  std::string upper = user.id;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  auto found = run_sync(store().find_by_id(upper));
  ASSERT_TRUE(found.has_value()) << to_string(found.error());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, user.id);

  for (const std::string& id : {new_object_id(), std::string(), std::string("xyz"), user.id + "0",
                                std::string("zzzzzzzzzzzzzzzzzzzzzzzz")}) {
    auto missing = run_sync(store().find_by_id(id));
    ASSERT_TRUE(missing.has_value()) << to_string(missing.error());
    EXPECT_FALSE(missing->has_value()) << id;
  }
}

TEST_P(UserStoreContract, RefusesASecondAccountForTheSameEmailInAnyCase) {
  const std::string address = email("dup");
  const User first = create(address);
  std::string upper = address;
  upper[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[0])));
  for (const std::string& again : {address, upper}) {
    auto second = run_sync(store().create_user(new_user(again)));
    ASSERT_FALSE(second.has_value()) << again;
    EXPECT_EQ(second.error(), StoreError::kDuplicateEmail);
  }
  auto found = run_sync(store().find_by_email(address));
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ(**found, first);
}

TEST_P(UserStoreContract, SetsTheConnectyCubeIdAndTouchesUpdatedAt) {
  const User user = create(email("cc"));
  constexpr std::int64_t kLargeId = 5'000'000'123;  // beyond 32 bits
  for (std::int64_t cc_id : {std::int64_t{1234567}, kLargeId}) {
    auto set = run_sync(store().set_connectycube_id(user.id, cc_id));
    ASSERT_TRUE(set.has_value()) << to_string(set.error());
    auto found = run_sync(store().find_by_id(user.id));
    ASSERT_TRUE(found.has_value() && found->has_value());
    EXPECT_EQ((*found)->connectycube_id, cc_id);
    EXPECT_GE((*found)->updated_at, user.created_at);
    EXPECT_EQ((*found)->created_at, user.created_at);
    EXPECT_EQ((*found)->email, user.email);
  }
}

TEST_P(UserStoreContract, SettingTheConnectyCubeIdOfAnUnknownUserIsNotFound) {
  for (const std::string& id : {new_object_id(), std::string("nope")}) {
    auto set = run_sync(store().set_connectycube_id(id, 7));
    ASSERT_FALSE(set.has_value()) << id;
    EXPECT_EQ(set.error(), StoreError::kNotFound);
  }
}

TEST_P(UserStoreContract, DeletesAUserAndFreesItsEmail) {
  const std::string address = email("delete");
  const User user = create(address);
  auto deleted = run_sync(store().delete_user(user.id));
  ASSERT_TRUE(deleted.has_value()) << to_string(deleted.error());

  auto by_id = run_sync(store().find_by_id(user.id));
  ASSERT_TRUE(by_id.has_value());
  EXPECT_FALSE(by_id->has_value());
  auto by_email = run_sync(store().find_by_email(address));
  ASSERT_TRUE(by_email.has_value());
  EXPECT_FALSE(by_email->has_value());

  const User again = create(address);
  EXPECT_NE(again.id, user.id);
}

TEST_P(UserStoreContract, DeletingAnUnknownUserIsNotFound) {
  for (const std::string& id : {new_object_id(), std::string("nope")}) {
    auto deleted = run_sync(store().delete_user(id));
    ASSERT_FALSE(deleted.has_value()) << id;
    EXPECT_EQ(deleted.error(), StoreError::kNotFound);
  }
}

TEST_P(UserStoreContract, ReportsHealthy) {
  auto healthy = run_sync(store().health());
  EXPECT_TRUE(healthy.has_value()) << to_string(healthy.error());
}

TEST_P(UserStoreContract, TwoThreadsCreatingOverlappingEmailsLeaveOneAccountPerEmail) {
  // Thread A creates emails 0..999, thread B 500..1499: 500 are contested.
  constexpr int kPerThread = 1000;
  constexpr int kOffset = 500;
  const std::string token = unique_token();
  auto address = [&](int i) { return "race" + std::to_string(i) + "-" + token + "@example.com"; };

  struct Outcome {
    std::map<int, std::string> created;  // email number -> id
    std::map<StoreError, int> failures;
  };
  auto run_thread = [&](int first, Outcome& outcome) {
    for (int i = first; i < first + kPerThread; ++i) {
      auto created = run_sync(store().create_user(new_user(address(i))));
      if (created) {
        outcome.created[i] = created->id;
      } else {
        ++outcome.failures[created.error()];
      }
    }
  };
  Outcome a;
  Outcome b;
  std::thread thread_a([&] { run_thread(0, a); });
  std::thread thread_b([&] { run_thread(kOffset, b); });
  thread_a.join();
  thread_b.join();

  const int contested = kPerThread - kOffset;
  EXPECT_EQ(a.created.size() + b.created.size(),
            static_cast<std::size_t>(2 * kPerThread - contested));
  EXPECT_EQ(a.failures[StoreError::kDuplicateEmail] + b.failures[StoreError::kDuplicateEmail],
            contested);
  EXPECT_EQ(a.failures.size() + b.failures.size(),
            (a.failures.count(StoreError::kDuplicateEmail) ? 1u : 0u) +
                (b.failures.count(StoreError::kDuplicateEmail) ? 1u : 0u))
      << "only duplicate-email failures are expected";

  // Every email has exactly one account, the one whose creation succeeded.
  for (int i = 0; i < kPerThread + kOffset; ++i) {
    const bool by_a = a.created.count(i) != 0;
    const bool by_b = b.created.count(i) != 0;
    ASSERT_NE(by_a, by_b) << "email " << i << " created " << (by_a ? 2 : 0) << " times";
    auto found = run_sync(store().find_by_email(address(i)));
    ASSERT_TRUE(found.has_value() && found->has_value()) << "email " << i << " lost";
    EXPECT_EQ((*found)->id, by_a ? a.created[i] : b.created[i]);
  }
}

INSTANTIATE_TEST_SUITE_P(AllStores, UserStoreContract, ::testing::ValuesIn(stores_under_test()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace cubeauth::store::testing
