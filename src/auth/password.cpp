#include "auth/password.hpp"

#include "common/blocking.hpp"

#include <crypt.h>
#include <sys/resource.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include <memory>
#include <stdexcept>
#include <thread>

namespace cubeauth::auth {
namespace {

bool hashable(std::string_view password) {
  return password.size() <= kMaxPasswordBytes && password.find('\0') == std::string_view::npos;
}

bool is_bcrypt_hash(std::string_view stored) {
  return stored.size() == 60 && (stored.starts_with("$2a$") || stored.starts_with("$2b$") ||
                                 stored.starts_with("$2y$"));
}

/// Hash threads may run at a lower priority than the I/O threads, so that a burst of
/// logins, which saturates every core, does not delay the answers of requests that
/// need no hash (the verify endpoint). Set once per pool thread.
void yield_cpu_to_io_threads(int nice) {
  thread_local bool lowered = false;
  if (!lowered && nice > 0) {
    lowered = true;
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), nice);
  }
}

}  // namespace

Result<std::string, PasswordError> bcrypt_hash(std::string_view password, int cost) {
  if (password.size() > kMaxPasswordBytes) {
    return unexpected(PasswordError::kTooLong);
  }
  if (password.find('\0') != std::string_view::npos) {
    return unexpected(PasswordError::kContainsNul);
  }
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, setting,
                       sizeof setting) == nullptr) {
    return unexpected(PasswordError::kHashFailed);
  }
  const std::string phrase(password);
  auto data = std::make_unique<crypt_data>();
  const char* hashed = crypt_rn(phrase.c_str(), setting, data.get(), sizeof(crypt_data));
  if (hashed == nullptr || hashed[0] == '*') {
    return unexpected(PasswordError::kHashFailed);
  }
  return std::string(hashed);
}

bool bcrypt_verify(std::string_view password, std::string_view stored) {
  if (!is_bcrypt_hash(stored) || !hashable(password)) {
    return false;
  }
  const std::string phrase(password);
  const std::string setting(stored);
  auto data = std::make_unique<crypt_data>();
  const char* hashed = crypt_rn(phrase.c_str(), setting.c_str(), data.get(), sizeof(crypt_data));
  if (hashed == nullptr || std::string_view(hashed).size() != stored.size()) {
    return false;
  }
  return CRYPTO_memcmp(hashed, stored.data(), stored.size()) == 0;
}

PasswordHasher::PasswordHasher(int cost, std::size_t threads, int nice)
    : cost_(cost),
      nice_(nice),
      pool_(threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : threads) {
  // A real salt at the configured cost and a digest no password produces: verifying
  // against it costs exactly what verifying a real account costs (bcrypt runs in full,
  // then compares), without spending a whole hash at start.
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, setting, sizeof setting) == nullptr) {
    throw std::runtime_error("libxcrypt cannot make bcrypt hashes at cost " + std::to_string(cost));
  }
  dummy_hash_ = std::string(setting) + std::string(31, '.');
}

PasswordHasher::~PasswordHasher() { pool_.join(); }

// The work lambdas are named locals, not temporaries inside the co_await expression:
// g++ 12 mishandles non-trivial temporaries there (captured strings get destroyed twice).
boost::asio::awaitable<Result<std::string, PasswordError>> PasswordHasher::hash(std::string password) {
  auto work = [password = std::move(password), cost = cost_, nice = nice_] {
    yield_cpu_to_io_threads(nice);
    return bcrypt_hash(password, cost);
  };
  auto hashed = co_await run_blocking(pool_.get_executor(), std::move(work));
  co_return hashed;
}

boost::asio::awaitable<bool> PasswordHasher::verify(std::string password, std::string stored) {
  if (!hashable(password)) {
    const bool matched = co_await verify_nothing(std::move(password));
    co_return matched;
  }
  auto work = [password = std::move(password), stored = std::move(stored), nice = nice_] {
    yield_cpu_to_io_threads(nice);
    return bcrypt_verify(password, stored);
  };
  const bool matched = co_await run_blocking(pool_.get_executor(), std::move(work));
  co_return matched;
}

boost::asio::awaitable<bool> PasswordHasher::verify_nothing(std::string password) {
  if (!hashable(password)) {
    password = "x";
  }
  auto work = [password = std::move(password), this] {
    yield_cpu_to_io_threads(nice_);
    return bcrypt_verify(password, dummy_hash_);
  };
  co_await run_blocking(pool_.get_executor(), std::move(work));
  co_return false;
}

}  // namespace cubeauth::auth
