// An in-memory UserStore for other layers' unit tests: behaves as the real
// stores do (it passes tests/store's contract suite) and can be told to fail.
// Header-only, so any test program can use it by including it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "store/email.hpp"
#include "store/object_id.hpp"
#include "store/user_store.hpp"

namespace cubeauth::store::testing {

class InMemoryUserStore final : public UserStore {
 public:
  /// Every call from now on fails with `error` (a database outage), until
  /// called again with nullopt.
  void fail_every_call(std::optional<StoreError> error) {
    std::lock_guard lock(mutex_);
    fail_every_ = error;
  }

  /// The call numbered `n` from now (0 = the next one) fails with `error`; the
  /// others behave normally. For fault loops: fail at step n = 0, 1, ...
  void fail_call(std::size_t n, StoreError error) {
    std::lock_guard lock(mutex_);
    fail_at_ = calls_ + n;
    fail_at_error_ = error;
  }

  /// How many calls were made, failed ones included.
  std::size_t calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

  /// A snapshot of the stored users, by id.
  std::vector<User> users() const {
    std::lock_guard lock(mutex_);
    std::vector<User> out;
    for (const auto& [id, user] : users_) {
      out.push_back(user);
    }
    return out;
  }

  /// Stores `user` as it is (mixed-case email, preset id), like a row written by
  /// the old server. Replaces a user with the same id.
  void put(User user) {
    std::lock_guard lock(mutex_);
    if (auto old = users_.find(user.id); old != users_.end()) {
      unindex(old->second);
    }
    index(user);
    users_[user.id] = std::move(user);
  }

  boost::asio::awaitable<Result<User, StoreError>> create_user(NewUser input) override {
    co_return create(std::move(input));
  }

  boost::asio::awaitable<Result<std::optional<User>, StoreError>> find_by_email(
      std::string email) override {
    co_return find_email(email);
  }

  boost::asio::awaitable<Result<std::optional<User>, StoreError>> find_by_id(
      std::string id) override {
    co_return find_id(id);
  }

  boost::asio::awaitable<Result<void, StoreError>> set_connectycube_id(
      std::string id, std::int64_t connectycube_id) override {
    co_return set_cc(id, connectycube_id);
  }

  boost::asio::awaitable<Result<void, StoreError>> delete_user(std::string id) override {
    co_return erase(id);
  }

  boost::asio::awaitable<Result<void, StoreError>> health() override {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      co_return unexpected(*error);
    }
    co_return Result<void, StoreError>();
  }

 private:
  static std::chrono::system_clock::time_point now() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
  }

  // Called with mutex_ held; counts the call.
  std::optional<StoreError> next_failure() {
    const std::size_t call = calls_++;
    if (fail_every_) {
      return fail_every_;
    }
    if (fail_at_ && *fail_at_ == call) {
      fail_at_.reset();
      return fail_at_error_;
    }
    return std::nullopt;
  }

  // An exact match on the normalised form first, as the real stores do.
  const User* by_email(const std::string& key) const {
    auto exact = by_email_.find(key);
    if (exact != by_email_.end()) {
      for (const auto& id : exact->second) {
        if (users_.at(id).email == key) {
          return &users_.at(id);
        }
      }
      return &users_.at(*exact->second.begin());
    }
    return nullptr;
  }

  void index(const User& user) { by_email_[normalize_email(user.email)].insert(user.id); }

  void unindex(const User& user) {
    auto entry = by_email_.find(normalize_email(user.email));
    if (entry != by_email_.end()) {
      entry->second.erase(user.id);
      if (entry->second.empty()) {
        by_email_.erase(entry);
      }
    }
  }

  Result<User, StoreError> create(NewUser input) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    if (by_email(normalize_email(input.email)) != nullptr) {
      return unexpected(StoreError::kDuplicateEmail);
    }
    User user;
    user.created_at = now();
    user.updated_at = user.created_at;
    user.id = new_object_id(user.created_at);
    user.email = std::move(input.email);
    user.first_name = std::move(input.first_name);
    user.last_name = std::move(input.last_name);
    user.password_hash = std::move(input.password_hash);
    users_[user.id] = user;
    index(user);
    return user;
  }

  Result<std::optional<User>, StoreError> find_email(const std::string& email) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    const User* user = by_email(normalize_email(email));
    return user != nullptr ? std::optional<User>(*user) : std::nullopt;
  }

  Result<std::optional<User>, StoreError> find_id(const std::string& id) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    if (!is_object_id(id)) {
      return std::optional<User>();
    }
    auto found = users_.find(canonical_object_id(id));
    return found != users_.end() ? std::optional<User>(found->second) : std::nullopt;
  }

  Result<void, StoreError> set_cc(const std::string& id, std::int64_t connectycube_id) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    auto found = is_object_id(id) ? users_.find(canonical_object_id(id)) : users_.end();
    if (found == users_.end()) {
      return unexpected(StoreError::kNotFound);
    }
    found->second.connectycube_id = connectycube_id;
    found->second.updated_at = now();
    return {};
  }

  Result<void, StoreError> erase(const std::string& id) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    auto found = is_object_id(id) ? users_.find(canonical_object_id(id)) : users_.end();
    if (found == users_.end()) {
      return unexpected(StoreError::kNotFound);
    }
    unindex(found->second);
    users_.erase(found);
    return {};
  }

  mutable std::mutex mutex_;
  std::map<std::string, User> users_;
  /// Normalised email -> ids of the users with it (several only through put()).
  std::map<std::string, std::set<std::string>> by_email_;
  std::size_t calls_ = 0;
  std::optional<StoreError> fail_every_;
  std::optional<std::size_t> fail_at_;
  StoreError fail_at_error_ = StoreError::kInternal;
};

}  // namespace cubeauth::store::testing
