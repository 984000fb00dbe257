#include "app/config.hpp"

#include "auth/credentials.hpp"
#include "store/email.hpp"

#include <openssl/rand.h>

#include <charconv>
#include <limits>

namespace cubeauth::app {
namespace {

using namespace std::chrono_literals;

/// Reads one variable into a typed field, or records why it cannot.
class Reader {
 public:
  explicit Reader(const Variables& variables) : variables_(variables) {}

  const std::string* find(std::string_view name) const {
    const auto found = variables_.find(name);
    if (found == variables_.end() || found->second.empty()) {
      return nullptr;
    }
    return &found->second;
  }

  template <class Int>
  void integer(std::string_view name, Int& out, long long min, long long max) {
    const std::string* text = find(name);
    if (text == nullptr || failed()) {
      return;
    }
    long long value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || value < min || value > max) {
      fail(name, fmt::format("{} must be an integer from {} to {}, got '{}'", name, min, max, *text));
      return;
    }
    out = static_cast<Int>(value);
  }

  void boolean(std::string_view name, bool& out) {
    const std::string* text = find(name);
    if (text == nullptr || failed()) {
      return;
    }
    if (*text == "true" || *text == "1" || *text == "yes" || *text == "on") {
      out = true;
    } else if (*text == "false" || *text == "0" || *text == "no" || *text == "off") {
      out = false;
    } else {
      fail(name, fmt::format("{} must be true or false, got '{}'", name, *text));
    }
  }

  template <class Duration>
  void duration(std::string_view name, Duration& out, std::chrono::milliseconds min) {
    const std::string* text = find(name);
    if (text == nullptr || failed()) {
      return;
    }
    auto parsed = parse_duration(*text);
    if (!parsed || *parsed < min) {
      fail(name, fmt::format("{} must be a duration such as 3600, 90s, 60m, 1h or 7d "
                             "(at least {} ms), got '{}'",
                             name, min.count(), *text));
      return;
    }
    out = std::chrono::duration_cast<Duration>(*parsed);
  }

  void text(std::string_view name, std::string& out) {
    if (const std::string* value = find(name)) {
      out = *value;
    }
  }

  void fail(std::string_view name, std::string message) {
    if (!failed()) {
      error_ = ConfigError{std::string(name), std::move(message)};
    }
  }
  bool failed() const { return error_.has_value(); }
  ConfigError error() const { return *error_; }

 private:
  const Variables& variables_;
  std::optional<ConfigError> error_;
};

std::string random_secret() {
  unsigned char bytes[32];
  RAND_bytes(bytes, sizeof bytes);
  std::string hex;
  for (unsigned char b : bytes) {
    hex += fmt::format("{:02x}", b);
  }
  return hex;
}

bool starts_with_any(std::string_view url, std::initializer_list<std::string_view> prefixes) {
  for (auto prefix : prefixes) {
    if (url.starts_with(prefix)) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<std::chrono::milliseconds, std::string> parse_duration(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  if (digits == 0 || digits > 12) {
    return unexpected(std::string("not a duration"));
  }
  long long count = 0;
  std::from_chars(text.data(), text.data() + digits, count);
  const std::string_view unit = text.substr(digits);
  long long millis_per_unit = 0;
  if (unit.empty() || unit == "s") {
    millis_per_unit = 1000;
  } else if (unit == "ms") {
    millis_per_unit = 1;
  } else if (unit == "m") {
    millis_per_unit = 60'000;
  } else if (unit == "h") {
    millis_per_unit = 3'600'000;
  } else if (unit == "d") {
    millis_per_unit = 86'400'000;
  } else {
    return unexpected(std::string("unknown unit"));
  }
  return std::chrono::milliseconds(count * millis_per_unit);
}

Result<Config, ConfigError> load_config(const Variables& variables) {
  Config config;
  Reader read(variables);

  // HTTP.
  read.text("HOST", config.http.address);
  read.integer("PORT", config.http.port, 0, 65535);
  read.integer("CUBEAUTH_THREADS", config.http.threads, 0, 256);
  read.integer("CUBEAUTH_BODY_LIMIT", config.http.body_limit, 1024, 1LL << 30);
  read.integer("CUBEAUTH_HEADER_LIMIT", config.http.header_limit, 1024, 1LL << 20);
  read.duration("CUBEAUTH_HEADER_TIMEOUT", config.http.header_timeout, 10ms);
  read.duration("CUBEAUTH_BODY_TIMEOUT", config.http.body_timeout, 10ms);
  read.duration("CUBEAUTH_IDLE_TIMEOUT", config.http.idle_timeout, 10ms);
  read.duration("CUBEAUTH_WRITE_TIMEOUT", config.http.write_timeout, 10ms);
  read.duration("CUBEAUTH_SHUTDOWN_TIMEOUT", config.http.shutdown_timeout, 0ms);
  read.integer("CUBEAUTH_MAX_CONNECTIONS", config.http.max_connections, 1, 1'000'000);
  read.boolean("CUBEAUTH_ACCESS_LOG", config.http.access_log);
  if (const std::string* level = read.find("LOG_LEVEL");
      level != nullptr && !log::parse_level(*level, config.log_level)) {
    read.fail("LOG_LEVEL", "LOG_LEVEL must be debug, info, warn, error or off, got '" + *level + "'");
  }

  // Environment kind: production refuses to run without a real secret.
  for (const char* name : {"NODE_ENV", "CUBEAUTH_ENV"}) {
    if (const std::string* kind = read.find(name); kind != nullptr && *kind == "production") {
      config.production = true;
    }
  }

  // Tokens and passwords.
  read.text("JWT_SECRET", config.jwt_secret);
  read.duration("JWT_EXPIRES_IN", config.jwt_expires_in, 1000ms);
  read.integer("BCRYPT_COST", config.bcrypt_cost, 4, 31);
  read.integer("PASSWORD_MIN_LENGTH", config.password_min_length, 6, 72);
  read.integer("CUBEAUTH_HASH_NICE", config.hash_nice, 0, 19);
  read.duration("REFRESH_TOKEN_EXPIRES_IN", config.refresh_token_expires_in, 1000ms);
  read.boolean("CUBEAUTH_STRICT_TOKENS", config.strict_tokens);
  {
    int dialog_retry_seconds = static_cast<int>(config.dialog_retry_interval.count());
    read.integer("CUBEAUTH_DIALOG_RETRY_SECONDS", dialog_retry_seconds, 0, 86'400);
    config.dialog_retry_interval = std::chrono::seconds(dialog_retry_seconds);
  }
  {
    int token_purge_seconds = static_cast<int>(config.token_purge_interval.count());
    read.integer("CUBEAUTH_TOKEN_PURGE_SECONDS", token_purge_seconds, 0, 604'800);  // a week
    config.token_purge_interval = std::chrono::seconds(token_purge_seconds);
  }
  read.integer("CUBEAUTH_RATE_PER_CLIENT_BURST", config.rate_per_client_burst, 0, 1'000'000);
  read.integer("CUBEAUTH_RATE_PER_CLIENT_PER_MINUTE", config.rate_per_client_per_minute, 0, 1'000'000);
  read.integer("CUBEAUTH_RATE_FAILED_LOGINS_BURST", config.rate_failed_logins_burst, 0, 1'000'000);
  read.integer("CUBEAUTH_RATE_FAILED_LOGINS_PER_MINUTE", config.rate_failed_logins_per_minute, 0, 1'000'000);
  read.integer("CUBEAUTH_RATE_FRIEND_ACTIONS_BURST", config.rate_friend_actions_burst, 0, 1'000'000);
  read.integer("CUBEAUTH_RATE_FRIEND_ACTIONS_PER_MINUTE", config.rate_friend_actions_per_minute, 0, 1'000'000);
  if (const std::string* admins = read.find("ADMIN_EMAILS")) {
    std::string_view rest = *admins;
    while (!rest.empty() && !read.failed()) {
      const auto comma = rest.find(',');
      const std::string email = store::normalize_email(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (email.empty()) {
        continue;
      }
      if (!auth::is_email_address(email)) {
        read.fail("ADMIN_EMAILS", "ADMIN_EMAILS must be a comma-separated list of email addresses, got '" + email + "'");
      }
      config.admin_emails.push_back(email);
    }
  }

  // Store: the store layer picks among DATABASE_URL, MONGODB_URL, MONGO_URI and the default.
  read.text("DATABASE_URL", config.store.database_url);
  read.text("MONGO_URI", config.store.mongo_uri);
  read.text("MONGODB_URL", config.store.mongodb_url);
  if (!read.failed()) {
    if (auto located = store::locate_store(config.store); !located) {
      const char* variable = !config.store.database_url.empty()  ? "DATABASE_URL"
                             : !config.store.mongodb_url.empty() ? "MONGODB_URL"
                                                                 : "MONGO_URI";
      read.fail(variable, located.error());
    } else if (!config.store.database_url.empty() &&
               (!config.store.mongo_uri.empty() || !config.store.mongodb_url.empty())) {
      config.warnings.emplace_back("DATABASE_URL and MONGO_URI/MONGODB_URL are both set; using DATABASE_URL");
    }
  }

  // ConnectyCube.
  read.text("APP_ID", config.connectycube_app_id);
  read.text("AUTH_KEY", config.connectycube_auth_key);
  read.text("CONNECTYCUBE_API_URL", config.connectycube_api_url);
  read.text("CIDP_PASSWORD", config.cidp_password);
  read.boolean("CONNECTYCUBE_SIGNUP", config.connectycube_signup);
  read.duration("CONNECTYCUBE_TIMEOUT", config.connectycube_timeout, 10ms);
  if (!read.failed() && !starts_with_any(config.connectycube_api_url, {"http://", "https://"})) {
    read.fail("CONNECTYCUBE_API_URL", "CONNECTYCUBE_API_URL must be an http:// or https:// URL, got '" +
                                          config.connectycube_api_url + "'");
  }

  if (read.failed()) {
    return unexpected(read.error());
  }
  if (config.jwt_secret.empty()) {
    if (config.production) {
      return unexpected(ConfigError{
          "JWT_SECRET", "JWT_SECRET must be set when NODE_ENV or CUBEAUTH_ENV is production"});
    }
    config.jwt_secret = random_secret();
    config.jwt_secret_generated = true;
    config.warnings.emplace_back(
        "JWT_SECRET is not set: using a random secret for this process only; tokens will not "
        "survive a restart and other processes will refuse them. Set JWT_SECRET.");
  }
  return config;
}

}  // namespace cubeauth::app
