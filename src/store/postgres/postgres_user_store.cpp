#include "store/postgres/postgres_user_store.hpp"

#include <libpq-fe.h>

#include <array>
#include <boost/asio/thread_pool.hpp>
#include <charconv>
#include <mutex>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/blocking.hpp"
#include "common/logging.hpp"
#include "store/detail/availability.hpp"
#include "store/detail/handle_pool.hpp"
#include "store/detail/millis.hpp"
#include "store/email.hpp"
#include "store/object_id.hpp"
#include "store/postgres/migrations.hpp"

namespace cubeauth::store {
namespace {

// SQLSTATE codes (PostgreSQL docs, appendix A).
constexpr std::string_view kUniqueViolation = "23505";

struct PreparedQuery {
  const char* name;
  const char* sql;
  int parameters;
};

#define CUBEAUTH_USER_COLUMNS                                         \
  "id, email, first_name, last_name, password_hash, connectycube_id," \
  " (extract(epoch FROM created_at) * 1000)::bigint,"                 \
  " (extract(epoch FROM updated_at) * 1000)::bigint"
#define CUBEAUTH_MILLIS(n) "(timestamptz 'epoch' + $" #n "::bigint * interval '1 millisecond')"

constexpr PreparedQuery kInsert{
    "cubeauth_insert_user",
    "INSERT INTO users (id, email, first_name, last_name, password_hash, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, " CUBEAUTH_MILLIS(6) ", " CUBEAUTH_MILLIS(6) ")",
    6};
constexpr PreparedQuery kFindByEmail{
    "cubeauth_find_by_email",
    "SELECT " CUBEAUTH_USER_COLUMNS " FROM users WHERE lower(email) = lower($1)", 1};
constexpr PreparedQuery kFindById{"cubeauth_find_by_id",
                                  "SELECT " CUBEAUTH_USER_COLUMNS " FROM users WHERE id = $1", 1};
constexpr PreparedQuery kSetConnectyCubeId{
    "cubeauth_set_connectycube_id",
    "UPDATE users SET connectycube_id = $2::bigint, updated_at = " CUBEAUTH_MILLIS(
        3) " WHERE id = $1",
    3};
constexpr PreparedQuery kDelete{"cubeauth_delete_user", "DELETE FROM users WHERE id = $1", 1};
constexpr PreparedQuery kPing{"cubeauth_ping", "SELECT 1", 0};
constexpr std::array kQueries = {kInsert, kFindByEmail, kFindById, kSetConnectyCubeId,
                                 kDelete, kPing};

#undef CUBEAUTH_USER_COLUMNS
#undef CUBEAUTH_MILLIS

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

std::string trimmed(const char* text) {
  std::string out = text != nullptr ? text : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
    out.pop_back();
  }
  return out;
}

/// One libpq connection with the store's statements prepared on it.
class Connection {
 public:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { PQfinish(conn_); }

  PGconn* get() const { return conn_; }
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  std::string message() const { return trimmed(PQerrorMessage(conn_)); }

  PgResult exec(const char* sql) { return PgResult(PQexec(conn_, sql)); }

  PgResult exec(const PreparedQuery& query, const std::vector<std::string>& parameters) {
    std::vector<const char*> values;
    values.reserve(parameters.size());
    for (const auto& parameter : parameters) {
      values.push_back(parameter.c_str());
    }
    return PgResult(PQexecPrepared(conn_, query.name, static_cast<int>(values.size()),
                                   values.data(), nullptr, nullptr, 0));
  }

 private:
  PGconn* conn_;
};

bool succeeded(const PgResult& result) {
  const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

std::string_view sqlstate(const PgResult& result) {
  const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
  return state != nullptr ? state : "";
}

/// Maps a failed statement to the interface's kinds, logging the server's text.
StoreError failure(Connection& connection, const PgResult& result, std::string_view operation) {
  const std::string_view state = sqlstate(result);
  const std::string text = result ? trimmed(PQresultErrorMessage(result.get())) : "";
  const std::string why = text.empty() ? connection.message() : text;
  // Class 08: connection exception; 57P0x: server shutting down or starting;
  // class 53: out of resources (too many connections).
  if (connection.broken() || state.starts_with("08") || state.starts_with("57P") ||
      state.starts_with("53")) {
    log::warn("postgres: {} failed: {}", operation, why);
    return StoreError::kUnavailable;
  }
  log::error("postgres: {} failed: {}", operation, why);
  return StoreError::kInternal;
}

Result<void, std::string> apply_migrations(Connection& connection) {
  auto run = [&](const char* sql) -> Result<void, std::string> {
    auto result = connection.exec(sql);
    if (!succeeded(result)) {
      return unexpected(result ? trimmed(PQresultErrorMessage(result.get()))
                               : connection.message());
    }
    return {};
  };
  if (auto done = run("BEGIN"); !done) {
    return done;
  }
  auto fail = [&](std::string why) -> Result<void, std::string> {
    (void)connection.exec("ROLLBACK");
    return unexpected(std::move(why));
  };
  // One migrating process at a time; the lock ends with the transaction.
  if (auto done = run("SELECT pg_advisory_xact_lock(7720135566)"); !done) {
    return fail(done.error());
  }
  if (auto done = run("CREATE TABLE IF NOT EXISTS schema_migrations ("
                      "  version integer PRIMARY KEY,"
                      "  name text NOT NULL,"
                      "  applied_at timestamptz NOT NULL DEFAULT now())");
      !done) {
    return fail(done.error());
  }
  auto latest = connection.exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!succeeded(latest) || PQntuples(latest.get()) != 1) {
    return fail(latest ? trimmed(PQresultErrorMessage(latest.get())) : connection.message());
  }
  const int applied = std::atoi(PQgetvalue(latest.get(), 0, 0));
  const auto all = postgres::migrations();
  const int known = all.empty() ? 0 : all.back().version;
  if (applied > known) {
    return fail("the database's schema version " + std::to_string(applied) +
                " is newer than this cubeauth knows (" + std::to_string(known) + ")");
  }
  for (const auto& migration : all) {
    if (migration.version <= applied) {
      continue;
    }
    if (auto done = run(std::string(migration.sql).c_str()); !done) {
      return fail("migration " + std::to_string(migration.version) + " (" +
                  std::string(migration.name) + ") failed: " + done.error());
    }
    const std::string record = "INSERT INTO schema_migrations (version, name) VALUES (" +
                               std::to_string(migration.version) + ", '" +
                               std::string(migration.name) + "')";
    if (auto done = run(record.c_str()); !done) {
      return fail(done.error());
    }
    log::info("postgres: applied migration {} ({})", migration.version, migration.name);
  }
  return run("COMMIT");
}

std::int64_t to_int64(const char* text) {
  std::int64_t value = 0;
  const std::string_view view(text);
  std::from_chars(view.data(), view.data() + view.size(), value);
  return value;
}

User read_user(const PgResult& result, int row) {
  auto text = [&](int column) {
    return std::string(PQgetvalue(result.get(), row, column),
                       static_cast<std::size_t>(PQgetlength(result.get(), row, column)));
  };
  User user;
  user.id = text(0);
  user.email = text(1);
  user.first_name = text(2);
  user.last_name = text(3);
  user.password_hash = text(4);
  if (PQgetisnull(result.get(), row, 5) == 0) {
    user.connectycube_id = to_int64(PQgetvalue(result.get(), row, 5));
  }
  user.created_at = detail::from_millis(to_int64(PQgetvalue(result.get(), row, 6)));
  user.updated_at = detail::from_millis(to_int64(PQgetvalue(result.get(), row, 7)));
  return user;
}

class PostgresUserStore final : public UserStore {
 public:
  explicit PostgresUserStore(PostgresOptions options)
      : options_(std::move(options)), availability_("postgres"), pool_(options_.connections) {}

  /// Opens the first connection now, so that start-up logs an unreachable
  /// database at once. Failure is not fatal.
  void warm_up() {
    if (auto connection = open_connection()) {
      availability_.report_available();
      connections_.give_back(std::move(*connection));
    } else {
      availability_.report_unavailable(connection.error());
    }
  }

  boost::asio::awaitable<Result<User, StoreError>> create_user(NewUser input) override {
    User user;
    user.created_at = detail::now_millis();
    user.updated_at = user.created_at;
    user.id = new_object_id(user.created_at);
    user.email = std::move(input.email);
    user.first_name = std::move(input.first_name);
    user.last_name = std::move(input.last_name);
    user.password_hash = std::move(input.password_hash);
    auto work = [user = std::move(user)](Connection& connection,
                                         bool retry) -> Result<User, StoreError> {
      auto result = connection.exec(
          kInsert, {user.id, user.email, user.first_name, user.last_name, user.password_hash,
                    std::to_string(detail::to_millis(user.created_at))});
      if (succeeded(result)) {
        return user;
      }
      if (sqlstate(result) == kUniqueViolation) {
        // A retry after a lost connection may meet the row the first attempt
        // wrote: the id is ours, so that is success, not a duplicate.
        if (retry) {
          auto mine = connection.exec(kFindById, {user.id});
          if (succeeded(mine) && PQntuples(mine.get()) == 1) {
            return user;
          }
        }
        return unexpected(StoreError::kDuplicateEmail);
      }
      return unexpected(failure(connection, result, "insert user"));
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<std::optional<User>, StoreError>> find_by_email(
      std::string email) override {
    std::string key = normalize_email(email);
    co_return co_await find_one(kFindByEmail, std::move(key));
  }

  boost::asio::awaitable<Result<std::optional<User>, StoreError>> find_by_id(
      std::string id) override {
    if (!is_object_id(id)) {
      co_return std::optional<User>();
    }
    std::string key = canonical_object_id(id);
    co_return co_await find_one(kFindById, std::move(key));
  }

  boost::asio::awaitable<Result<void, StoreError>> set_connectycube_id(
      std::string id, std::int64_t connectycube_id) override {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    std::vector<std::string> parameters = {canonical_object_id(id), std::to_string(connectycube_id),
                                           std::to_string(detail::to_millis(detail::now_millis()))};
    co_return co_await change_one(kSetConnectyCubeId, std::move(parameters));
  }

  boost::asio::awaitable<Result<void, StoreError>> delete_user(std::string id) override {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    std::vector<std::string> parameters = {canonical_object_id(id)};
    co_return co_await change_one(kDelete, std::move(parameters));
  }

  // --- issue 9: NOT IMPLEMENTED YET in this adapter. Every call fails with
  // kInternal and an error log line; the contract suite skips these for it. ---
  static Result<void, StoreError> not_implemented(std::string_view method) {
    log::error("postgres: {} is not implemented yet", method);
    return unexpected(StoreError::kInternal);
  }

  boost::asio::awaitable<Result<void, StoreError>> set_password(
      std::string, std::string, std::chrono::system_clock::time_point) override {
    co_return not_implemented("set_password");
  }

  boost::asio::awaitable<Result<void, StoreError>> set_profile(std::string, std::string,
                                                               std::string) override {
    co_return not_implemented("set_profile");
  }

  boost::asio::awaitable<Result<void, StoreError>> set_disabled(std::string, bool) override {
    co_return not_implemented("set_disabled");
  }

  boost::asio::awaitable<Result<void, StoreError>> set_roles(std::string,
                                                             std::vector<std::string>) override {
    co_return not_implemented("set_roles");
  }

  boost::asio::awaitable<Result<UserPage, StoreError>> list_users(UserQuery) override {
    (void)not_implemented("list_users");
    co_return unexpected(StoreError::kInternal);
  }

  boost::asio::awaitable<Result<void, StoreError>> create_refresh_token(NewRefreshToken) override {
    co_return not_implemented("create_refresh_token");
  }

  boost::asio::awaitable<Result<Rotation, StoreError>> rotate_refresh_token(
      std::string, NewRefreshToken) override {
    (void)not_implemented("rotate_refresh_token");
    co_return unexpected(StoreError::kInternal);
  }

  boost::asio::awaitable<Result<std::optional<std::string>, StoreError>> revoke_refresh_family(
      std::string) override {
    (void)not_implemented("revoke_refresh_family");
    co_return unexpected(StoreError::kInternal);
  }

  boost::asio::awaitable<Result<void, StoreError>> revoke_user_refresh_tokens(
      std::string) override {
    co_return not_implemented("revoke_user_refresh_tokens");
  }

  boost::asio::awaitable<Result<void, StoreError>> health() override {
    auto work = [](Connection& connection, bool) -> Result<void, StoreError> {
      auto result = connection.exec(kPing, {});
      if (!succeeded(result)) {
        return unexpected(failure(connection, result, "health check"));
      }
      return {};
    };
    co_return co_await with_connection(std::move(work));
  }

 private:
  Result<std::unique_ptr<Connection>, std::string> open_connection() {
    // connect_timeout comes before dbname: values in the URL override it.
    const std::string timeout = std::to_string(options_.connect_timeout.count());
    const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {timeout.c_str(), "cubeauth", options_.url.c_str(), nullptr};
    auto connection = std::make_unique<Connection>(PQconnectdbParams(keys, values, 1));
    if (connection->get() == nullptr) {
      return unexpected(std::string("out of memory"));
    }
    if (connection->broken()) {
      return unexpected(connection->message());
    }
    {
      std::lock_guard lock(migrate_mutex_);
      if (!migrated_) {
        if (auto done = apply_migrations(*connection); !done) {
          log::error("postgres: {}", done.error());
          return unexpected(std::move(done).error());
        }
        migrated_ = true;
      }
    }
    for (const auto& query : kQueries) {
      PgResult prepared(
          PQprepare(connection->get(), query.name, query.sql, query.parameters, nullptr));
      if (!succeeded(prepared)) {
        return unexpected("cannot prepare " + std::string(query.name) + ": " +
                          trimmed(PQresultErrorMessage(prepared.get())));
      }
    }
    return connection;
  }

  /// Runs `work(connection, retry)` on a worker thread. A pooled connection may
  /// have died since its last use (the server restarted): then the pool is
  /// emptied and the work runs once more on a new connection.
  template <class Work>
  auto with_connection(Work work)
      -> boost::asio::awaitable<std::invoke_result_t<Work&, Connection&, bool>> {
    using R = std::invoke_result_t<Work&, Connection&, bool>;
    // Named, not a temporary in the co_await: g++ 12 destroys those twice.
    auto task = [this, work = std::move(work)]() mutable -> R {
      for (int attempt = 0;; ++attempt) {
        auto connection = connections_.take();
        const bool reused = connection != nullptr;
        if (!reused) {
          auto opened = open_connection();
          if (!opened) {
            availability_.report_unavailable(opened.error());
            return unexpected(StoreError::kUnavailable);
          }
          connection = std::move(*opened);
        }
        R result = work(*connection, attempt > 0);
        if (!connection->broken()) {
          availability_.report_available();
          connections_.give_back(std::move(connection));
          return result;
        }
        connections_.clear();
        if (!reused || attempt > 0) {
          availability_.report_unavailable(connection->message());
          return result;
        }
      }
    };
    co_return co_await run_blocking(pool_.get_executor(), std::move(task));
  }

  boost::asio::awaitable<Result<std::optional<User>, StoreError>> find_one(
      const PreparedQuery& query, std::string key) {
    auto work = [&query, key = std::move(key)](Connection& connection,
                                               bool) -> Result<std::optional<User>, StoreError> {
      auto result = connection.exec(query, {key});
      if (!succeeded(result)) {
        return unexpected(failure(connection, result, "find user"));
      }
      if (PQntuples(result.get()) == 0) {
        return std::optional<User>();
      }
      return std::optional<User>(read_user(result, 0));
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<void, StoreError>> change_one(const PreparedQuery& query,
                                                              std::vector<std::string> parameters) {
    auto work = [&query, parameters = std::move(parameters)](Connection& connection,
                                                             bool) -> Result<void, StoreError> {
      auto result = connection.exec(query, parameters);
      if (!succeeded(result)) {
        return unexpected(failure(connection, result, "update user"));
      }
      if (std::string_view(PQcmdTuples(result.get())) == "0") {
        return unexpected(StoreError::kNotFound);
      }
      return {};
    };
    co_return co_await with_connection(std::move(work));
  }

  PostgresOptions options_;
  detail::Availability availability_;
  std::mutex migrate_mutex_;
  bool migrated_ = false;
  detail::HandlePool<Connection> connections_;
  // Last member: destroyed first, so the workers stop before the connections close.
  boost::asio::thread_pool pool_;
};

}  // namespace

Result<std::unique_ptr<UserStore>, std::string> open_postgres_store(
    const PostgresOptions& options) {
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(options.url.c_str(), &error);
  if (parsed == nullptr) {
    std::string why = error != nullptr ? trimmed(error) : "out of memory";
    PQfreemem(error);
    return unexpected("invalid PostgreSQL connection string: " + why);
  }
  PQconninfoFree(parsed);
  PostgresOptions fixed = options;
  if (fixed.connections == 0) {
    fixed.connections = 1;
  }
  auto store = std::make_unique<PostgresUserStore>(std::move(fixed));
  store->warm_up();
  return std::unique_ptr<UserStore>(std::move(store));
}

}  // namespace cubeauth::store
