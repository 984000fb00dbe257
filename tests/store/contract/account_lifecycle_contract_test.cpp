// The account-lifecycle part of the contract (issue 9): passwords, profile,
// disabled flag, roles and the admin's user listing, run against each store.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "store/contract/contract_fixture.hpp"

namespace cubeauth::store::testing {
namespace {

using std::chrono::system_clock;

system_clock::time_point millis_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(system_clock::now());
}

User reread(UserStore& store, const std::string& id) {
  auto found = run_sync(store.find_by_id(id));
  EXPECT_TRUE(found.has_value() && found->has_value());
  return found.has_value() && found->has_value() ? **found : User{};
}

TEST_P(LifecycleContract, NewUsersHaveNoRolesAreEnabledAndHaveNoPasswordChange) {
  const User user = create(email("defaults"));
  EXPECT_TRUE(user.roles.empty());
  EXPECT_FALSE(user.disabled);
  EXPECT_FALSE(user.password_changed_at.has_value());
  EXPECT_EQ(reread(store(), user.id), user);
}

TEST_P(LifecycleContract, SetsThePasswordAndItsChangeTime) {
  const User user = create(email("password"));
  const auto changed = millis_now() + std::chrono::milliseconds(1234);
  ASSERT_TRUE(run_sync(store().set_password(user.id, "$2b$10$new", changed)).has_value());
  const User after = reread(store(), user.id);
  EXPECT_EQ(after.password_hash, "$2b$10$new");
  ASSERT_TRUE(after.password_changed_at.has_value());
  EXPECT_EQ(*after.password_changed_at, changed);
  EXPECT_GE(after.updated_at, user.updated_at);
  EXPECT_EQ(after.email, user.email);
  EXPECT_EQ(after.first_name, user.first_name);
}

TEST_P(LifecycleContract, SetsTheProfileNamesOnly) {
  const User user = create(email("profile"));
  ASSERT_TRUE(run_sync(store().set_profile(user.id, "Grace", "Hopper")).has_value());
  User after = reread(store(), user.id);
  EXPECT_EQ(after.first_name, "Grace");
  EXPECT_EQ(after.last_name, "Hopper");
  EXPECT_GE(after.updated_at, user.updated_at);
  after.first_name = user.first_name;
  after.last_name = user.last_name;
  after.updated_at = user.updated_at;
  EXPECT_EQ(after, user);
}

TEST_P(LifecycleContract, DisablesAndEnablesAnAccount) {
  const User user = create(email("disabled"));
  ASSERT_TRUE(run_sync(store().set_disabled(user.id, true)).has_value());
  EXPECT_TRUE(reread(store(), user.id).disabled);
  ASSERT_TRUE(run_sync(store().set_disabled(user.id, false)).has_value());
  EXPECT_FALSE(reread(store(), user.id).disabled);
}

TEST_P(LifecycleContract, StoresRolesSortedWithoutDuplicatesOrTheImplicitUser) {
  const User user = create(email("roles"));
  std::vector<std::string> roles = {"support", "admin", "user", "admin"};
  ASSERT_TRUE(run_sync(store().set_roles(user.id, roles)).has_value());
  EXPECT_EQ(reread(store(), user.id).roles, (std::vector<std::string>{"admin", "support"}));
  std::vector<std::string> none;
  ASSERT_TRUE(run_sync(store().set_roles(user.id, none)).has_value());
  EXPECT_TRUE(reread(store(), user.id).roles.empty());
}

TEST_P(LifecycleContract, RefusesARoleNameThatIsNoShortAsciiWord) {
  const User user = create(email("badrole"));
  std::vector<std::string> admin = {"admin"};
  ASSERT_TRUE(run_sync(store().set_roles(user.id, admin)).has_value());
  for (std::string bad : {"a,b", "", "Admin", "with space"}) {
    std::vector<std::string> roles = {bad};
    auto refused = run_sync(store().set_roles(user.id, roles));
    ASSERT_FALSE(refused.has_value()) << bad;
    EXPECT_EQ(refused.error(), StoreError::kInternal);
  }
  EXPECT_EQ(reread(store(), user.id).roles, std::vector<std::string>{"admin"});
}

TEST_P(LifecycleContract, EveryUpdateOfAnUnknownOrMalformedIdIsNotFound) {
  for (std::string id : {new_object_id(), std::string("not-an-id")}) {
    std::vector<std::string> roles = {"admin"};
    const auto password = run_sync(store().set_password(id, "$2b$10$x", millis_now()));
    const auto profile = run_sync(store().set_profile(id, "A", "B"));
    const auto disabled = run_sync(store().set_disabled(id, true));
    const auto set_roles = run_sync(store().set_roles(id, roles));
    for (const auto* result : {&password, &profile, &disabled, &set_roles}) {
      ASSERT_FALSE(result->has_value()) << id;
      EXPECT_EQ(result->error(), StoreError::kNotFound) << id;
    }
  }
}

/// Users whose email contains `tag`, read page by page.
std::vector<UserPage> all_pages(UserStore& store, const std::string& tag, std::size_t limit) {
  std::vector<UserPage> pages;
  UserQuery query;
  query.email_contains = tag;
  query.limit = limit;
  for (int guard = 0; guard < 100; ++guard) {
    auto page = run_sync(store.list_users(query));
    EXPECT_TRUE(page.has_value()) << to_string(page.error());
    if (!page.has_value()) {
      break;
    }
    pages.push_back(*page);
    if (!page->next_after_id) {
      break;
    }
    query.after_id = page->next_after_id;
  }
  return pages;
}

TEST_P(LifecycleContract, ListsUsersInAscendingIdOrderPageByPage) {
  const std::string tag = "page" + unique_token();
  std::vector<User> users;
  for (int i = 0; i < 5; ++i) {
    users.push_back(create(tag + "-" + std::to_string(i) + "@example.com"));
  }
  std::sort(users.begin(), users.end(), [](const User& a, const User& b) { return a.id < b.id; });

  const auto pages = all_pages(store(), tag, 2);
  ASSERT_EQ(pages.size(), 3u);
  std::vector<User> listed;
  for (const auto& page : pages) {
    if (page.next_after_id) {
      ASSERT_FALSE(page.users.empty());
      EXPECT_EQ(*page.next_after_id, page.users.back().id);
      EXPECT_EQ(page.users.size(), 2u);
    }
    listed.insert(listed.end(), page.users.begin(), page.users.end());
  }
  EXPECT_EQ(listed, users);
  EXPECT_FALSE(pages.back().next_after_id.has_value());
}

TEST_P(LifecycleContract, AFullLastPageSaysNothingMoreFollows) {
  const std::string tag = "full" + unique_token();
  create(tag + "-a@example.com");
  create(tag + "-b@example.com");
  const auto pages = all_pages(store(), tag, 2);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].users.size(), 2u);
  EXPECT_FALSE(pages[0].next_after_id.has_value());
}

TEST_P(LifecycleContract, SearchesEmailsIgnoringAsciiCase) {
  const std::string tag = "case" + unique_token();
  const User user = create(tag + "@example.com");
  std::string shouted = tag;
  std::transform(shouted.begin(), shouted.end(), shouted.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  const auto pages = all_pages(store(), shouted + "@EXAMPLE", 10);
  ASSERT_EQ(pages.size(), 1u);
  ASSERT_EQ(pages[0].users.size(), 1u);
  EXPECT_EQ(pages[0].users[0].id, user.id);
}

TEST_P(LifecycleContract, SearchTakesPercentUnderscoreAndBackslashLiterally) {
  const std::string tag = unique_token();
  const User literal = create("a%b_c\\d-" + tag + "@example.com");
  create("axbyc\\d-" + tag + "@example.com");
  create("aXXbYc\\d-" + tag + "@example.com");
  create("a%b_cd-" + tag + "@example.com");
  const auto pages = all_pages(store(), "%b_c\\d-" + tag, 10);
  ASSERT_EQ(pages.size(), 1u);
  ASSERT_EQ(pages[0].users.size(), 1u);
  EXPECT_EQ(pages[0].users[0].id, literal.id);
}

TEST_P(LifecycleContract, ListsTheNewFieldsAsStored) {
  const std::string tag = "fields" + unique_token();
  const User user = create(tag + "@example.com");
  std::vector<std::string> roles = {"admin"};
  ASSERT_TRUE(run_sync(store().set_roles(user.id, roles)).has_value());
  ASSERT_TRUE(run_sync(store().set_disabled(user.id, true)).has_value());
  const auto pages = all_pages(store(), tag, 10);
  ASSERT_EQ(pages.size(), 1u);
  ASSERT_EQ(pages[0].users.size(), 1u);
  EXPECT_EQ(pages[0].users[0], reread(store(), user.id));
}

TEST_P(LifecycleContract, ListingAfterAMalformedIdOrWithNoRoomIsEmpty) {
  const std::string tag = "empty" + unique_token();
  create(tag + "@example.com");
  UserQuery query;
  query.email_contains = tag;
  query.after_id = "zz";
  auto page = run_sync(store().list_users(query));
  ASSERT_TRUE(page.has_value());
  EXPECT_TRUE(page->users.empty());
  EXPECT_FALSE(page->next_after_id.has_value());
  query.after_id.reset();
  query.limit = 0;
  page = run_sync(store().list_users(query));
  ASSERT_TRUE(page.has_value());
  EXPECT_TRUE(page->users.empty());
  EXPECT_FALSE(page->next_after_id.has_value());
}

TEST_P(LifecycleContract, ListingWithoutSearchTextStartsAfterTheCursor) {
  const User first = create(email("cursor"));
  const User second = create(email("cursor"));
  UserQuery query;
  query.after_id = first.id;
  query.limit = 100;
  auto page = run_sync(store().list_users(query));
  ASSERT_TRUE(page.has_value()) << to_string(page.error());
  ASSERT_FALSE(page->users.empty());
  for (const auto& user : page->users) {
    EXPECT_GT(user.id, first.id);
  }
  const bool has_second = std::any_of(page->users.begin(), page->users.end(),
                                      [&](const User& u) { return u.id == second.id; });
  // second sorts after first unless both ids share a second and random tail order.
  EXPECT_EQ(has_second, second.id > first.id);
}

INSTANTIATE_TEST_SUITE_P(AllStores, LifecycleContract, ::testing::ValuesIn(stores_under_test()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace cubeauth::store::testing
