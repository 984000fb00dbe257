#include "store/sqlite/sqlite_user_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <system_error>
#include <type_traits>
#include <utility>

#include "common/blocking.hpp"
#include "common/logging.hpp"
#include "store/detail/handle_pool.hpp"
#include "store/detail/millis.hpp"
#include "store/detail/relationship_pair.hpp"
#include "store/email.hpp"
#include "store/object_id.hpp"
#include "store/roles.hpp"
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
  kSetPassword,
  kSetProfile,
  kSetDisabled,
  kSetRoles,
  kList,
  kInsertFamily,
  kInsertToken,
  kFindToken,
  kUseToken,
  kRevokeFamily,
  kRevokeUserFamilies,
  kCountExpiredTokens,
  kDeleteExpiredFamilies,
  kDeleteExpiredTokens,
  kFindPair,
  kFindRelationship,
  kInsertRelationship,
  kUpdateRelationship,
  kDeleteRelationship,
  kSetDialog,
  kListRelationships,
  kListWithoutDialog,
  kBegin,
  kCommit,
  kRollback,
  kQueryCount,
};

constexpr std::string_view kColumns =
    "id, email, first_name, last_name, password_hash, connectycube_id, created_at, updated_at,"
    " roles, disabled, password_changed_at";

constexpr std::string_view kRelationshipColumns =
    "id, user_low, user_high, status, acted_by, dialog_id, version, created_at, updated_at,"
    " blocked_by_low, blocked_by_high";

/// list_relationships from one side of the pair (`side` is low or high): ?1 user,
/// ?2 after id, ?3 status, ?4 0 any actor / 1 the other / 2 this user / 3 this side's
/// block, ?5 limit.
std::string relationship_side(std::string_view side) {
  const std::string column(side);
  return "SELECT " + std::string(kRelationshipColumns) + " FROM relationships WHERE user_" + column +
         " = ?1 AND status = ?3 AND id > ?2"
         " AND (?4 = 0 OR (?4 = 1 AND acted_by <> ?1) OR (?4 = 2 AND acted_by = ?1)"
         " OR (?4 = 3 AND blocked_by_" +
         column + " = 1))";
}

std::string query_text(Query query) {
  const std::string columns(kColumns);
  const std::string relationship_columns(kRelationshipColumns);
  switch (query) {
    case kInsert:
      return "INSERT INTO users (id, email, first_name, last_name, password_hash, created_at,"
             " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)";
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
    case kSetPassword:
      return "UPDATE users SET password_hash = ?2, password_changed_at = ?3, updated_at = ?4"
             " WHERE id = ?1";
    case kSetProfile:
      return "UPDATE users SET first_name = ?2, last_name = ?3, updated_at = ?4 WHERE id = ?1";
    case kSetDisabled:
      return "UPDATE users SET disabled = ?2, updated_at = ?3 WHERE id = ?1";
    case kSetRoles:
      return "UPDATE users SET roles = ?2, updated_at = ?3 WHERE id = ?1";
    case kList:
      // SQLite's lower() folds ASCII letters only; instr() has no wildcards.
      return "SELECT " + columns +
             " FROM users WHERE id > ?1 AND (?2 = '' OR instr(lower(email), ?2) > 0)"
             " ORDER BY id LIMIT ?3";
    case kInsertFamily:
      return "INSERT INTO refresh_families (family_id, user_id, revoked, created_at)"
             " VALUES (?1, ?2, 0, ?3)";
    case kInsertToken:
      return "INSERT INTO refresh_tokens (token_hash, family_id, user_id, issued_at, expires_at)"
             " VALUES (?1, ?2, ?3, ?4, ?5)";
    case kFindToken:
      return "SELECT t.family_id, t.user_id, t.used_at IS NOT NULL, f.revoked"
             " FROM refresh_tokens t JOIN refresh_families f ON f.family_id = t.family_id"
             " WHERE t.token_hash = ?1";
    case kUseToken:
      return "UPDATE refresh_tokens SET used_at = ?2"
             " WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2 AND NOT EXISTS"
             " (SELECT 1 FROM refresh_families f"
             "  WHERE f.family_id = refresh_tokens.family_id AND f.revoked <> 0)";
    case kRevokeFamily:
      return "UPDATE refresh_families SET revoked = 1 WHERE family_id = ?1";
    case kRevokeUserFamilies:
      return "UPDATE refresh_families SET revoked = 1 WHERE user_id = ?1";
    case kCountExpiredTokens:
      return "SELECT count(*) FROM refresh_tokens WHERE expires_at < ?1";
    case kDeleteExpiredFamilies:
      // Families whose every token expired; their tokens go with them (ON DELETE CASCADE).
      return "DELETE FROM refresh_families WHERE family_id IN"
             " (SELECT family_id FROM refresh_tokens WHERE expires_at < ?1) AND NOT EXISTS"
             " (SELECT 1 FROM refresh_tokens t"
             "  WHERE t.family_id = refresh_families.family_id AND t.expires_at >= ?1)";
    case kDeleteExpiredTokens:
      return "DELETE FROM refresh_tokens WHERE expires_at < ?1";
    case kFindPair:
      return "SELECT " + relationship_columns +
             " FROM relationships WHERE user_low = ?1 AND user_high = ?2";
    case kFindRelationship:
      return "SELECT " + relationship_columns + " FROM relationships WHERE id = ?1";
    case kInsertRelationship:
      return "INSERT INTO relationships (id, user_low, user_high, status, acted_by, version,"
             " created_at, updated_at, blocked_by_low, blocked_by_high)"
             " VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6, ?7, ?8)";
    case kUpdateRelationship:
      return "UPDATE relationships SET status = ?3, acted_by = ?4, version = version + 1,"
             " updated_at = ?5, blocked_by_low = ?6, blocked_by_high = ?7"
             " WHERE id = ?1 AND version = ?2 RETURNING " +
             relationship_columns;
    case kDeleteRelationship:
      return "DELETE FROM relationships WHERE id = ?1 AND version = ?2";
    case kSetDialog:
      return "UPDATE relationships SET dialog_id = ?2"
             " WHERE id = ?1 AND status = 'friends' AND dialog_id IS NULL RETURNING " +
             relationship_columns;
    case kListRelationships:
      // Each side walks its own (user, status, id) index in id order; SQLite merges
      // the two (MERGE (UNION ALL), no sort) and stops at the limit.
      return relationship_side("low") + " UNION ALL " + relationship_side("high") +
             " ORDER BY id LIMIT ?5";
    case kListWithoutDialog:
      return "SELECT " + relationship_columns +
             " FROM relationships WHERE status = 'friends' AND dialog_id IS NULL"
             " ORDER BY updated_at, id LIMIT ?1";
    case kBegin:
      // IMMEDIATE: the write lock is taken at once, so a transaction never has
      // to upgrade a read lock (which could fail with SQLITE_BUSY mid-way).
      return "BEGIN IMMEDIATE";
    case kCommit:
      return "COMMIT";
    case kRollback:
      return "ROLLBACK";
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
  void bind(int index, const std::string& text) { bind(index, std::string_view(text)); }
  void bind(int index, const char* text) { bind(index, std::string_view(text)); }

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
  user.roles = split_roles(text(8));
  user.disabled = sqlite3_column_int64(row, 9) != 0;
  if (sqlite3_column_type(row, 10) != SQLITE_NULL) {
    user.password_changed_at = detail::from_millis(sqlite3_column_int64(row, 10));
  }
  return user;
}

std::string column_text(sqlite3_stmt* row, int column) {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(row, column));
  return data != nullptr
             ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(row, column)))
             : std::string();
}

Relationship read_relationship(sqlite3_stmt* row) {
  Relationship relationship;
  relationship.id = column_text(row, 0);
  relationship.user_low = column_text(row, 1);
  relationship.user_high = column_text(row, 2);
  // The table's CHECK admits the three stored forms only.
  relationship.status =
      relationship_status_from_string(column_text(row, 3)).value_or(RelationshipStatus::kPending);
  relationship.acted_by = column_text(row, 4);
  if (sqlite3_column_type(row, 5) != SQLITE_NULL) {
    relationship.dialog_id = column_text(row, 5);
  }
  relationship.version = sqlite3_column_int64(row, 6);
  relationship.created_at = detail::from_millis(sqlite3_column_int64(row, 7));
  relationship.updated_at = detail::from_millis(sqlite3_column_int64(row, 8));
  relationship.blocked_by_low = sqlite3_column_int64(row, 9) != 0;
  relationship.blocked_by_high = sqlite3_column_int64(row, 10) != 0;
  return relationship;
}

/// 0: any actor, 1: the other user acted, 2: this user acted, 3: this user blocked
/// (kListRelationships ?4).
std::pair<std::string_view, std::int64_t> view_filter(RelationshipView view) {
  switch (view) {
    case RelationshipView::kFriends:
      return {"friends", 0};
    case RelationshipView::kIncoming:
      return {"pending", 1};
    case RelationshipView::kOutgoing:
      return {"pending", 2};
    case RelationshipView::kBlocked:
      return {"blocked", 3};
  }
  return {"friends", 0};
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

/// Rolls back at scope end unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& connection) : connection_(connection) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (open_) {
      run(kRollback);
    }
  }

  Result<void, StoreError> begin() {
    if (const int rc = run(kBegin); rc != SQLITE_DONE) {
      return unexpected(failure(connection_, rc, "begin"));
    }
    open_ = true;
    return {};
  }

  Result<void, StoreError> commit() {
    if (const int rc = run(kCommit); rc != SQLITE_DONE) {
      return unexpected(failure(connection_, rc, "commit"));
    }
    open_ = false;
    return {};
  }

 private:
  int run(Query query) {
    auto* statement = connection_.statement(query);
    if (statement == nullptr) {
      return SQLITE_ERROR;
    }
    StatementUse use(statement);
    return sqlite3_step(statement);
  }

  Connection& connection_;
  bool open_ = false;
};

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
    auto bind = [connectycube_id](StatementUse& use) {
      use.bind(2, connectycube_id);
      use.bind(3, detail::to_millis(detail::now_millis()));
    };
    co_return co_await update_user(kSetConnectyCubeId, std::move(id), std::move(bind));
  }

  boost::asio::awaitable<Result<void, StoreError>> delete_user(std::string id) override {
    auto bind_nothing_more = [](StatementUse&) {};
    co_return co_await update_user(kDelete, std::move(id), bind_nothing_more);
  }

  boost::asio::awaitable<Result<void, StoreError>> set_password(
      std::string id, std::string password_hash,
      std::chrono::system_clock::time_point changed_at) override {
    const std::int64_t changed = detail::to_millis(changed_at);
    auto bind = [password_hash = std::move(password_hash), changed](StatementUse& use) {
      use.bind(2, password_hash);
      use.bind(3, changed);
      use.bind(4, detail::to_millis(detail::now_millis()));
    };
    co_return co_await update_user(kSetPassword, std::move(id), std::move(bind));
  }

  boost::asio::awaitable<Result<void, StoreError>> set_profile(std::string id,
                                                               std::string first_name,
                                                               std::string last_name) override {
    auto bind = [first_name = std::move(first_name),
                 last_name = std::move(last_name)](StatementUse& use) {
      use.bind(2, first_name);
      use.bind(3, last_name);
      use.bind(4, detail::to_millis(detail::now_millis()));
    };
    co_return co_await update_user(kSetProfile, std::move(id), std::move(bind));
  }

  boost::asio::awaitable<Result<void, StoreError>> set_disabled(std::string id,
                                                                bool disabled) override {
    auto bind = [disabled](StatementUse& use) {
      use.bind(2, std::int64_t{disabled ? 1 : 0});
      use.bind(3, detail::to_millis(detail::now_millis()));
    };
    co_return co_await update_user(kSetDisabled, std::move(id), std::move(bind));
  }

  boost::asio::awaitable<Result<void, StoreError>> set_roles(
      std::string id, std::vector<std::string> roles) override {
    auto normal = normalize_roles(std::move(roles));
    if (!normal) {
      log::error("sqlite: set_roles refused a role name that is not [a-z0-9_-]{{1,32}}");
      co_return unexpected(StoreError::kInternal);
    }
    auto bind = [joined = join_roles(*normal)](StatementUse& use) {
      use.bind(2, joined);
      use.bind(3, detail::to_millis(detail::now_millis()));
    };
    co_return co_await update_user(kSetRoles, std::move(id), std::move(bind));
  }

  boost::asio::awaitable<Result<UserPage, StoreError>> list_users(UserQuery query) override {
    if (query.limit == 0 || (query.after_id && !is_object_id(*query.after_id))) {
      co_return UserPage{};
    }
    auto work = [query = std::move(query)](Connection& connection) -> Result<UserPage, StoreError> {
      auto* statement = connection.statement(kList);
      if (statement == nullptr) {
        return unexpected(StoreError::kInternal);
      }
      StatementUse use(statement);
      use.bind(1, query.after_id ? canonical_object_id(*query.after_id) : std::string());
      use.bind(2, ascii_lower(query.email_contains));
      // One more than asked: whether another page follows.
      use.bind(3, static_cast<std::int64_t>(query.limit) + 1);
      UserPage page;
      for (;;) {
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_DONE) {
          break;
        }
        if (rc != SQLITE_ROW) {
          return unexpected(failure(connection, rc, "list users"));
        }
        if (page.users.size() == query.limit) {
          page.next_after_id = page.users.back().id;
          break;
        }
        page.users.push_back(read_user(statement));
      }
      return page;
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<void, StoreError>> create_refresh_token(
      NewRefreshToken token) override {
    if (!is_object_id(token.user_id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    token.user_id = canonical_object_id(token.user_id);
    auto work = [token = std::move(token)](Connection& connection) -> Result<void, StoreError> {
      Transaction transaction(connection);
      if (auto begun = transaction.begin(); !begun) {
        return begun;
      }
      {
        auto* statement = connection.statement(kInsertFamily);
        if (statement == nullptr) {
          return unexpected(StoreError::kInternal);
        }
        StatementUse use(statement);
        use.bind(1, token.family_id);
        use.bind(2, token.user_id);
        use.bind(3, detail::to_millis(token.issued_at));
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
          return unexpected(StoreError::kNotFound);
        }
        if (rc != SQLITE_DONE) {
          return unexpected(failure(connection, rc, "insert refresh token family"));
        }
      }
      if (auto inserted = insert_token(connection, token); !inserted) {
        return inserted;
      }
      return transaction.commit();
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<Rotation, StoreError>> rotate_refresh_token(
      std::string presented_hash, NewRefreshToken next) override {
    auto work = [presented = std::move(presented_hash), next = std::move(next)](
                    Connection& connection) mutable -> Result<Rotation, StoreError> {
      // BEGIN IMMEDIATE holds the database's write lock: rotations and
      // revocations run one after the other.
      Transaction transaction(connection);
      if (auto begun = transaction.begin(); !begun) {
        return unexpected(begun.error());
      }
      Rotation rotation;
      bool used = false;
      bool revoked = false;
      {
        auto* statement = connection.statement(kFindToken);
        if (statement == nullptr) {
          return unexpected(StoreError::kInternal);
        }
        StatementUse use(statement);
        use.bind(1, presented);
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_DONE) {
          return rotation;  // kUnknown; the transaction rolls back
        }
        if (rc != SQLITE_ROW) {
          return unexpected(failure(connection, rc, "find refresh token"));
        }
        rotation.family_id = column_text(statement, 0);
        rotation.user_id = column_text(statement, 1);
        used = sqlite3_column_int64(statement, 2) != 0;
        revoked = sqlite3_column_int64(statement, 3) != 0;
      }
      rotation.outcome = RotationOutcome::kRevoked;
      if (revoked) {
        return rotation;
      }
      // The conditional UPDATE is what decides: only a live token changes.
      int changed = 0;
      {
        auto* statement = connection.statement(kUseToken);
        if (statement == nullptr) {
          return unexpected(StoreError::kInternal);
        }
        StatementUse use(statement);
        use.bind(1, presented);
        use.bind(2, detail::to_millis(next.issued_at));
        const int rc = sqlite3_step(statement);
        if (rc != SQLITE_DONE) {
          return unexpected(failure(connection, rc, "use refresh token"));
        }
        changed = sqlite3_changes(connection.db());
      }
      if (changed == 1) {
        next.family_id = rotation.family_id;
        next.user_id = rotation.user_id;
        if (auto inserted = insert_token(connection, next); !inserted) {
          return unexpected(inserted.error());
        }
        if (auto committed = transaction.commit(); !committed) {
          return unexpected(committed.error());
        }
        rotation.outcome = RotationOutcome::kRotated;
        return rotation;
      }
      if (!used) {
        return rotation;  // expired: kRevoked, nothing stored
      }
      {
        auto* statement = connection.statement(kRevokeFamily);
        if (statement == nullptr) {
          return unexpected(StoreError::kInternal);
        }
        StatementUse use(statement);
        use.bind(1, rotation.family_id);
        const int rc = sqlite3_step(statement);
        if (rc != SQLITE_DONE) {
          return unexpected(failure(connection, rc, "revoke refresh token family"));
        }
      }
      if (auto committed = transaction.commit(); !committed) {
        return unexpected(committed.error());
      }
      rotation.outcome = RotationOutcome::kReused;
      return rotation;
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<std::optional<std::string>, StoreError>> revoke_refresh_family(
      std::string token_hash) override {
    auto work = [token_hash = std::move(token_hash)](
                    Connection& connection) -> Result<std::optional<std::string>, StoreError> {
      Transaction transaction(connection);
      if (auto begun = transaction.begin(); !begun) {
        return unexpected(begun.error());
      }
      std::string family_id;
      std::string user_id;
      {
        auto* statement = connection.statement(kFindToken);
        if (statement == nullptr) {
          return unexpected(StoreError::kInternal);
        }
        StatementUse use(statement);
        use.bind(1, token_hash);
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_DONE) {
          return std::optional<std::string>();
        }
        if (rc != SQLITE_ROW) {
          return unexpected(failure(connection, rc, "find refresh token"));
        }
        family_id = column_text(statement, 0);
        user_id = column_text(statement, 1);
      }
      {
        auto* statement = connection.statement(kRevokeFamily);
        if (statement == nullptr) {
          return unexpected(StoreError::kInternal);
        }
        StatementUse use(statement);
        use.bind(1, family_id);
        const int rc = sqlite3_step(statement);
        if (rc != SQLITE_DONE) {
          return unexpected(failure(connection, rc, "revoke refresh token family"));
        }
      }
      if (auto committed = transaction.commit(); !committed) {
        return unexpected(committed.error());
      }
      return std::optional<std::string>(std::move(user_id));
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<void, StoreError>> revoke_user_refresh_tokens(
      std::string user_id) override {
    if (!is_object_id(user_id)) {
      co_return Result<void, StoreError>();
    }
    auto work = [user_id = canonical_object_id(user_id)](
                    Connection& connection) -> Result<void, StoreError> {
      auto* statement = connection.statement(kRevokeUserFamilies);
      if (statement == nullptr) {
        return unexpected(StoreError::kInternal);
      }
      StatementUse use(statement);
      use.bind(1, user_id);
      const int rc = sqlite3_step(statement);
      if (rc != SQLITE_DONE) {
        return unexpected(failure(connection, rc, "revoke refresh tokens"));
      }
      return {};
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<std::size_t, StoreError>> purge_refresh_tokens(
      std::chrono::system_clock::time_point expired_before) override {
    auto work = [before = detail::to_millis(expired_before)](
                    Connection& connection) -> Result<std::size_t, StoreError> {
      Transaction transaction(connection);
      if (auto begun = transaction.begin(); !begun) {
        return unexpected(begun.error());
      }
      std::size_t expired = 0;
      for (const Query query :
           {kCountExpiredTokens, kDeleteExpiredFamilies, kDeleteExpiredTokens}) {
        auto* statement = connection.statement(query);
        if (statement == nullptr) {
          return unexpected(StoreError::kInternal);
        }
        StatementUse use(statement);
        use.bind(1, before);
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_ROW && query == kCountExpiredTokens) {
          expired = static_cast<std::size_t>(sqlite3_column_int64(statement, 0));
        } else if (rc != SQLITE_DONE) {
          return unexpected(failure(connection, rc, "purge expired refresh tokens"));
        }
      }
      if (auto committed = transaction.commit(); !committed) {
        return unexpected(committed.error());
      }
      return expired;
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<std::optional<Relationship>, StoreError>> find_relationship(
      std::string user_a, std::string user_b) override {
    auto pair = detail::ordered_ids(user_a, user_b);
    if (!pair) {
      co_return std::optional<Relationship>();
    }
    auto work = [pair = std::move(*pair)](
                    Connection& connection) -> Result<std::optional<Relationship>, StoreError> {
      auto* statement = connection.statement(kFindPair);
      if (statement == nullptr) {
        return unexpected(StoreError::kInternal);
      }
      StatementUse use(statement);
      use.bind(1, pair.first);
      use.bind(2, pair.second);
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_ROW) {
        return std::optional<Relationship>(read_relationship(statement));
      }
      if (rc == SQLITE_DONE) {
        return std::optional<Relationship>();
      }
      return unexpected(failure(connection, rc, "find relationship"));
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<Relationship, StoreError>> create_relationship(
      NewRelationship input) override {
    auto pair = detail::canonical_pair(input);
    if (!pair) {
      co_return unexpected(pair.error());
    }
    auto work = [pair = std::move(*pair), status = input.status](
                    Connection& connection) -> Result<Relationship, StoreError> {
      auto* statement = connection.statement(kInsertRelationship);
      if (statement == nullptr) {
        return unexpected(StoreError::kInternal);
      }
      Relationship relationship;
      relationship.created_at = detail::now_millis();
      relationship.updated_at = relationship.created_at;
      relationship.id = new_object_id(relationship.created_at);
      relationship.user_low = pair.user_low;
      relationship.user_high = pair.user_high;
      relationship.status = status;
      relationship.acted_by = pair.acted_by;
      relationship.blocked_by_low = pair.blocked_by_low;
      relationship.blocked_by_high = pair.blocked_by_high;
      relationship.version = 1;

      StatementUse use(statement);
      use.bind(1, relationship.id);
      use.bind(2, relationship.user_low);
      use.bind(3, relationship.user_high);
      use.bind(4, to_string(relationship.status));
      use.bind(5, relationship.acted_by);
      use.bind(6, detail::to_millis(relationship.created_at));
      use.bind(7, static_cast<std::int64_t>(relationship.blocked_by_low));
      use.bind(8, static_cast<std::int64_t>(relationship.blocked_by_high));
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) {
        return relationship;
      }
      if (rc == SQLITE_CONSTRAINT_UNIQUE) {
        return unexpected(StoreError::kConflict);
      }
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return unexpected(StoreError::kNotFound);
      }
      return unexpected(failure(connection, rc, "insert relationship"));
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<Relationship, StoreError>> update_relationship(
      std::string id, std::int64_t expected_version, RelationshipChange change) override {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    if (!is_consistent(change)) {
      co_return unexpected(StoreError::kInternal);
    }
    if (is_object_id(change.acted_by)) {
      change.acted_by = canonical_object_id(change.acted_by);
    }
    auto work = [id = canonical_object_id(id), expected_version, change = std::move(change)](
                    Connection& connection) -> Result<Relationship, StoreError> {
      {
        auto* statement = connection.statement(kUpdateRelationship);
        if (statement == nullptr) {
          return unexpected(StoreError::kInternal);
        }
        StatementUse use(statement);
        use.bind(1, id);
        use.bind(2, expected_version);
        use.bind(3, to_string(change.status));
        use.bind(4, change.acted_by);
        use.bind(5, detail::to_millis(detail::now_millis()));
        use.bind(6, static_cast<std::int64_t>(change.blocked_by_low));
        use.bind(7, static_cast<std::int64_t>(change.blocked_by_high));
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_ROW) {
          return read_relationship(statement);
        }
        if (rc != SQLITE_DONE) {
          return unexpected(failure(connection, rc, "update relationship"));
        }
      }
      return unexpected(missed(connection, id));
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<void, StoreError>> delete_relationship(
      std::string id, std::int64_t expected_version) override {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    auto work = [id = canonical_object_id(id),
                 expected_version](Connection& connection) -> Result<void, StoreError> {
      {
        auto* statement = connection.statement(kDeleteRelationship);
        if (statement == nullptr) {
          return unexpected(StoreError::kInternal);
        }
        StatementUse use(statement);
        use.bind(1, id);
        use.bind(2, expected_version);
        const int rc = sqlite3_step(statement);
        if (rc != SQLITE_DONE) {
          return unexpected(failure(connection, rc, "delete relationship"));
        }
        if (sqlite3_changes(connection.db()) == 1) {
          return {};
        }
      }
      return unexpected(missed(connection, id));
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<Relationship, StoreError>> set_relationship_dialog(
      std::string id, std::string dialog_id) override {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    auto work = [id = canonical_object_id(id), dialog_id = std::move(dialog_id)](
                    Connection& connection) -> Result<Relationship, StoreError> {
      {
        auto* statement = connection.statement(kSetDialog);
        if (statement == nullptr) {
          return unexpected(StoreError::kInternal);
        }
        StatementUse use(statement);
        use.bind(1, id);
        use.bind(2, dialog_id);
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_ROW) {
          return read_relationship(statement);
        }
        if (rc != SQLITE_DONE) {
          return unexpected(failure(connection, rc, "set relationship dialog"));
        }
      }
      // Nothing changed: gone, not friends, or a dialog recorded first (then that one).
      return detail::unchanged_dialog_outcome(find_relationship_by_id(connection, id));
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<RelationshipPage, StoreError>> list_relationships(
      RelationshipQuery query) override {
    if (query.limit == 0 || !is_object_id(query.user_id) ||
        (query.after_id && !is_object_id(*query.after_id))) {
      co_return RelationshipPage{};
    }
    auto work =
        [query = std::move(query)](Connection& connection) -> Result<RelationshipPage, StoreError> {
      auto* statement = connection.statement(kListRelationships);
      if (statement == nullptr) {
        return unexpected(StoreError::kInternal);
      }
      const auto [status, actor] = view_filter(query.view);
      StatementUse use(statement);
      use.bind(1, canonical_object_id(query.user_id));
      use.bind(2, query.after_id ? canonical_object_id(*query.after_id) : std::string());
      use.bind(3, status);
      use.bind(4, actor);
      // One more than asked: whether another page follows.
      use.bind(5, static_cast<std::int64_t>(query.limit) + 1);
      RelationshipPage page;
      for (;;) {
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_DONE) {
          break;
        }
        if (rc != SQLITE_ROW) {
          return unexpected(failure(connection, rc, "list relationships"));
        }
        if (page.items.size() == query.limit) {
          page.next_after_id = page.items.back().id;
          break;
        }
        page.items.push_back(read_relationship(statement));
      }
      return page;
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<std::vector<Relationship>, StoreError>>
  list_friendships_without_dialog(std::size_t limit) override {
    if (limit == 0) {
      co_return std::vector<Relationship>();
    }
    auto work = [limit](Connection& connection) -> Result<std::vector<Relationship>, StoreError> {
      auto* statement = connection.statement(kListWithoutDialog);
      if (statement == nullptr) {
        return unexpected(StoreError::kInternal);
      }
      StatementUse use(statement);
      use.bind(1, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
      std::vector<Relationship> out;
      for (;;) {
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_DONE) {
          break;
        }
        if (rc != SQLITE_ROW) {
          return unexpected(failure(connection, rc, "list friendships without dialog"));
        }
        out.push_back(read_relationship(statement));
      }
      return out;
    };
    co_return co_await with_connection(std::move(work));
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

  static Result<std::optional<Relationship>, StoreError> find_relationship_by_id(
      Connection& connection, const std::string& id) {
    auto* statement = connection.statement(kFindRelationship);
    if (statement == nullptr) {
      return unexpected(StoreError::kInternal);
    }
    StatementUse use(statement);
    use.bind(1, id);
    const int rc = sqlite3_step(statement);
    if (rc == SQLITE_ROW) {
      return std::optional<Relationship>(read_relationship(statement));
    }
    if (rc == SQLITE_DONE) {
      return std::optional<Relationship>();
    }
    return unexpected(failure(connection, rc, "find relationship"));
  }

  /// Why a compare-and-set changed nothing: kConflict while the row exists (its
  /// version moved on), kNotFound once it is gone.
  static StoreError missed(Connection& connection, const std::string& id) {
    auto stored = find_relationship_by_id(connection, id);
    if (!stored) {
      return stored.error();
    }
    return *stored ? StoreError::kConflict : StoreError::kNotFound;
  }

  static Result<void, StoreError> insert_token(Connection& connection,
                                               const NewRefreshToken& token) {
    auto* statement = connection.statement(kInsertToken);
    if (statement == nullptr) {
      return unexpected(StoreError::kInternal);
    }
    StatementUse use(statement);
    use.bind(1, token.token_hash);
    use.bind(2, token.family_id);
    use.bind(3, token.user_id);
    use.bind(4, detail::to_millis(token.issued_at));
    use.bind(5, detail::to_millis(token.expires_at));
    const int rc = sqlite3_step(statement);
    if (rc != SQLITE_DONE) {
      return unexpected(failure(connection, rc, "insert refresh token"));
    }
    return {};
  }

  /// Runs an UPDATE (or the DELETE) of one user: ?1 is the id, `bind` binds the rest.
  /// kNotFound when no row changed.
  template <class Bind>
  boost::asio::awaitable<Result<void, StoreError>> update_user(Query query, std::string id,
                                                               Bind bind) {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    auto work = [query, id = canonical_object_id(id),
                 bind = std::move(bind)](Connection& connection) -> Result<void, StoreError> {
      auto* statement = connection.statement(query);
      if (statement == nullptr) {
        return unexpected(StoreError::kInternal);
      }
      StatementUse use(statement);
      use.bind(1, id);
      bind(use);
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
