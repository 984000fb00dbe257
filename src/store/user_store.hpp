// UserStore: where users live. One interface, one adapter per database
// (sqlite/, postgres/, mongo/), all held to tests/store/contract/.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "common/result.hpp"
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

  /// Removes the user (used to undo a registration). kNotFound for an unknown id.
  virtual boost::asio::awaitable<Result<void, StoreError>> delete_user(std::string id) = 0;

  /// Succeeds when the database answers a trivial query now; kUnavailable if not.
  /// Readiness probes call this.
  virtual boost::asio::awaitable<Result<void, StoreError>> health() = 0;
};

}  // namespace cubeauth::store
