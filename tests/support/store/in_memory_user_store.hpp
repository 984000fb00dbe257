// An in-memory UserStore for other layers' unit tests: behaves as the real
// stores do (it passes tests/store's contract suite) and can be told to fail.
// Header-only, so any test program can use it by including it.
#pragma once

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/detail/relationship_pair.hpp"
#include "store/email.hpp"
#include "store/object_id.hpp"
#include "store/roles.hpp"
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

  boost::asio::awaitable<Result<void, StoreError>> set_password(
      std::string id, std::string password_hash,
      std::chrono::system_clock::time_point changed_at) override {
    auto changed = std::chrono::time_point_cast<std::chrono::milliseconds>(changed_at);
    co_return change(id, [&](User& user) {
      user.password_hash = std::move(password_hash);
      user.password_changed_at = changed;
    });
  }

  boost::asio::awaitable<Result<void, StoreError>> set_profile(std::string id,
                                                               std::string first_name,
                                                               std::string last_name) override {
    co_return change(id, [&](User& user) {
      user.first_name = std::move(first_name);
      user.last_name = std::move(last_name);
    });
  }

  boost::asio::awaitable<Result<void, StoreError>> set_disabled(std::string id,
                                                                bool disabled) override {
    co_return change(id, [&](User& user) { user.disabled = disabled; });
  }

  boost::asio::awaitable<Result<void, StoreError>> set_roles(
      std::string id, std::vector<std::string> roles) override {
    auto normal = normalize_roles(std::move(roles));
    if (!normal) {
      std::lock_guard lock(mutex_);
      if (auto error = next_failure()) {
        co_return unexpected(*error);
      }
      co_return unexpected(StoreError::kInternal);
    }
    co_return change(id, [&](User& user) { user.roles = std::move(*normal); });
  }

  boost::asio::awaitable<Result<UserPage, StoreError>> list_users(UserQuery query) override {
    co_return list(query);
  }

  boost::asio::awaitable<Result<void, StoreError>> create_refresh_token(
      NewRefreshToken token) override {
    co_return create_token(std::move(token));
  }

  boost::asio::awaitable<Result<Rotation, StoreError>> rotate_refresh_token(
      std::string presented_hash, NewRefreshToken next) override {
    co_return rotate(presented_hash, std::move(next));
  }

  boost::asio::awaitable<Result<std::optional<std::string>, StoreError>> revoke_refresh_family(
      std::string token_hash) override {
    co_return revoke_family(token_hash);
  }

  boost::asio::awaitable<Result<void, StoreError>> revoke_user_refresh_tokens(
      std::string user_id) override {
    co_return revoke_user(user_id);
  }

  boost::asio::awaitable<Result<std::size_t, StoreError>> purge_refresh_tokens(
      std::chrono::system_clock::time_point expired_before) override {
    co_return purge_tokens(expired_before);
  }

  /// How many refresh tokens are stored (used, revoked and expired ones included).
  std::size_t refresh_token_count() const {
    std::lock_guard lock(mutex_);
    return tokens_.size();
  }

  boost::asio::awaitable<Result<std::optional<Relationship>, StoreError>> find_relationship(
      std::string user_a, std::string user_b) override {
    co_return find_pair(user_a, user_b);
  }

  boost::asio::awaitable<Result<Relationship, StoreError>> create_relationship(
      NewRelationship relationship) override {
    co_return create_pair(relationship);
  }

  boost::asio::awaitable<Result<Relationship, StoreError>> update_relationship(
      std::string id, std::int64_t expected_version, RelationshipChange change) override {
    co_return update_pair(id, expected_version, std::move(change));
  }

  boost::asio::awaitable<Result<void, StoreError>> delete_relationship(
      std::string id, std::int64_t expected_version) override {
    co_return delete_pair(id, expected_version);
  }

  boost::asio::awaitable<Result<Relationship, StoreError>> set_relationship_dialog(
      std::string id, std::string dialog_id) override {
    co_return set_dialog(id, std::move(dialog_id));
  }

  boost::asio::awaitable<Result<RelationshipPage, StoreError>> list_relationships(
      RelationshipQuery query) override {
    co_return list_pairs(query);
  }

  boost::asio::awaitable<Result<std::vector<Relationship>, StoreError>>
  list_friendships_without_dialog(std::size_t limit) override {
    co_return without_dialog(limit);
  }

  /// A snapshot of the stored relationships, in id order.
  std::vector<Relationship> relationships() const {
    std::lock_guard lock(mutex_);
    std::vector<Relationship> out;
    for (const auto& [id, relationship] : relationships_) {
      out.push_back(relationship);
    }
    return out;
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
    const std::string user_id = found->first;
    users_.erase(found);
    std::erase_if(tokens_, [&](const auto& entry) { return entry.second.user_id == user_id; });
    std::erase_if(families_, [&](const auto& entry) { return entry.second.user_id == user_id; });
    std::erase_if(relationships_, [&](const auto& entry) {
      return entry.second.user_low == user_id || entry.second.user_high == user_id;
    });
    return {};
  }

  // Applies `edit` to the user and sets updated_at; counts as one call.
  template <class Edit>
  Result<void, StoreError> change(const std::string& id, Edit&& edit) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    auto found = is_object_id(id) ? users_.find(canonical_object_id(id)) : users_.end();
    if (found == users_.end()) {
      return unexpected(StoreError::kNotFound);
    }
    edit(found->second);
    found->second.updated_at = now();
    return {};
  }

  Result<UserPage, StoreError> list(const UserQuery& query) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    UserPage page;
    if (query.limit == 0 || (query.after_id && !is_object_id(*query.after_id))) {
      return page;
    }
    const std::string needle = ascii_lower(query.email_contains);
    auto it =
        query.after_id ? users_.upper_bound(canonical_object_id(*query.after_id)) : users_.begin();
    for (; it != users_.end(); ++it) {
      if (!needle.empty() && ascii_lower(it->second.email).find(needle) == std::string::npos) {
        continue;
      }
      if (page.users.size() == query.limit) {
        page.next_after_id = page.users.back().id;
        break;
      }
      page.users.push_back(it->second);
    }
    return page;
  }

  struct StoredToken {
    std::string family_id;
    std::string user_id;
    std::chrono::system_clock::time_point expires_at;
    bool used = false;
  };

  struct Family {
    std::string user_id;
    bool revoked = false;
  };

  Result<void, StoreError> create_token(NewRefreshToken token) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    if (!is_object_id(token.user_id) || !users_.contains(canonical_object_id(token.user_id))) {
      return unexpected(StoreError::kNotFound);
    }
    if (tokens_.contains(token.token_hash) || families_.contains(token.family_id)) {
      return unexpected(StoreError::kInternal);
    }
    const std::string user_id = canonical_object_id(token.user_id);
    families_[token.family_id] = Family{user_id, false};
    tokens_[token.token_hash] = StoredToken{token.family_id, user_id, token.expires_at, false};
    return {};
  }

  Result<Rotation, StoreError> rotate(const std::string& presented, NewRefreshToken next) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    auto found = tokens_.find(presented);
    if (found == tokens_.end()) {
      return Rotation{};
    }
    StoredToken& token = found->second;
    Family& family = families_.at(token.family_id);
    Rotation rotation{RotationOutcome::kRevoked, token.user_id, token.family_id};
    if (family.revoked) {
      return rotation;
    }
    if (token.used) {
      family.revoked = true;
      rotation.outcome = RotationOutcome::kReused;
      return rotation;
    }
    if (token.expires_at <= next.issued_at) {
      return rotation;
    }
    if (tokens_.contains(next.token_hash)) {
      return unexpected(StoreError::kInternal);
    }
    token.used = true;
    tokens_[next.token_hash] = StoredToken{token.family_id, token.user_id, next.expires_at, false};
    rotation.outcome = RotationOutcome::kRotated;
    return rotation;
  }

  Result<std::optional<std::string>, StoreError> revoke_family(const std::string& token_hash) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    auto found = tokens_.find(token_hash);
    if (found == tokens_.end()) {
      return std::optional<std::string>();
    }
    families_.at(found->second.family_id).revoked = true;
    return std::optional<std::string>(found->second.user_id);
  }

  Result<void, StoreError> revoke_user(const std::string& user_id) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    const std::string key = is_object_id(user_id) ? canonical_object_id(user_id) : user_id;
    for (auto& [id, family] : families_) {
      if (family.user_id == key) {
        family.revoked = true;
      }
    }
    return {};
  }

  Result<std::size_t, StoreError> purge_tokens(std::chrono::system_clock::time_point before) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    const std::size_t removed =
        std::erase_if(tokens_, [&](const auto& entry) { return entry.second.expires_at < before; });
    std::erase_if(families_, [&](const auto& family) {
      return std::none_of(tokens_.begin(), tokens_.end(), [&](const auto& token) {
        return token.second.family_id == family.first;
      });
    });
    return removed;
  }

  // --- relationships ---

  Relationship* relationship_by_id(const std::string& id) {
    auto found =
        is_object_id(id) ? relationships_.find(canonical_object_id(id)) : relationships_.end();
    return found != relationships_.end() ? &found->second : nullptr;
  }

  Relationship* relationship_by_pair(const std::string& low, const std::string& high) {
    for (auto& [id, relationship] : relationships_) {
      if (relationship.user_low == low && relationship.user_high == high) {
        return &relationship;
      }
    }
    return nullptr;
  }

  Result<std::optional<Relationship>, StoreError> find_pair(const std::string& a,
                                                            const std::string& b) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    auto pair = detail::ordered_ids(a, b);
    if (!pair) {
      return std::optional<Relationship>();
    }
    const Relationship* found = relationship_by_pair(pair->first, pair->second);
    return found != nullptr ? std::optional<Relationship>(*found) : std::nullopt;
  }

  Result<Relationship, StoreError> create_pair(const NewRelationship& input) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    auto pair = detail::canonical_pair(input);
    if (!pair) {
      return unexpected(pair.error());
    }
    if (!users_.contains(pair->user_low) || !users_.contains(pair->user_high)) {
      return unexpected(StoreError::kNotFound);
    }
    if (relationship_by_pair(pair->user_low, pair->user_high) != nullptr) {
      return unexpected(StoreError::kConflict);
    }
    Relationship relationship;
    relationship.created_at = now();
    relationship.updated_at = relationship.created_at;
    relationship.id = new_object_id(relationship.created_at);
    relationship.user_low = std::move(pair->user_low);
    relationship.user_high = std::move(pair->user_high);
    relationship.status = input.status;
    relationship.acted_by = std::move(pair->acted_by);
    relationship.blocked_by_low = pair->blocked_by_low;
    relationship.blocked_by_high = pair->blocked_by_high;
    relationship.version = 1;
    relationships_[relationship.id] = relationship;
    return relationship;
  }

  Result<Relationship, StoreError> update_pair(const std::string& id, std::int64_t expected,
                                               RelationshipChange change) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    if (!is_consistent(change)) {
      return unexpected(StoreError::kInternal);
    }
    Relationship* found = relationship_by_id(id);
    if (found == nullptr) {
      return unexpected(StoreError::kNotFound);
    }
    if (found->version != expected) {
      return unexpected(StoreError::kConflict);
    }
    const std::string actor =
        is_object_id(change.acted_by) ? canonical_object_id(change.acted_by) : change.acted_by;
    if (actor != found->user_low && actor != found->user_high) {
      return unexpected(StoreError::kInternal);
    }
    found->status = change.status;
    found->acted_by = actor;
    found->blocked_by_low = change.blocked_by_low;
    found->blocked_by_high = change.blocked_by_high;
    found->version += 1;
    found->updated_at = now();
    return *found;
  }

  Result<void, StoreError> delete_pair(const std::string& id, std::int64_t expected) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    Relationship* found = relationship_by_id(id);
    if (found == nullptr) {
      return unexpected(StoreError::kNotFound);
    }
    if (found->version != expected) {
      return unexpected(StoreError::kConflict);
    }
    relationships_.erase(found->id);
    return {};
  }

  Result<Relationship, StoreError> set_dialog(const std::string& id, std::string dialog_id) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    Relationship* found = relationship_by_id(id);
    if (found == nullptr) {
      return unexpected(StoreError::kNotFound);
    }
    if (found->status != RelationshipStatus::kFriends) {
      return unexpected(StoreError::kConflict);
    }
    if (!found->dialog_id) {
      found->dialog_id = std::move(dialog_id);
    }
    return *found;
  }

  static bool in_view(const Relationship& relationship, const std::string& user,
                      RelationshipView view) {
    if (relationship.user_low != user && relationship.user_high != user) {
      return false;
    }
    switch (view) {
      case RelationshipView::kFriends:
        return relationship.status == RelationshipStatus::kFriends;
      case RelationshipView::kIncoming:
        return relationship.status == RelationshipStatus::kPending && relationship.acted_by != user;
      case RelationshipView::kOutgoing:
        return relationship.status == RelationshipStatus::kPending && relationship.acted_by == user;
      case RelationshipView::kBlocked:
        return relationship.status == RelationshipStatus::kBlocked && relationship.blocked_by(user);
    }
    return false;
  }

  Result<RelationshipPage, StoreError> list_pairs(const RelationshipQuery& query) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    RelationshipPage page;
    if (query.limit == 0 || !is_object_id(query.user_id) ||
        (query.after_id && !is_object_id(*query.after_id))) {
      return page;
    }
    const std::string user = canonical_object_id(query.user_id);
    auto it = query.after_id ? relationships_.upper_bound(canonical_object_id(*query.after_id))
                             : relationships_.begin();
    for (; it != relationships_.end(); ++it) {
      if (!in_view(it->second, user, query.view)) {
        continue;
      }
      if (page.items.size() == query.limit) {
        page.next_after_id = page.items.back().id;
        break;
      }
      page.items.push_back(it->second);
    }
    return page;
  }

  Result<std::vector<Relationship>, StoreError> without_dialog(std::size_t limit) {
    std::lock_guard lock(mutex_);
    if (auto error = next_failure()) {
      return unexpected(*error);
    }
    std::vector<Relationship> out;
    for (const auto& [id, relationship] : relationships_) {
      if (relationship.status == RelationshipStatus::kFriends && !relationship.dialog_id) {
        out.push_back(relationship);
      }
    }
    std::stable_sort(out.begin(), out.end(), [](const Relationship& a, const Relationship& b) {
      return a.updated_at < b.updated_at;
    });
    if (out.size() > limit) {
      out.resize(limit);
    }
    return out;
  }

  mutable std::mutex mutex_;
  std::map<std::string, User> users_;
  /// Normalised email -> ids of the users with it (several only through put()).
  std::map<std::string, std::set<std::string>> by_email_;
  /// Refresh tokens by hash, and their families by id.
  std::map<std::string, StoredToken> tokens_;
  std::map<std::string, Family> families_;
  /// Relationships by id (ids sort as their hex, the list order).
  std::map<std::string, Relationship> relationships_;
  std::size_t calls_ = 0;
  std::optional<StoreError> fail_every_;
  std::optional<std::size_t> fail_at_;
  StoreError fail_at_error_ = StoreError::kInternal;
};

}  // namespace cubeauth::store::testing
