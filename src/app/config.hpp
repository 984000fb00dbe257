// cubeauth's configuration, typed and validated at start from the variables of
// CONTRACT section 1 and cubeauth's own (README "Configuration").
#pragma once

#include "app/environment.hpp"
#include "common/logging.hpp"
#include "common/result.hpp"
#include "http/server.hpp"
#include "store/store_config.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace cubeauth::app {

struct Config {
  http::ServerOptions http;
  log::Level log_level = log::Level::kInfo;
  bool production = false;

  // Tokens and passwords.
  std::string jwt_secret;           ///< never empty after load: generated when unset in development
  bool jwt_secret_generated = false;
  std::chrono::seconds jwt_expires_in{3600};
  int bcrypt_cost = 10;
  std::size_t password_min_length = 8;
  /// CUBEAUTH_HASH_NICE: how much lower the bcrypt threads' priority is (0 to 19).
  int hash_nice = 10;
  std::chrono::seconds refresh_token_expires_in{std::chrono::hours(24 * 30)};
  /// ADMIN_EMAILS (comma-separated), trimmed and lower-cased.
  std::vector<std::string> admin_emails;
  /// CUBEAUTH_STRICT_TOKENS: check access tokens against the store (see auth::AuthOptions).
  bool strict_tokens = false;
  /// CUBEAUTH_RATE_PER_CLIENT_BURST / _PER_MINUTE: login, register and refresh attempts
  /// per client address; CUBEAUTH_RATE_FAILED_LOGINS_BURST / _PER_MINUTE: failed logins
  /// per account. A burst of 0 turns that limit off.
  unsigned rate_per_client_burst = 30;
  unsigned rate_per_client_per_minute = 30;
  unsigned rate_failed_logins_burst = 10;
  unsigned rate_failed_logins_per_minute = 6;
  /// CUBEAUTH_RATE_FRIEND_ACTIONS_BURST / _PER_MINUTE: friend mutations per user.
  unsigned rate_friend_actions_burst = 60;
  unsigned rate_friend_actions_per_minute = 30;

  // Where users live: DATABASE_URL, MONGODB_URL, MONGO_URI or the default SQLite file
  // (store::locate_store decides and has checked the values).
  store::StoreConfig store;

  // ConnectyCube.
  std::string connectycube_app_id;
  std::string connectycube_auth_key;
  std::string connectycube_api_url = "https://api.connectycube.com";
  std::string cidp_password = "cidp-temporary-password";
  bool connectycube_signup = true;
  /// CUBEAUTH_DIALOG_RETRY_SECONDS: how often friendships whose ConnectyCube dialog could
  /// not be created are tried again (Custom Identity Provider only); 0 turns it off.
  std::chrono::seconds dialog_retry_interval{60};
  /// CUBEAUTH_TOKEN_PURGE_SECONDS: how often refresh tokens that expired over an hour ago
  /// are removed from the store; 0 turns it off.
  std::chrono::seconds token_purge_interval{3600};
  /// How long one ConnectyCube call may wait for its answer (CONNECTYCUBE_TIMEOUT).
  std::chrono::milliseconds connectycube_timeout{10000};
  bool connectycube_enabled() const {
    return !connectycube_app_id.empty() && !connectycube_auth_key.empty();
  }

  /// Things worth a warning line at start (e.g. a generated JWT secret).
  std::vector<std::string> warnings;
};

/// A variable with a bad value: which one, and what it accepts.
struct ConfigError {
  std::string variable;
  std::string message;  ///< "PORT must be an integer from 0 to 65535, got 'abc'"
};

Result<Config, ConfigError> load_config(const Variables& variables);

/// Parses "3600", "90s", "60m", "1h", "7d", "500ms" into milliseconds; a bare number is seconds.
Result<std::chrono::milliseconds, std::string> parse_duration(std::string_view text);

}  // namespace cubeauth::app
