// The stores the contract suite runs against: the in-memory fake and SQLite
// always, PostgreSQL when TEST_POSTGRES_URL is set, MongoDB when TEST_MONGO_URI is.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "store/user_store.hpp"

namespace cubeauth::store::testing {

struct OpenedStore {
  std::unique_ptr<UserStore> store;
  /// Non-empty: the store cannot run here, and why (the test is skipped).
  std::string skip_reason;
  /// What must live as long as the store (a temporary folder).
  std::shared_ptr<void> keep_alive;
};

struct StoreUnderTest {
  std::string name;
  std::function<OpenedStore()> open;
};

inline std::ostream& operator<<(std::ostream& out, const StoreUnderTest& store) {
  return out << store.name;
}

std::vector<StoreUnderTest> stores_under_test();

/// A string unique to this process and call, for emails that never collide in
/// a database shared by several test runs.
std::string unique_token();

}  // namespace cubeauth::store::testing
