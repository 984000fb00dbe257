// The fixture of the contract suite: one store of stores_under_test() per test.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>

#include "store/contract/stores.hpp"
#include "store/object_id.hpp"
#include "store/run_sync.hpp"
#include "store/user_store.hpp"

namespace cubeauth::store::testing {

class UserStoreContract : public ::testing::TestWithParam<StoreUnderTest> {
 protected:
  void SetUp() override {
    opened_ = GetParam().open();
    if (!opened_.skip_reason.empty()) {
      GTEST_SKIP() << opened_.skip_reason;
    }
    ASSERT_NE(opened_.store, nullptr);
  }

  UserStore& store() { return *opened_.store; }

  static std::string email(std::string_view tag) {
    return std::string(tag) + "-" + unique_token() + "@example.com";
  }

  static NewUser new_user(std::string email_address) {
    return NewUser{std::move(email_address), "Ada", "Lovelace", "$2b$10$abcdefghijklmnopqrstuv"};
  }

  User create(std::string email_address) {
    auto created = run_sync(store().create_user(new_user(std::move(email_address))));
    EXPECT_TRUE(created.has_value()) << to_string(created.error());
    return created.has_value() ? *created : User{};
  }

  OpenedStore opened_;
};

/// The account-lifecycle part of the contract (issue 9), with token helpers.
class LifecycleContract : public UserStoreContract {
 protected:
  /// A token of a new family of `user`, issued now, living for an hour.
  static NewRefreshToken first_token(const User& user) {
    const auto now =
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    return NewRefreshToken{unique_token(), new_object_id(), user.id, now,
                           now + std::chrono::hours(1)};
  }

  /// A successor token: family and user left empty (the store fills them in).
  static NewRefreshToken next_token(std::chrono::minutes later = std::chrono::minutes(1)) {
    const auto now =
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    return NewRefreshToken{unique_token(), "", "", now + later,
                           now + later + std::chrono::hours(1)};
  }

  NewRefreshToken stored_first_token(const User& user) {
    NewRefreshToken token = first_token(user);
    auto created = run_sync(store().create_refresh_token(token));
    EXPECT_TRUE(created.has_value()) << to_string(created.error());
    return token;
  }

  Rotation rotate(const std::string& hash, const NewRefreshToken& next) {
    auto rotated = run_sync(store().rotate_refresh_token(hash, next));
    EXPECT_TRUE(rotated.has_value()) << to_string(rotated.error());
    return rotated.has_value() ? *rotated : Rotation{};
  }
};

}  // namespace cubeauth::store::testing
