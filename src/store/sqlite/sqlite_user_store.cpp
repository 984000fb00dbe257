#include "store/sqlite/sqlite_user_store.hpp"

#include <sqlite3.h>

#include <array>
#include <boost/asio/thread_pool.hpp>
#include <system_error>
#include <type_traits>
#include <utility>

#include "common/logging.hpp"
#include "store/detail/handle_pool.hpp"
#include "store/detail/millis.hpp"
#include "common/blocking.hpp"
#include "store/email.hpp"
#include "store/object_id.hpp"
#include "store/sqlite/migrations.hpp"

namespace cubeauth::store {
namespace {

enum Query : std::size_t {
  kInsert,
  kFindByEmail,
  kFindById,
  kSetConnectyCubeId,
  kDelete,
  kPing,
  kQueryCount,
};

constexpr std::string_view kColumns =
    "id, email, first_name, last_name, password_hash, connectycube_id, created_at, updated_at";

std::string query_text(Query query) {
  const std::string columns(kColumns);
  switch (query) {
    case kInsert:
      return "INSERT INTO users (" + columns + ") VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?6)";
    case kFindByEmail:
      return "SELECT " + columns + " FROM users WHERE lower(email) = ?1";
    case kFindById:
      return "SELECT " + columns + " FROM users WHERE id = ?1";
    case kSetConnectyCubeId:
      return "UPDATE users SET connectycube_id = ?2, updated_at = ?3 WHERE id = ?1";
    case kDelete:
      return "DELETE FROM users WHERE id = ?1";
    case kPing:
      return "SELECT 1";
    case kQueryCount:
      break;
  }
  return {};
}

/// One sqlite3 handle and its prepared statements; used by one thread at a time.
class Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    for (auto* statement : statements_) {
      sqlite3_finalize(statement);
    }
    sqlite3_close_v2(db_);
  }

  static Result<std::unique_ptr<Connection>, std::string> open(const SqliteOptions& options) {
    auto connection = std::make_unique<Connection>();
    const int rc =
        sqlite3_open_v2(options.path.c_str(), &connection->db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      return unexpected("cannot open SQLite database " + options.path.string() + ": " +
                        connection->message(rc));
    }
    sqlite3_extended_result_codes(connection->db_, 1);
    sqlite3_busy_timeout(connection->db_, static_cast<int>(options.busy_timeout.count()));
    if (auto done = connection->exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
        !done) {
      return unexpected(std::move(done).error());
    }
    return connection;
  }

  sqlite3* db() const { return db_; }

  std::string message(int rc) const {
    return db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  }

  /// Runs statements that return no rows of interest.
  Result<void, std::string> exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string text = error != nullptr ? error : "unknown error";
      sqlite3_free(error);
      return unexpected(std::move(text));
    }
    return {};
  }

  /// The cached statement for `query`, reset and unbound. Null on failure (logged).
  sqlite3_stmt* statement(Query query) {
    auto& slot = statements_[query];
    if (slot == nullptr) {
      const std::string sql = query_text(query);
      if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                             SQLITE_PREPARE_PERSISTENT, &slot, nullptr) != SQLITE_OK) {
        log::error("sqlite: cannot prepare \"{}\": {}", sql, sqlite3_errmsg(db_));
        slot = nullptr;
      }
    }
    return slot;
  }

 private:
  sqlite3* db_ = nullptr;
  std::array<sqlite3_stmt*, kQueryCount> statements_{};
};

/// Resets a statement when a call is done with it, whatever the outcome.
class StatementUse {
 public:
  explicit StatementUse(sqlite3_stmt* statement) : statement_(statement) {}
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  ~StatementUse() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }

  void bind(int index, std::string_view text) {
    sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
  }
  void bind(int index, std::int64_t value) { sqlite3_bind_int64(statement_, index, value); }

 private:
  sqlite3_stmt* statement_;
};

Result<void, std::string> apply_migrations(Connection& connection) {
  if (auto done = connection.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                  "  version INTEGER PRIMARY KEY NOT NULL,"
                                  "  name TEXT NOT NULL,"
                                  "  applied_at INTEGER NOT NULL)");
      !done) {
    return done;
  }
  // IMMEDIATE: two processes starting on one file migrate one after the other.
  if (auto done = connection.exec("BEGIN IMMEDIATE"); !done) {
    return done;
  }
  auto fail = [&](std::string why) -> Result<void, std::string> {
    (void)connection.exec("ROLLBACK");
    return unexpected(std::move(why));
  };

  sqlite3_stmt* latest = nullptr;
  if (sqlite3_prepare_v2(connection.db(), "SELECT coalesce(max(version), 0) FROM schema_migrations",
                         -1, &latest, nullptr) != SQLITE_OK) {
    return fail(connection.message(SQLITE_ERROR));
  }
  int applied = 0;
  if (sqlite3_step(latest) == SQLITE_ROW) {
    applied = sqlite3_column_int(latest, 0);
  }
  sqlite3_finalize(latest);

  const auto all = sqlite::migrations();
  const int known = all.empty() ? 0 : all.back().version;
  if (applied > known) {
    return fail("the database's schema version " + std::to_string(applied) +
                " is newer than this cubeauth knows (" + std::to_string(known) + ")");
  }
  for (const auto& migration : all) {
    if (migration.version <= applied) {
      continue;
    }
    if (auto done = connection.exec(std::string(migration.sql)); !done) {
      return fail("migration " + std::to_string(migration.version) + " (" +
                  std::string(migration.name) + ") failed: " + done.error());
    }
    const std::string record =
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (" +
        std::to_string(migration.version) + ", '" + std::string(migration.name) + "', " +
        std::to_string(detail::to_millis(detail::now_millis())) + ")";
    if (auto done = connection.exec(record); !done) {
      return fail(done.error());
    }
    log::info("sqlite: applied migration {} ({})", migration.version, migration.name);
  }
  return connection.exec("COMMIT");
}

User read_user(sqlite3_stmt* row) {
  auto text = [row](int column) {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(row, column));
    return data != nullptr
               ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(row, column)))
               : std::string();
  };
  User user;
  user.id = text(0);
  user.email = text(1);
  user.first_name = text(2);
  user.last_name = text(3);
  user.password_hash = text(4);
  if (sqlite3_column_type(row, 5) != SQLITE_NULL) {
    user.connectycube_id = sqlite3_column_int64(row, 5);
  }
  user.created_at = detail::from_millis(sqlite3_column_int64(row, 6));
  user.updated_at = detail::from_millis(sqlite3_column_int64(row, 7));
  return user;
}

/// Maps a failed step to the interface's kinds, logging the driver's text.
StoreError failure(Connection& connection, int rc, std::string_view operation) {
  const int primary = rc & 0xFF;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_IOERR ||
      primary == SQLITE_FULL || primary == SQLITE_CANTOPEN) {
    log::warn("sqlite: {} failed: {}", operation, connection.message(rc));
    return StoreError::kUnavailable;
  }
  log::error("sqlite: {} failed: {}", operation, connection.message(rc));
  return StoreError::kInternal;
}

class SqliteUserStore final : public UserStore {
 public:
  SqliteUserStore(SqliteOptions options, std::unique_ptr<Connection> first)
      : options_(std::move(options)), pool_(options_.threads) {
    connections_.give_back(std::move(first));
  }

  boost::asio::awaitable<Result<User, StoreError>> create_user(NewUser input) override {
    auto work = [input = std::move(input)](Connection& connection) -> Result<User, StoreError> {
      auto* statement = connection.statement(kInsert);
      if (statement == nullptr) {
        return unexpected(StoreError::kInternal);
      }
      User user;
      user.created_at = detail::now_millis();
      user.updated_at = user.created_at;
      user.id = new_object_id(user.created_at);
      user.email = input.email;
      user.first_name = input.first_name;
      user.last_name = input.last_name;
      user.password_hash = input.password_hash;

      StatementUse use(statement);
      use.bind(1, user.id);
      use.bind(2, user.email);
      use.bind(3, user.first_name);
      use.bind(4, user.last_name);
      use.bind(5, user.password_hash);
      use.bind(6, detail::to_millis(user.created_at));
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) {
        return user;
      }
      if (rc == SQLITE_CONSTRAINT_UNIQUE) {
        return unexpected(StoreError::kDuplicateEmail);
      }
      return unexpected(failure(connection, rc, "insert user"));
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
    co_return co_await change_one(kSetConnectyCubeId, std::move(id), connectycube_id);
  }

  boost::asio::awaitable<Result<void, StoreError>> delete_user(std::string id) override {
    co_return co_await change_one(kDelete, std::move(id), 0);
  }

  boost::asio::awaitable<Result<void, StoreError>> health() override {
    auto work = [](Connection& connection) -> Result<void, StoreError> {
      auto* statement = connection.statement(kPing);
      if (statement == nullptr) {
        return unexpected(StoreError::kInternal);
      }
      StatementUse use(statement);
      const int rc = sqlite3_step(statement);
      if (rc != SQLITE_ROW) {
        return unexpected(failure(connection, rc, "health check"));
      }
      return {};
    };
    co_return co_await with_connection(std::move(work));
  }

 private:
  /// Runs `work(connection)` on a worker thread with a connection of its own.
  template <class Work>
  auto with_connection(Work work)
      -> boost::asio::awaitable<std::invoke_result_t<Work&, Connection&>> {
    using R = std::invoke_result_t<Work&, Connection&>;
    // Lambdas are named locals, never temporaries inside a co_await expression:
    // g++ 12 destroys such temporaries twice.
    auto task = [this, work = std::move(work)]() mutable -> R {
      auto connection = connections_.take();
      if (connection == nullptr) {
        auto opened = Connection::open(options_);
        if (!opened) {
          log::error("sqlite: {}", opened.error());
          return unexpected(StoreError::kUnavailable);
        }
        connection = std::move(*opened);
      }
      R result = work(*connection);
      connections_.give_back(std::move(connection));
      return result;
    };
    co_return co_await run_blocking(pool_.get_executor(), std::move(task));
  }

  boost::asio::awaitable<Result<std::optional<User>, StoreError>> find_one(Query query,
                                                                           std::string key) {
    auto work = [query, key = std::move(key)](
                    Connection& connection) -> Result<std::optional<User>, StoreError> {
      auto* statement = connection.statement(query);
      if (statement == nullptr) {
        return unexpected(StoreError::kInternal);
      }
      StatementUse use(statement);
      use.bind(1, key);
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_ROW) {
        return std::optional<User>(read_user(statement));
      }
      if (rc == SQLITE_DONE) {
        return std::optional<User>();
      }
      return unexpected(failure(connection, rc, "find user"));
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<void, StoreError>> change_one(Query query, std::string id,
                                                              std::int64_t value) {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    auto work = [query, id = canonical_object_id(id),
                 value](Connection& connection) -> Result<void, StoreError> {
      auto* statement = connection.statement(query);
      if (statement == nullptr) {
        return unexpected(StoreError::kInternal);
      }
      StatementUse use(statement);
      use.bind(1, id);
      if (query == kSetConnectyCubeId) {
        use.bind(2, value);
        use.bind(3, detail::to_millis(detail::now_millis()));
      }
      const int rc = sqlite3_step(statement);
      if (rc != SQLITE_DONE) {
        return unexpected(failure(connection, rc, "update user"));
      }
      if (sqlite3_changes(connection.db()) == 0) {
        return unexpected(StoreError::kNotFound);
      }
      return {};
    };
    co_return co_await with_connection(std::move(work));
  }

  SqliteOptions options_;
  detail::HandlePool<Connection> connections_;
  // Last member: destroyed first, so the workers stop before the connections close.
  boost::asio::thread_pool pool_;
};

}  // namespace

Result<std::unique_ptr<UserStore>, std::string> open_sqlite_store(const SqliteOptions& options) {
  std::error_code ec;
  const auto folder = options.path.parent_path();
  if (!folder.empty()) {
    std::filesystem::create_directories(folder, ec);
    if (ec) {
      return unexpected("cannot create the folder " + folder.string() +
                        " for the SQLite database: " + ec.message());
    }
  }
  auto first = Connection::open(options);
  if (!first) {
    return unexpected(std::move(first).error());
  }
  // WAL lets readers work beside the one writer; the mode is stored in the file.
  if (auto done = (*first)->exec("PRAGMA journal_mode = WAL"); !done) {
    return unexpected("cannot switch " + options.path.string() + " to WAL mode: " + done.error());
  }
  if (auto done = apply_migrations(**first); !done) {
    return unexpected("SQLite database " + options.path.string() + ": " + done.error());
  }
  SqliteOptions fixed = options;
  if (fixed.threads == 0) {
    fixed.threads = 1;
  }
  return std::unique_ptr<UserStore>(
      std::make_unique<SqliteUserStore>(std::move(fixed), std::move(*first)));
}

}  // namespace cubeauth::store
