// bcrypt password hashes through libxcrypt, computed on a pool of CPU threads of
// their own so that an I/O thread never waits on a hash (about 50 ms at cost 10).
#pragma once

#include "common/result.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <string>
#include <string_view>

namespace cubeauth::auth {

/// bcrypt reads at most 72 bytes and stops at a NUL: longer passwords, or ones
/// with a NUL, would silently match others, so they are never hashed or matched.
inline constexpr std::size_t kMaxPasswordBytes = 72;

enum class PasswordError {
  kTooLong,       ///< more than kMaxPasswordBytes bytes
  kContainsNul,   ///< a NUL byte (bcrypt would stop there)
  kHashFailed,    ///< libxcrypt failed (no randomness, bad cost): a server fault
};

/// Synchronous primitives, for the pool and for tests.
Result<std::string, PasswordError> bcrypt_hash(std::string_view password, int cost);
/// True when `password` matches `stored` ($2a$, $2b$ or $2y$); false for a malformed hash.
bool bcrypt_verify(std::string_view password, std::string_view stored);

class PasswordHasher {
 public:
  /// `threads` 0: one per core. `nice` > 0 lowers the hash threads' priority by that
  /// much (the server uses CUBEAUTH_HASH_NICE, default 10, so that a burst of logins
  /// does not delay requests that need no hash); 0 leaves it alone.
  PasswordHasher(int cost, std::size_t threads = 0, int nice = 0);
  ~PasswordHasher();

  boost::asio::awaitable<Result<std::string, PasswordError>> hash(std::string password);
  boost::asio::awaitable<bool> verify(std::string password, std::string stored);
  /// Spends the time of one verification and answers false: used when the account does
  /// not exist, so that timing does not tell an unknown email from a wrong password.
  boost::asio::awaitable<bool> verify_nothing(std::string password);

  int cost() const { return cost_; }

 private:
  int cost_;
  int nice_;
  std::string dummy_hash_;
  boost::asio::thread_pool pool_;
};

}  // namespace cubeauth::auth
