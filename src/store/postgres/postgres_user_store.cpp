#include "store/postgres/postgres_user_store.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <boost/asio/thread_pool.hpp>
#include <charconv>
#include <cstring>
#include <mutex>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/blocking.hpp"
#include "common/logging.hpp"
#include "store/detail/availability.hpp"
#include "store/detail/handle_pool.hpp"
#include "store/detail/millis.hpp"
#include "store/detail/relationship_pair.hpp"
#include "store/email.hpp"
#include "store/object_id.hpp"
#include "store/postgres/migrations.hpp"
#include "store/postgres/postgres_event_channel.hpp"
#include "store/roles.hpp"

namespace cubeauth::store {
namespace {

// SQLSTATE codes (PostgreSQL docs, appendix A).
constexpr std::string_view kUniqueViolation = "23505";
constexpr std::string_view kForeignKeyViolation = "23503";

struct PreparedQuery {
  const char* name;
  const char* sql;
  int parameters;
};

#define CUBEAUTH_USER_COLUMNS                                         \
  "id, email, first_name, last_name, password_hash, connectycube_id," \
  " (extract(epoch FROM created_at) * 1000)::bigint,"                 \
  " (extract(epoch FROM updated_at) * 1000)::bigint,"                 \
  " array_to_string(roles, ','), disabled,"                           \
  " (extract(epoch FROM password_changed_at) * 1000)::bigint"
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
constexpr PreparedQuery kSetPassword{
    "cubeauth_set_password",
    "UPDATE users SET password_hash = $2, password_changed_at = " CUBEAUTH_MILLIS(
        3) ", updated_at = " CUBEAUTH_MILLIS(4) " WHERE id = $1",
    4};
constexpr PreparedQuery kSetProfile{
    "cubeauth_set_profile",
    "UPDATE users SET first_name = $2, last_name = $3, updated_at = " CUBEAUTH_MILLIS(
        4) " WHERE id = $1",
    4};
constexpr PreparedQuery kSetDisabled{
    "cubeauth_set_disabled",
    "UPDATE users SET disabled = $2::boolean, updated_at = " CUBEAUTH_MILLIS(3) " WHERE id = $1",
    3};
constexpr PreparedQuery kSetRoles{"cubeauth_set_roles",
                                  "UPDATE users SET roles = string_to_array($2, ','),"
                                  " updated_at = " CUBEAUTH_MILLIS(3) " WHERE id = $1",
                                  3};
// strpos has no wildcards; both sides are folded by the same lower().
constexpr PreparedQuery kList{"cubeauth_list_users",
                              "SELECT " CUBEAUTH_USER_COLUMNS
                              " FROM users WHERE id > $1"
                              " AND ($2 = '' OR strpos(lower(email), lower($2)) > 0)"
                              " ORDER BY id LIMIT $3::bigint",
                              3};
// One statement: the family and its first token, or neither.
constexpr PreparedQuery kCreateToken{
    "cubeauth_create_refresh_token",
    "WITH family AS (INSERT INTO refresh_families (family_id, user_id, created_at)"
    " VALUES ($2, $3, " CUBEAUTH_MILLIS(4) ") RETURNING family_id)"
    " INSERT INTO refresh_tokens (token_hash, family_id, user_id, issued_at, expires_at)"
    " SELECT $1, family_id, $3, " CUBEAUTH_MILLIS(4) ", " CUBEAUTH_MILLIS(5) " FROM family",
    5};
constexpr PreparedQuery kInsertToken{
    "cubeauth_insert_refresh_token",
    "INSERT INTO refresh_tokens (token_hash, family_id, user_id, issued_at, expires_at)"
    " VALUES ($1, $2, $3, " CUBEAUTH_MILLIS(4) ", " CUBEAUTH_MILLIS(5) ")",
    5};
// Locks the token's family row: rotations and revocations of one family take
// turns. Only the family row is locked, so only its columns are fresh here.
constexpr PreparedQuery kLockFamily{
    "cubeauth_lock_refresh_family",
    "SELECT f.family_id, f.user_id, f.revoked FROM refresh_families f"
    " JOIN refresh_tokens t ON t.family_id = f.family_id WHERE t.token_hash = $1"
    " FOR UPDATE OF f",
    1};
constexpr PreparedQuery kUseToken{
    "cubeauth_use_refresh_token",
    "UPDATE refresh_tokens SET used_at = " CUBEAUTH_MILLIS(
        2) " WHERE token_hash = $1 AND used_at IS NULL AND expires_at > " CUBEAUTH_MILLIS(2),
    2};
constexpr PreparedQuery kTokenUsed{
    "cubeauth_refresh_token_used",
    "SELECT used_at IS NOT NULL FROM refresh_tokens WHERE token_hash = $1", 1};
constexpr PreparedQuery kFindToken{
    "cubeauth_find_refresh_token",
    "SELECT family_id, user_id FROM refresh_tokens WHERE token_hash = $1", 1};
constexpr PreparedQuery kRevokeFamily{
    "cubeauth_revoke_refresh_family",
    "UPDATE refresh_families SET revoked = true WHERE family_id = $1", 1};
constexpr PreparedQuery kRevokeTokenFamily{
    "cubeauth_revoke_token_family",
    "UPDATE refresh_families f SET revoked = true FROM refresh_tokens t"
    " WHERE t.token_hash = $1 AND f.family_id = t.family_id RETURNING f.user_id",
    1};
constexpr PreparedQuery kRevokeUserFamilies{
    "cubeauth_revoke_user_refresh_families",
    "UPDATE refresh_families SET revoked = true WHERE user_id = $1", 1};
// One statement: the expired tokens, then the families they leave without a token (all
// parts of a statement see one snapshot, hence the second expiry test).
constexpr PreparedQuery kPurgeTokens{
    "cubeauth_purge_refresh_tokens",
    "WITH gone AS (DELETE FROM refresh_tokens WHERE expires_at < " CUBEAUTH_MILLIS(1) " RETURNING family_id),"
    " emptied AS (DELETE FROM refresh_families f WHERE f.family_id IN (SELECT family_id FROM gone)"
    " AND NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = f.family_id"
    " AND t.expires_at >= " CUBEAUTH_MILLIS(1) "))"
    " SELECT count(*) FROM gone",
    1};
#define CUBEAUTH_RELATIONSHIP_COLUMNS                                \
  "id, user_low, user_high, status, acted_by, dialog_id, version,"   \
  " (extract(epoch FROM created_at) * 1000)::bigint AS created_ms,"  \
  " (extract(epoch FROM updated_at) * 1000)::bigint AS updated_ms," \
  " blocked_by_low, blocked_by_high"
// list_relationships from one side (low or high): $1 user, $2 after id, $3 status,
// $4 0 any actor / 1 the other / 2 this user / 3 this side's block, $5 limit.
#define CUBEAUTH_RELATIONSHIP_SIDE(side)                                                         \
  "(SELECT " CUBEAUTH_RELATIONSHIP_COLUMNS " FROM relationships WHERE user_" side                \
  " = $1 AND status = $3 AND id > $2 AND ($4::int = 0 OR ($4::int = 1 AND acted_by <> $1)"       \
  " OR ($4::int = 2 AND acted_by = $1) OR ($4::int = 3 AND blocked_by_" side "))"                 \
  " ORDER BY id LIMIT $5::bigint)"
constexpr PreparedQuery kFindPair{"cubeauth_find_relationship_pair",
                                  "SELECT " CUBEAUTH_RELATIONSHIP_COLUMNS
                                  " FROM relationships WHERE user_low = $1 AND user_high = $2",
                                  2};
constexpr PreparedQuery kFindRelationship{
    "cubeauth_find_relationship",
    "SELECT " CUBEAUTH_RELATIONSHIP_COLUMNS " FROM relationships WHERE id = $1", 1};
constexpr PreparedQuery kInsertRelationship{
    "cubeauth_insert_relationship",
    "INSERT INTO relationships (id, user_low, user_high, status, acted_by, version, created_at,"
    " updated_at, blocked_by_low, blocked_by_high) VALUES ($1, $2, $3, $4, $5, 1, " CUBEAUTH_MILLIS(
        6) ", " CUBEAUTH_MILLIS(6) ", $7::boolean, $8::boolean)",
    8};
constexpr PreparedQuery kUpdateRelationship{
    "cubeauth_update_relationship",
    "UPDATE relationships SET status = $3, acted_by = $4, version = version + 1,"
    " updated_at = " CUBEAUTH_MILLIS(5) ", blocked_by_low = $6::boolean,"
    " blocked_by_high = $7::boolean WHERE id = $1 AND version = $2::bigint"
    " RETURNING " CUBEAUTH_RELATIONSHIP_COLUMNS,
    7};
constexpr PreparedQuery kDeleteRelationship{
    "cubeauth_delete_relationship",
    "DELETE FROM relationships WHERE id = $1 AND version = $2::bigint", 2};
constexpr PreparedQuery kSetDialog{"cubeauth_set_relationship_dialog",
                                   "UPDATE relationships SET dialog_id = $2"
                                   " WHERE id = $1 AND status = 'friends' AND dialog_id IS NULL"
                                   " RETURNING " CUBEAUTH_RELATIONSHIP_COLUMNS,
                                   2};
// Each side walks its own (user, status, id) index; a merge keeps id order.
constexpr PreparedQuery kListRelationships{
    "cubeauth_list_relationships",
    CUBEAUTH_RELATIONSHIP_SIDE("low") " UNION ALL " CUBEAUTH_RELATIONSHIP_SIDE(
        "high") " ORDER BY id LIMIT $5::bigint",
    5};
constexpr PreparedQuery kListWithoutDialog{
    "cubeauth_list_friendships_without_dialog",
    "SELECT " CUBEAUTH_RELATIONSHIP_COLUMNS
    " FROM relationships WHERE status = 'friends' AND dialog_id IS NULL"
    " ORDER BY updated_at, id LIMIT $1::bigint",
    1};
constexpr std::array kQueries = {
    kInsert,    kFindByEmail,       kFindById,           kSetConnectyCubeId,  kDelete,
    kPing,      kSetPassword,       kSetProfile,         kSetDisabled,        kSetRoles,
    kList,      kCreateToken,       kInsertToken,        kLockFamily,         kUseToken,
    kTokenUsed, kFindToken,         kRevokeFamily,       kRevokeTokenFamily,  kRevokeUserFamilies,
    kFindPair,  kFindRelationship,  kInsertRelationship, kUpdateRelationship, kDeleteRelationship,
    kSetDialog, kListRelationships, kListWithoutDialog,  kPurgeTokens};

#undef CUBEAUTH_USER_COLUMNS
#undef CUBEAUTH_RELATIONSHIP_COLUMNS
#undef CUBEAUTH_RELATIONSHIP_SIDE
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
  const char* version_text = PQgetvalue(latest.get(), 0, 0);
  int applied = 0;
  const auto [version_end, parsed] = std::from_chars(version_text, version_text + std::strlen(version_text), applied);
  if (parsed != std::errc() || *version_end != '\0' || applied < 0) {
    return fail(std::string("the database's schema version is not a number: '") + version_text + "'");
  }
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
  user.roles = split_roles(std::string_view(PQgetvalue(result.get(), row, 8)));
  user.disabled = std::string_view(PQgetvalue(result.get(), row, 9)) == "t";
  if (PQgetisnull(result.get(), row, 10) == 0) {
    user.password_changed_at = detail::from_millis(to_int64(PQgetvalue(result.get(), row, 10)));
  }
  return user;
}

std::string cell(const PgResult& result, int row, int column) {
  return std::string(PQgetvalue(result.get(), row, column),
                     static_cast<std::size_t>(PQgetlength(result.get(), row, column)));
}

Relationship read_relationship(const PgResult& result, int row) {
  Relationship relationship;
  relationship.id = cell(result, row, 0);
  relationship.user_low = cell(result, row, 1);
  relationship.user_high = cell(result, row, 2);
  // The table's CHECK admits the three stored forms only.
  relationship.status =
      relationship_status_from_string(cell(result, row, 3)).value_or(RelationshipStatus::kPending);
  relationship.acted_by = cell(result, row, 4);
  if (PQgetisnull(result.get(), row, 5) == 0) {
    relationship.dialog_id = cell(result, row, 5);
  }
  relationship.version = to_int64(PQgetvalue(result.get(), row, 6));
  relationship.created_at = detail::from_millis(to_int64(PQgetvalue(result.get(), row, 7)));
  relationship.updated_at = detail::from_millis(to_int64(PQgetvalue(result.get(), row, 8)));
  relationship.blocked_by_low = cell(result, row, 9) == "t";
  relationship.blocked_by_high = cell(result, row, 10) == "t";
  return relationship;
}

/// The status and actor filter of a view ($3 and $4 of kListRelationships).
std::pair<std::string, std::string> view_filter(RelationshipView view) {
  switch (view) {
    case RelationshipView::kFriends:
      return {"friends", "0"};
    case RelationshipView::kIncoming:
      return {"pending", "1"};
    case RelationshipView::kOutgoing:
      return {"pending", "2"};
    case RelationshipView::kBlocked:
      return {"blocked", "3"};
  }
  return {"friends", "0"};
}

/// BEGIN now; ROLLBACK at scope end unless committed.
class PgTransaction {
 public:
  explicit PgTransaction(Connection& connection) : connection_(connection) {}
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  ~PgTransaction() {
    if (open_ && !connection_.broken()) {
      (void)connection_.exec("ROLLBACK");
    }
  }

  Result<void, StoreError> begin() {
    auto result = connection_.exec("BEGIN");
    if (!succeeded(result)) {
      return unexpected(failure(connection_, result, "begin"));
    }
    open_ = true;
    return {};
  }

  Result<void, StoreError> commit() {
    auto result = connection_.exec("COMMIT");
    open_ = false;
    if (!succeeded(result)) {
      return unexpected(failure(connection_, result, "commit"));
    }
    return {};
  }

 private:
  Connection& connection_;
  bool open_ = false;
};

std::string millis_text(std::chrono::system_clock::time_point t) {
  return std::to_string(detail::to_millis(t));
}

/// A boolean parameter, as PostgreSQL reads and writes it in text form.
std::string bool_text(bool value) { return value ? "t" : "f"; }

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

  boost::asio::awaitable<Result<void, StoreError>> set_password(
      std::string id, std::string password_hash,
      std::chrono::system_clock::time_point changed_at) override {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    std::vector<std::string> parameters = {canonical_object_id(id), std::move(password_hash),
                                           millis_text(changed_at),
                                           millis_text(detail::now_millis())};
    co_return co_await change_one(kSetPassword, std::move(parameters));
  }

  boost::asio::awaitable<Result<void, StoreError>> set_profile(std::string id,
                                                               std::string first_name,
                                                               std::string last_name) override {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    std::vector<std::string> parameters = {canonical_object_id(id), std::move(first_name),
                                           std::move(last_name), millis_text(detail::now_millis())};
    co_return co_await change_one(kSetProfile, std::move(parameters));
  }

  boost::asio::awaitable<Result<void, StoreError>> set_disabled(std::string id,
                                                                bool disabled) override {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    std::vector<std::string> parameters = {canonical_object_id(id), disabled ? "true" : "false",
                                           millis_text(detail::now_millis())};
    co_return co_await change_one(kSetDisabled, std::move(parameters));
  }

  boost::asio::awaitable<Result<void, StoreError>> set_roles(
      std::string id, std::vector<std::string> roles) override {
    auto normal = normalize_roles(std::move(roles));
    if (!normal) {
      log::error("postgres: set_roles refused a role name that is not [a-z0-9_-]{{1,32}}");
      co_return unexpected(StoreError::kInternal);
    }
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    std::vector<std::string> parameters = {canonical_object_id(id), join_roles(*normal),
                                           millis_text(detail::now_millis())};
    co_return co_await change_one(kSetRoles, std::move(parameters));
  }

  boost::asio::awaitable<Result<UserPage, StoreError>> list_users(UserQuery query) override {
    if (query.limit == 0 || (query.after_id && !is_object_id(*query.after_id))) {
      co_return UserPage{};
    }
    const std::size_t limit = query.limit;
    // One more than asked: whether another page follows.
    std::vector<std::string> parameters = {
        query.after_id ? canonical_object_id(*query.after_id) : std::string(),
        ascii_lower(query.email_contains), std::to_string(limit + 1)};
    auto work = [parameters = std::move(parameters), limit](Connection& connection,
                                                            bool) -> Result<UserPage, StoreError> {
      auto result = connection.exec(kList, parameters);
      if (!succeeded(result)) {
        return unexpected(failure(connection, result, "list users"));
      }
      UserPage page;
      const int rows = PQntuples(result.get());
      for (int row = 0; row < rows; ++row) {
        if (page.users.size() == limit) {
          page.next_after_id = page.users.back().id;
          break;
        }
        page.users.push_back(read_user(result, row));
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
    std::vector<std::string> parameters = {
        token.token_hash, token.family_id, canonical_object_id(token.user_id),
        millis_text(token.issued_at), millis_text(token.expires_at)};
    auto work = [parameters = std::move(parameters)](Connection& connection,
                                                     bool retry) -> Result<void, StoreError> {
      auto result = connection.exec(kCreateToken, parameters);
      if (succeeded(result)) {
        return {};
      }
      if (sqlstate(result) == kForeignKeyViolation) {
        return unexpected(StoreError::kNotFound);
      }
      if (retry && sqlstate(result) == kUniqueViolation) {
        // The first attempt's insert may have committed before the connection died.
        auto mine = connection.exec(kFindToken, {parameters[0]});
        if (succeeded(mine) && PQntuples(mine.get()) == 1 && cell(mine, 0, 0) == parameters[1]) {
          return {};
        }
      }
      return unexpected(failure(connection, result, "insert refresh token"));
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<Rotation, StoreError>> rotate_refresh_token(
      std::string presented_hash, NewRefreshToken next) override {
    auto work = [presented = std::move(presented_hash), next = std::move(next)](
                    Connection& connection, bool retry) -> Result<Rotation, StoreError> {
      if (retry) {
        // A first attempt that lost its connection may have committed: then the
        // next token is stored, and the rotation happened.
        auto mine = connection.exec(kFindToken, {next.token_hash});
        if (!succeeded(mine)) {
          return unexpected(failure(connection, mine, "find refresh token"));
        }
        if (PQntuples(mine.get()) == 1) {
          return Rotation{RotationOutcome::kRotated, cell(mine, 0, 1), cell(mine, 0, 0)};
        }
      }
      return rotate(connection, presented, next);
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<std::optional<std::string>, StoreError>> revoke_refresh_family(
      std::string token_hash) override {
    auto work = [token_hash = std::move(token_hash)](
                    Connection& connection,
                    bool) -> Result<std::optional<std::string>, StoreError> {
      auto result = connection.exec(kRevokeTokenFamily, {token_hash});
      if (!succeeded(result)) {
        return unexpected(failure(connection, result, "revoke refresh token family"));
      }
      if (PQntuples(result.get()) == 0) {
        return std::optional<std::string>();
      }
      return std::optional<std::string>(cell(result, 0, 0));
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<void, StoreError>> revoke_user_refresh_tokens(
      std::string user_id) override {
    if (!is_object_id(user_id)) {
      co_return Result<void, StoreError>();
    }
    auto work = [user_id = canonical_object_id(user_id)](Connection& connection,
                                                         bool) -> Result<void, StoreError> {
      auto result = connection.exec(kRevokeUserFamilies, {user_id});
      if (!succeeded(result)) {
        return unexpected(failure(connection, result, "revoke refresh tokens"));
      }
      return {};
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<std::size_t, StoreError>> purge_refresh_tokens(
      std::chrono::system_clock::time_point expired_before) override {
    auto work = [before = millis_text(expired_before)](Connection& connection,
                                                       bool) -> Result<std::size_t, StoreError> {
      auto result = connection.exec(kPurgeTokens, {before});
      if (!succeeded(result) || PQntuples(result.get()) != 1) {
        return unexpected(failure(connection, result, "purge expired refresh tokens"));
      }
      return static_cast<std::size_t>(to_int64(PQgetvalue(result.get(), 0, 0)));
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<std::optional<Relationship>, StoreError>> find_relationship(
      std::string user_a, std::string user_b) override {
    auto pair = detail::ordered_ids(user_a, user_b);
    if (!pair) {
      co_return std::optional<Relationship>();
    }
    std::vector<std::string> parameters = {std::move(pair->first), std::move(pair->second)};
    auto work = [parameters = std::move(parameters)](
                    Connection& connection,
                    bool) -> Result<std::optional<Relationship>, StoreError> {
      auto result = connection.exec(kFindPair, parameters);
      if (!succeeded(result)) {
        return unexpected(failure(connection, result, "find relationship"));
      }
      if (PQntuples(result.get()) == 0) {
        return std::optional<Relationship>();
      }
      return std::optional<Relationship>(read_relationship(result, 0));
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<Relationship, StoreError>> create_relationship(
      NewRelationship input) override {
    auto pair = detail::canonical_pair(input);
    if (!pair) {
      co_return unexpected(pair.error());
    }
    Relationship relationship;
    relationship.created_at = detail::now_millis();
    relationship.updated_at = relationship.created_at;
    relationship.id = new_object_id(relationship.created_at);
    relationship.user_low = std::move(pair->user_low);
    relationship.user_high = std::move(pair->user_high);
    relationship.status = input.status;
    relationship.acted_by = std::move(pair->acted_by);
    relationship.blocked_by_low = pair->blocked_by_low;
    relationship.blocked_by_high = pair->blocked_by_high;
    relationship.version = 1;
    auto work = [relationship = std::move(relationship)](
                    Connection& connection, bool retry) -> Result<Relationship, StoreError> {
      auto result = connection.exec(
          kInsertRelationship, {relationship.id, relationship.user_low, relationship.user_high,
                                std::string(to_string(relationship.status)), relationship.acted_by,
                                millis_text(relationship.created_at), bool_text(relationship.blocked_by_low),
                                bool_text(relationship.blocked_by_high)});
      if (succeeded(result)) {
        return relationship;
      }
      if (sqlstate(result) == kUniqueViolation) {
        // A retry after a lost connection may meet the row the first attempt
        // wrote: the id is ours, so that is success, not a conflict.
        if (retry) {
          auto mine = connection.exec(kFindRelationship, {relationship.id});
          if (succeeded(mine) && PQntuples(mine.get()) == 1) {
            return relationship;
          }
        }
        return unexpected(StoreError::kConflict);
      }
      if (sqlstate(result) == kForeignKeyViolation) {
        return unexpected(StoreError::kNotFound);
      }
      return unexpected(failure(connection, result, "insert relationship"));
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
    std::string actor =
        is_object_id(change.acted_by) ? canonical_object_id(change.acted_by) : change.acted_by;
    std::vector<std::string> parameters = {canonical_object_id(id),
                                           std::to_string(expected_version),
                                           std::string(to_string(change.status)),
                                           std::move(actor),
                                           millis_text(detail::now_millis()),
                                           bool_text(change.blocked_by_low),
                                           bool_text(change.blocked_by_high)};
    auto work = [parameters = std::move(parameters), expected_version, status = change.status](
                    Connection& connection, bool retry) -> Result<Relationship, StoreError> {
      auto result = connection.exec(kUpdateRelationship, parameters);
      if (!succeeded(result)) {
        return unexpected(failure(connection, result, "update relationship"));
      }
      if (PQntuples(result.get()) == 1) {
        return read_relationship(result, 0);
      }
      auto stored = find_by_relationship_id(connection, parameters[0]);
      if (!stored) {
        return unexpected(stored.error());
      }
      if (!*stored) {
        return unexpected(StoreError::kNotFound);
      }
      // A retry after a lost connection may find the first attempt's change.
      if (retry && (*stored)->version == expected_version + 1 && (*stored)->status == status &&
          (*stored)->acted_by == parameters[3] &&
          bool_text((*stored)->blocked_by_low) == parameters[5] &&
          bool_text((*stored)->blocked_by_high) == parameters[6]) {
        return std::move(**stored);
      }
      return unexpected(StoreError::kConflict);
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<void, StoreError>> delete_relationship(
      std::string id, std::int64_t expected_version) override {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    std::vector<std::string> parameters = {canonical_object_id(id),
                                           std::to_string(expected_version)};
    auto work = [parameters = std::move(parameters)](Connection& connection,
                                                     bool retry) -> Result<void, StoreError> {
      auto result = connection.exec(kDeleteRelationship, parameters);
      if (!succeeded(result)) {
        return unexpected(failure(connection, result, "delete relationship"));
      }
      if (std::string_view(PQcmdTuples(result.get())) == "1") {
        return {};
      }
      auto stored = find_by_relationship_id(connection, parameters[0]);
      if (!stored) {
        return unexpected(stored.error());
      }
      if (*stored) {
        return unexpected(StoreError::kConflict);
      }
      // Gone; on a retry, most likely by the first attempt.
      if (retry) {
        return {};
      }
      return unexpected(StoreError::kNotFound);
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<Relationship, StoreError>> set_relationship_dialog(
      std::string id, std::string dialog_id) override {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    std::vector<std::string> parameters = {canonical_object_id(id), std::move(dialog_id)};
    auto work = [parameters = std::move(parameters)](Connection& connection,
                                                     bool) -> Result<Relationship, StoreError> {
      auto result = connection.exec(kSetDialog, parameters);
      if (!succeeded(result)) {
        return unexpected(failure(connection, result, "set relationship dialog"));
      }
      if (PQntuples(result.get()) == 1) {
        return read_relationship(result, 0);
      }
      // Nothing changed: gone, not friends, or a dialog recorded first (then that one).
      return detail::unchanged_dialog_outcome(find_by_relationship_id(connection, parameters[0]));
    };
    co_return co_await with_connection(std::move(work));
  }

  boost::asio::awaitable<Result<RelationshipPage, StoreError>> list_relationships(
      RelationshipQuery query) override {
    if (query.limit == 0 || !is_object_id(query.user_id) ||
        (query.after_id && !is_object_id(*query.after_id))) {
      co_return RelationshipPage{};
    }
    const std::size_t limit = query.limit;
    auto [status, actor] = view_filter(query.view);
    // One more than asked: whether another page follows.
    std::vector<std::string> parameters = {
        canonical_object_id(query.user_id),
        query.after_id ? canonical_object_id(*query.after_id) : std::string(), std::move(status),
        std::move(actor), std::to_string(limit + 1)};
    auto work = [parameters = std::move(parameters), limit](
                    Connection& connection, bool) -> Result<RelationshipPage, StoreError> {
      auto result = connection.exec(kListRelationships, parameters);
      if (!succeeded(result)) {
        return unexpected(failure(connection, result, "list relationships"));
      }
      RelationshipPage page;
      const int rows = PQntuples(result.get());
      for (int row = 0; row < rows; ++row) {
        if (page.items.size() == limit) {
          page.next_after_id = page.items.back().id;
          break;
        }
        page.items.push_back(read_relationship(result, row));
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
    std::vector<std::string> parameters = {
        std::to_string(std::min<std::size_t>(limit, std::size_t{1} << 62))};
    auto work = [parameters = std::move(parameters)](
                    Connection& connection, bool) -> Result<std::vector<Relationship>, StoreError> {
      auto result = connection.exec(kListWithoutDialog, parameters);
      if (!succeeded(result)) {
        return unexpected(failure(connection, result, "list friendships without dialog"));
      }
      std::vector<Relationship> out;
      const int rows = PQntuples(result.get());
      out.reserve(static_cast<std::size_t>(rows));
      for (int row = 0; row < rows; ++row) {
        out.push_back(read_relationship(result, row));
      }
      return out;
    };
    co_return co_await with_connection(std::move(work));
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

  std::unique_ptr<EventChannel> open_event_channel() override {
    return make_postgres_event_channel(options_.url);
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

  static Result<std::optional<Relationship>, StoreError> find_by_relationship_id(
      Connection& connection, const std::string& id) {
    auto result = connection.exec(kFindRelationship, {id});
    if (!succeeded(result)) {
      return unexpected(failure(connection, result, "find relationship"));
    }
    if (PQntuples(result.get()) == 0) {
      return std::optional<Relationship>();
    }
    return std::optional<Relationship>(read_relationship(result, 0));
  }

  /// One rotation in a transaction: lock the family, then a conditional UPDATE of
  /// the token decides; its changed-row count says whether this call won.
  static Result<Rotation, StoreError> rotate(Connection& connection, const std::string& presented,
                                             const NewRefreshToken& next) {
    PgTransaction transaction(connection);
    if (auto begun = transaction.begin(); !begun) {
      return unexpected(begun.error());
    }
    auto family = connection.exec(kLockFamily, {presented});
    if (!succeeded(family)) {
      return unexpected(failure(connection, family, "lock refresh token family"));
    }
    Rotation rotation;
    if (PQntuples(family.get()) == 0) {
      return rotation;  // kUnknown
    }
    rotation.family_id = cell(family, 0, 0);
    rotation.user_id = cell(family, 0, 1);
    rotation.outcome = RotationOutcome::kRevoked;
    if (std::string_view(PQgetvalue(family.get(), 0, 2)) == "t") {
      return rotation;
    }
    const std::string at = millis_text(next.issued_at);
    auto used = connection.exec(kUseToken, {presented, at});
    if (!succeeded(used)) {
      return unexpected(failure(connection, used, "use refresh token"));
    }
    if (std::string_view(PQcmdTuples(used.get())) == "1") {
      auto inserted =
          connection.exec(kInsertToken, {next.token_hash, rotation.family_id, rotation.user_id, at,
                                         millis_text(next.expires_at)});
      if (!succeeded(inserted)) {
        return unexpected(failure(connection, inserted, "insert refresh token"));
      }
      if (auto committed = transaction.commit(); !committed) {
        return unexpected(committed.error());
      }
      rotation.outcome = RotationOutcome::kRotated;
      return rotation;
    }
    // Not live: used (a new snapshot, taken after the family lock, sees the
    // winner's commit) or expired.
    auto state = connection.exec(kTokenUsed, {presented});
    if (!succeeded(state) || PQntuples(state.get()) != 1) {
      return unexpected(failure(connection, state, "read refresh token"));
    }
    if (std::string_view(PQgetvalue(state.get(), 0, 0)) != "t") {
      return rotation;  // expired: kRevoked
    }
    auto revoked = connection.exec(kRevokeFamily, {rotation.family_id});
    if (!succeeded(revoked)) {
      return unexpected(failure(connection, revoked, "revoke refresh token family"));
    }
    if (auto committed = transaction.commit(); !committed) {
      return unexpected(committed.error());
    }
    rotation.outcome = RotationOutcome::kReused;
    return rotation;
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
