// UserStore: where users live. One interface, one adapter per database
// (sqlite/, postgres/, mongo/), all held to tests/store/contract/.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "store/event_channel.hpp"
#include "store/refresh_token.hpp"
#include "store/relationship.hpp"
#include "store/store_error.hpp"
#include "store/user.hpp"

namespace cubeauth::store {

/// Every call may be awaited from an I/O thread: adapters over blocking drivers
/// do the work on a pool of their own and resume the caller on its executor.
/// A store is safe to use from many threads at once, and must outlive its calls.
///
/// g++ 12: pass named arguments, never temporaries, inside a co_await expression
/// (`NewUser u{...}; co_await store.create_user(std::move(u));`, not
/// `co_await store.create_user({...})`): it destroys such temporaries twice.
class UserStore {
 public:
  virtual ~UserStore() = default;

  /// Inserts a user with a fresh ObjectId id and created_at = updated_at = now.
  /// kDuplicateEmail when the email (case-insensitively) is taken.
  virtual boost::asio::awaitable<Result<User, StoreError>> create_user(NewUser user) = 0;

  /// Finds the account whose email equals `email` ignoring case (ASCII letters)
  /// and surrounding spaces; an exact match on the normalised form comes first.
  virtual boost::asio::awaitable<Result<std::optional<User>, StoreError>> find_by_email(
      std::string email) = 0;

  /// nullopt for an unknown id, including a string that is no ObjectId.
  virtual boost::asio::awaitable<Result<std::optional<User>, StoreError>> find_by_id(
      std::string id) = 0;

  /// Sets connectycube_id and updated_at. kNotFound for an unknown id.
  virtual boost::asio::awaitable<Result<void, StoreError>> set_connectycube_id(
      std::string id, std::int64_t connectycube_id) = 0;

  /// Removes the user, every refresh token of theirs and every relationship they are
  /// in (undo of a registration, account deletion). kNotFound for an unknown id.
  virtual boost::asio::awaitable<Result<void, StoreError>> delete_user(std::string id) = 0;

  // --- account lifecycle (issue 9) ---

  /// Sets password_hash, password_changed_at = changed_at and updated_at = now.
  /// kNotFound for an unknown id.
  virtual boost::asio::awaitable<Result<void, StoreError>> set_password(
      std::string id, std::string password_hash,
      std::chrono::system_clock::time_point changed_at) = 0;

  /// Sets first_name, last_name and updated_at. kNotFound for an unknown id.
  virtual boost::asio::awaitable<Result<void, StoreError>> set_profile(std::string id,
                                                                       std::string first_name,
                                                                       std::string last_name) = 0;

  /// Sets the disabled flag and updated_at. kNotFound for an unknown id.
  virtual boost::asio::awaitable<Result<void, StoreError>> set_disabled(std::string id,
                                                                        bool disabled) = 0;

  /// Replaces the user's extra roles (sorted, no duplicates, "user" never stored).
  /// kNotFound for an unknown id. Role names are [a-z0-9_-]{1,32} (store/roles.hpp):
  /// another name fails the call with kInternal and stores nothing.
  virtual boost::asio::awaitable<Result<void, StoreError>> set_roles(
      std::string id, std::vector<std::string> roles) = 0;

  /// Users in ascending id order, filtered and paged as `query` says. An after_id
  /// that is no ObjectId, or a limit of 0, gives an empty page.
  virtual boost::asio::awaitable<Result<UserPage, StoreError>> list_users(UserQuery query) = 0;

  /// Stores the first token of a new family (a login). kNotFound when no user has
  /// token.user_id.
  virtual boost::asio::awaitable<Result<void, StoreError>> create_refresh_token(
      NewRefreshToken token) = 0;

  /// Atomically uses the token whose hash is `presented_hash` and stores `next` in
  /// the same family (next.family_id and next.user_id are overwritten with the
  /// family's). Of two concurrent calls with one hash exactly one gets kRotated; the
  /// other sees kReused and the family is revoked (with more racers, each other one
  /// sees kReused, or kRevoked once the family is revoked; the winner's new token is
  /// then revoked too). A token past its expires_at at
  /// `next.issued_at`, or of a revoked family, gives kRevoked and stores nothing.
  virtual boost::asio::awaitable<Result<Rotation, StoreError>> rotate_refresh_token(
      std::string presented_hash, NewRefreshToken next) = 0;

  /// Revokes the family of the token whose hash is `token_hash` (logout). Returns
  /// the family's user id, or nullopt when no token has this hash.
  virtual boost::asio::awaitable<Result<std::optional<std::string>, StoreError>>
  revoke_refresh_family(std::string token_hash) = 0;

  /// Revokes every refresh token family of the user (logout everywhere, password
  /// change). Succeeds for a user with none.
  virtual boost::asio::awaitable<Result<void, StoreError>> revoke_user_refresh_tokens(
      std::string user_id) = 0;

  /// Removes every refresh token that expired before `expired_before`, and every family
  /// left without a token; returns how many tokens went. Unexpired tokens stay, used and
  /// revoked ones too, so reuse is still detected and revocation still holds until they
  /// expire. Pass a time well before now: a token never expires while it is rotated.
  virtual boost::asio::awaitable<Result<std::size_t, StoreError>> purge_refresh_tokens(
      std::chrono::system_clock::time_point expired_before) = 0;

  // --- relationships (issue 10; store/relationship.hpp) ---

  /// The pair's relationship, given its two user ids in either order; nullopt if none.
  virtual boost::asio::awaitable<Result<std::optional<Relationship>, StoreError>>
  find_relationship(std::string user_a, std::string user_b) = 0;

  /// Inserts the pair's relationship with version 1, a fresh ObjectId id and
  /// created_at = updated_at = now; created blocked, it is acted_by's block. kConflict when the pair already has one (whoever
  /// created it: of two racing creations exactly one succeeds); kNotFound when either
  /// user does not exist; kInternal when the two ids are equal or acted_by is neither.
  virtual boost::asio::awaitable<Result<Relationship, StoreError>> create_relationship(
      NewRelationship relationship) = 0;

  /// Sets status, acted_by, both block flags and updated_at = now, and adds 1 to
  /// version, only if the stored version is still `expected_version`; returns the
  /// relationship as stored after the change. kConflict when the version differs
  /// (someone changed it since it was read); kNotFound when it is gone; kInternal when
  /// the flags disagree with the status (store::is_consistent).
  virtual boost::asio::awaitable<Result<Relationship, StoreError>> update_relationship(
      std::string id, std::int64_t expected_version, RelationshipChange change) = 0;

  /// Deletes the relationship only if its version is still `expected_version`.
  /// kConflict when the version differs; kNotFound when it is gone.
  virtual boost::asio::awaitable<Result<void, StoreError>> delete_relationship(
      std::string id, std::int64_t expected_version) = 0;

  /// Records the pair's ConnectyCube dialog if none is recorded yet, while the status
  /// is friends; version and updated_at stay. Returns the relationship as stored, whose
  /// dialog_id is the first one recorded (so concurrent callers agree on one dialog).
  /// kConflict when the status is not friends; kNotFound when it is gone.
  virtual boost::asio::awaitable<Result<Relationship, StoreError>> set_relationship_dialog(
      std::string id, std::string dialog_id) = 0;

  /// One page of the user's relationships of one view, in ascending id order. An
  /// after_id that is no ObjectId, or a limit of 0, gives an empty page.
  virtual boost::asio::awaitable<Result<RelationshipPage, StoreError>> list_relationships(
      RelationshipQuery query) = 0;

  /// Friendships that have no dialog yet, least recently updated first, at most
  /// `limit` (the dialog retrier's work list).
  virtual boost::asio::awaitable<Result<std::vector<Relationship>, StoreError>>
  list_friendships_without_dialog(std::size_t limit) = 0;

  /// A channel between the cubeauth processes sharing this database (event_channel.hpp),
  /// or null when the database has none: events then stay within the process.
  virtual std::unique_ptr<EventChannel> open_event_channel() { return nullptr; }

  /// Succeeds when the database answers a trivial query now; kUnavailable if not.
  /// Readiness probes call this.
  virtual boost::asio::awaitable<Result<void, StoreError>> health() = 0;
};

}  // namespace cubeauth::store
