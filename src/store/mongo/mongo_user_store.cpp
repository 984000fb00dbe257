#include "store/mongo/mongo_user_store.hpp"

#include <mongoc/mongoc.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <mutex>
#include <type_traits>
#include <utility>

#include "common/blocking.hpp"
#include "common/logging.hpp"
#include "store/detail/availability.hpp"
#include "store/detail/millis.hpp"
#include "store/detail/relationship_pair.hpp"
#include "store/email.hpp"
#include "store/mongo/relationship_document.hpp"
#include "store/mongo/user_document.hpp"
#include "store/object_id.hpp"
#include "store/roles.hpp"

namespace cubeauth::store {
namespace {

constexpr std::int32_t kDuplicateKey = 11000;
constexpr const char* kCollection = "users";
// Mongoose's collection name for a model RefreshToken.
constexpr const char* kTokens = "refreshtokens";
// Issue 10: one document per pair of users.
constexpr const char* kRelationships = "relationships";
// Mongoose's name for the index of `email: {unique: true}`.
constexpr const char* kEmailIndex = "email_1";

void init_driver_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    mongoc_init();
    // Driver messages go to our log, not straight to stderr.
    mongoc_log_set_handler(
        [](mongoc_log_level_t level, const char* domain, const char* message, void*) {
          if (level <= MONGOC_LOG_LEVEL_WARNING) {
            log::warn("mongoc {}: {}", domain, message);
          } else if (level <= MONGOC_LOG_LEVEL_INFO) {
            log::debug("mongoc {}: {}", domain, message);
          }
        },
        nullptr);
  });
}

/// A BSON document on the stack, destroyed at scope end.
class Doc {
 public:
  Doc() { bson_init(&doc_); }
  Doc(const Doc&) = delete;
  Doc& operator=(const Doc&) = delete;
  ~Doc() { bson_destroy(&doc_); }
  bson_t* get() { return &doc_; }
  const bson_t* get() const { return &doc_; }

 private:
  bson_t doc_;
};

/// Error codes of a server that is going away or not primary (MongoDB's
/// error_codes.yml): the request may succeed once the topology settles.
bool is_transient_server_error(std::uint32_t code) {
  switch (code) {
    case 6:      // HostUnreachable
    case 7:      // HostNotFound
    case 89:     // NetworkTimeout
    case 91:     // ShutdownInProgress
    case 189:    // PrimarySteppedDown
    case 9001:   // SocketException
    case 10107:  // NotWritablePrimary
    case 11600:  // InterruptedAtShutdown
    case 11602:  // InterruptedDueToReplStateChange
    case 13435:  // NotPrimaryNoSecondaryOk
    case 13436:  // NotPrimaryOrSecondary
      return true;
    default:
      return false;
  }
}

/// A regular expression matching exactly `text`, for a case-insensitive match.
/// ASCII punctuation is escaped; other bytes (UTF-8) stay as they are.
std::string exact_pattern(std::string_view text) {
  std::string pattern = "^";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80 && !std::isalnum(byte)) {
      pattern += '\\';
    }
    pattern += c;
  }
  pattern += '$';
  return pattern;
}

/// A regular expression matching any text that contains `text`.
std::string contains_pattern(std::string_view text) {
  std::string pattern = exact_pattern(text);
  return pattern.substr(1, pattern.size() - 2);
}

void append_oid(bson_t* document, const char* key, const std::string& hex) {
  bson_oid_t oid;
  bson_oid_init_from_string(&oid, hex.c_str());
  BSON_APPEND_OID(document, key, &oid);
}

/// One stored refresh token, as read back.
struct TokenDocument {
  std::string family_id;
  std::string user_id;
  bool used = false;
  bool revoked = false;
};

TokenDocument read_token(const bson_t* document) {
  TokenDocument token;
  bson_iter_t it;
  if (!bson_iter_init(&it, document)) {
    return token;
  }
  while (bson_iter_next(&it)) {
    const std::string_view key = bson_iter_key(&it);
    if (key == "familyId" && BSON_ITER_HOLDS_UTF8(&it)) {
      token.family_id = bson_iter_utf8(&it, nullptr);
    } else if (key == "userId" && BSON_ITER_HOLDS_OID(&it)) {
      char hex[25];
      bson_oid_to_string(bson_iter_oid(&it), hex);
      token.user_id = hex;
    } else if (key == "usedAt") {
      token.used = BSON_ITER_HOLDS_DATE_TIME(&it);
    } else if (key == "revoked" && BSON_ITER_HOLDS_BOOL(&it)) {
      token.revoked = bson_iter_bool(&it);
    }
  }
  return token;
}

/// A client taken from the pool, given back at scope end.
class ClientLease {
 public:
  explicit ClientLease(mongoc_client_pool_t* pool)
      : pool_(pool), client_(mongoc_client_pool_pop(pool)) {}
  ClientLease(const ClientLease&) = delete;
  ClientLease& operator=(const ClientLease&) = delete;
  ~ClientLease() { mongoc_client_pool_push(pool_, client_); }
  mongoc_client_t* get() const { return client_; }

 private:
  mongoc_client_pool_t* pool_;
  mongoc_client_t* client_;
};

class Collection {
 public:
  Collection(mongoc_client_t* client, const std::string& database, const char* name = kCollection)
      : collection_(mongoc_client_get_collection(client, database.c_str(), name)) {}
  Collection(const Collection&) = delete;
  Collection& operator=(const Collection&) = delete;
  ~Collection() { mongoc_collection_destroy(collection_); }
  mongoc_collection_t* get() const { return collection_; }

 private:
  mongoc_collection_t* collection_;
};

class MongoUserStore final : public UserStore {
 public:
  MongoUserStore(mongoc_uri_t* uri, std::size_t threads)
      : uri_(uri),
        database_(mongoc_uri_get_database(uri) != nullptr ? mongoc_uri_get_database(uri) : "test"),
        threads_(threads),
        availability_("mongodb"),
        workers_(threads) {}

  ~MongoUserStore() override {
    workers_.join();
    if (pool_ != nullptr) {
      mongoc_client_pool_destroy(pool_);
    }
    mongoc_uri_destroy(uri_);
  }

  /// At start: reach the server once and create the email index.
  void warm_up() {
    auto work = [this](mongoc_client_t* client) { return ping(client); };
    (void)with_client(work, true);  // a failure is logged through availability_
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
    auto work = [this,
                 user = std::move(user)](mongoc_client_t* client) -> Result<User, StoreError> {
      Collection users(client, database_);
      // The unique index compares emails exactly, and the old server stored them
      // as typed: look for the same email in another case first.
      auto existing = find_matching_case_insensitively(users.get(), normalize_email(user.email));
      if (!existing) {
        return unexpected(existing.error());
      }
      if (existing->has_value()) {
        return unexpected(StoreError::kDuplicateEmail);
      }
      Doc document;
      mongo::append_new_user(document.get(), user);
      Doc reply;
      bson_error_t error;
      if (!mongoc_collection_insert_one(users.get(), document.get(), nullptr, reply.get(),
                                        &error)) {
        return unexpected(failure(error, "insert user"));
      }
      return user;
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<std::optional<User>, StoreError>> find_by_email(
      std::string email) override {
    auto work = [this, key = normalize_email(email)](
                    mongoc_client_t* client) -> Result<std::optional<User>, StoreError> {
      Collection users(client, database_);
      // The exact form first: it uses the email index and is what cubeauth stores.
      Doc filter;
      BSON_APPEND_UTF8(filter.get(), "email", key.c_str());
      auto exact = find_one(users.get(), filter.get());
      if (!exact || exact->has_value()) {
        return exact;
      }
      // Then any case (emails written by the old server): a scan, only on a miss.
      return find_matching_case_insensitively(users.get(), key);
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<std::optional<User>, StoreError>> find_by_id(
      std::string id) override {
    if (!is_object_id(id)) {
      co_return std::optional<User>();
    }
    auto work = [this, id = canonical_object_id(id)](
                    mongoc_client_t* client) -> Result<std::optional<User>, StoreError> {
      Collection users(client, database_);
      Doc filter;
      bson_oid_t oid;
      bson_oid_init_from_string(&oid, id.c_str());
      BSON_APPEND_OID(filter.get(), "_id", &oid);
      return find_one(users.get(), filter.get());
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<void, StoreError>> set_connectycube_id(
      std::string id, std::int64_t connectycube_id) override {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    auto work = [this, id = canonical_object_id(id),
                 connectycube_id](mongoc_client_t* client) -> Result<void, StoreError> {
      Collection users(client, database_);
      Doc selector;
      bson_oid_t oid;
      bson_oid_init_from_string(&oid, id.c_str());
      BSON_APPEND_OID(selector.get(), "_id", &oid);
      Doc update;
      bson_t set;
      BSON_APPEND_DOCUMENT_BEGIN(update.get(), "$set", &set);
      mongo::append_connectycube_id(&set, connectycube_id);
      BSON_APPEND_DATE_TIME(&set, "updatedAt", detail::to_millis(detail::now_millis()));
      bson_append_document_end(update.get(), &set);
      Doc reply;
      bson_error_t error;
      if (!mongoc_collection_update_one(users.get(), selector.get(), update.get(), nullptr,
                                        reply.get(), &error)) {
        return unexpected(failure(error, "update user"));
      }
      if (count_in(reply.get(), "matchedCount") == 0) {
        return unexpected(StoreError::kNotFound);
      }
      return {};
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<void, StoreError>> delete_user(std::string id) override {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    auto work =
        [this, id = canonical_object_id(id)](mongoc_client_t* client) -> Result<void, StoreError> {
      // Tokens and relationships first too: a retry after a failure part-way
      // leaves nothing behind.
      if (auto done = delete_tokens(client, "userId", id); !done) {
        return done;
      }
      if (auto done = delete_relationships_of(client, id); !done) {
        return done;
      }
      Collection users(client, database_);
      Doc selector;
      bson_oid_t oid;
      bson_oid_init_from_string(&oid, id.c_str());
      BSON_APPEND_OID(selector.get(), "_id", &oid);
      Doc reply;
      bson_error_t error;
      if (!mongoc_collection_delete_one(users.get(), selector.get(), nullptr, reply.get(),
                                        &error)) {
        return unexpected(failure(error, "delete user"));
      }
      if (count_in(reply.get(), "deletedCount") == 0) {
        return unexpected(StoreError::kNotFound);
      }
      // And after: a token or relationship created while the user was being removed.
      if (auto done = delete_tokens(client, "userId", id); !done) {
        return done;
      }
      return delete_relationships_of(client, id);
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<void, StoreError>> set_password(
      std::string id, std::string password_hash,
      std::chrono::system_clock::time_point changed_at) override {
    const std::int64_t changed = detail::to_millis(changed_at);
    auto fill = [password_hash = std::move(password_hash), changed](bson_t* set) {
      BSON_APPEND_UTF8(set, "password", password_hash.c_str());
      BSON_APPEND_DATE_TIME(set, "passwordChangedAt", changed);
    };
    co_return co_await update_user(std::move(id), std::move(fill));
  }

  boost::asio::awaitable<Result<void, StoreError>> set_profile(std::string id,
                                                               std::string first_name,
                                                               std::string last_name) override {
    auto fill = [first_name = std::move(first_name),
                 last_name = std::move(last_name)](bson_t* set) {
      BSON_APPEND_UTF8(set, "firstName", first_name.c_str());
      BSON_APPEND_UTF8(set, "lastName", last_name.c_str());
    };
    co_return co_await update_user(std::move(id), std::move(fill));
  }

  boost::asio::awaitable<Result<void, StoreError>> set_disabled(std::string id,
                                                                bool disabled) override {
    auto fill = [disabled](bson_t* set) { BSON_APPEND_BOOL(set, "disabled", disabled); };
    co_return co_await update_user(std::move(id), std::move(fill));
  }

  boost::asio::awaitable<Result<void, StoreError>> set_roles(
      std::string id, std::vector<std::string> roles) override {
    auto normal = normalize_roles(std::move(roles));
    if (!normal) {
      log::error("mongodb: set_roles refused a role name that is not [a-z0-9_-]{{1,32}}");
      co_return unexpected(StoreError::kInternal);
    }
    auto fill = [roles = std::move(*normal)](bson_t* set) { mongo::append_roles(set, roles); };
    co_return co_await update_user(std::move(id), std::move(fill));
  }

  boost::asio::awaitable<Result<UserPage, StoreError>> list_users(UserQuery query) override {
    if (query.limit == 0 || (query.after_id && !is_object_id(*query.after_id))) {
      co_return UserPage{};
    }
    auto work =
        [this, query = std::move(query)](mongoc_client_t* client) -> Result<UserPage, StoreError> {
      Collection users(client, database_);
      Doc filter;
      if (query.after_id) {
        bson_t range;
        BSON_APPEND_DOCUMENT_BEGIN(filter.get(), "_id", &range);
        append_oid(&range, "$gt", canonical_object_id(*query.after_id));
        bson_append_document_end(filter.get(), &range);
      }
      if (!query.email_contains.empty()) {
        BSON_APPEND_REGEX(filter.get(), "email", contains_pattern(query.email_contains).c_str(),
                          "i");
      }
      Doc options;
      bson_t sort;
      BSON_APPEND_DOCUMENT_BEGIN(options.get(), "sort", &sort);
      BSON_APPEND_INT32(&sort, "_id", 1);
      bson_append_document_end(options.get(), &sort);
      // One more than asked: whether another page follows.
      BSON_APPEND_INT64(options.get(), "limit", static_cast<std::int64_t>(query.limit) + 1);
      mongoc_cursor_t* cursor =
          mongoc_collection_find_with_opts(users.get(), filter.get(), options.get(), nullptr);
      UserPage page;
      const bson_t* document = nullptr;
      while (mongoc_cursor_next(cursor, &document)) {
        if (page.users.size() == query.limit) {
          page.next_after_id = page.users.back().id;
          break;
        }
        page.users.push_back(mongo::read_user(document));
      }
      bson_error_t error;
      const bool failed = mongoc_cursor_error(cursor, &error);
      mongoc_cursor_destroy(cursor);
      if (failed) {
        return unexpected(failure(error, "list users"));
      }
      return page;
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<void, StoreError>> create_refresh_token(
      NewRefreshToken token) override {
    if (!is_object_id(token.user_id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    token.user_id = canonical_object_id(token.user_id);
    auto work = [this,
                 token = std::move(token)](mongoc_client_t* client) -> Result<void, StoreError> {
      auto exists = user_exists(client, token.user_id);
      if (!exists) {
        return unexpected(exists.error());
      }
      if (!*exists) {
        return unexpected(StoreError::kNotFound);
      }
      if (auto inserted = insert_token(client, token); !inserted) {
        return inserted;
      }
      // delete_user removes the user, then the user's tokens: a token inserted
      // before that removal is removed with them; one inserted after it is
      // seen here, without its user, and removed by us.
      exists = user_exists(client, token.user_id);
      if (!exists) {
        return unexpected(exists.error());
      }
      if (!*exists) {
        (void)delete_tokens(client, "tokenHash", token.token_hash);
        return unexpected(StoreError::kNotFound);
      }
      return {};
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<Rotation, StoreError>> rotate_refresh_token(
      std::string presented_hash, NewRefreshToken next) override {
    auto work = [this, presented = std::move(presented_hash), next = std::move(next)](
                    mongoc_client_t* client) mutable -> Result<Rotation, StoreError> {
      Collection tokens(client, database_, kTokens);
      const std::int64_t at = detail::to_millis(next.issued_at);
      // The one atomic step: only a live token matches, and only one caller
      // can set its usedAt.
      Doc filter;
      BSON_APPEND_UTF8(filter.get(), "tokenHash", presented.c_str());
      BSON_APPEND_NULL(filter.get(), "usedAt");
      BSON_APPEND_BOOL(filter.get(), "revoked", false);
      bson_t after;
      BSON_APPEND_DOCUMENT_BEGIN(filter.get(), "expiresAt", &after);
      BSON_APPEND_DATE_TIME(&after, "$gt", at);
      bson_append_document_end(filter.get(), &after);
      Doc update;
      bson_t set;
      BSON_APPEND_DOCUMENT_BEGIN(update.get(), "$set", &set);
      BSON_APPEND_DATE_TIME(&set, "usedAt", at);
      bson_append_document_end(update.get(), &set);
      mongoc_find_and_modify_opts_t* options = mongoc_find_and_modify_opts_new();
      mongoc_find_and_modify_opts_set_update(options, update.get());
      Doc reply;
      bson_error_t error;
      const bool ok = mongoc_collection_find_and_modify_with_opts(tokens.get(), filter.get(),
                                                                  options, reply.get(), &error);
      mongoc_find_and_modify_opts_destroy(options);
      if (!ok) {
        return unexpected(failure(error, "use refresh token"));
      }
      bson_iter_t value;
      bson_t found;
      if (bson_iter_init_find(&value, reply.get(), "value") && BSON_ITER_HOLDS_DOCUMENT(&value)) {
        std::uint32_t length = 0;
        const std::uint8_t* data = nullptr;
        bson_iter_document(&value, &length, &data);
        if (bson_init_static(&found, data, length)) {
          const TokenDocument won = read_token(&found);
          next.family_id = won.family_id;
          next.user_id = won.user_id;
          if (auto inserted = insert_token(client, next); !inserted) {
            return unexpected(inserted.error());
          }
          // A revocation of the family between our update and our insert did
          // not see the new token: look, and revoke it too.
          auto revoked = family_revoked(client, won.family_id);
          if (!revoked) {
            return unexpected(revoked.error());
          }
          if (*revoked) {
            if (auto done = revoke_tokens(client, "tokenHash", next.token_hash); !done) {
              return unexpected(done.error());
            }
          }
          return Rotation{RotationOutcome::kRotated, won.user_id, won.family_id};
        }
      }
      // Not live: unknown, revoked, used (theft: revoke the family) or expired.
      auto stored = find_token(client, presented);
      if (!stored) {
        return unexpected(stored.error());
      }
      if (!stored->has_value()) {
        return Rotation{};
      }
      const TokenDocument& token = **stored;
      Rotation rotation{RotationOutcome::kRevoked, token.user_id, token.family_id};
      if (token.revoked || !token.used) {
        return rotation;
      }
      if (auto done = revoke_tokens(client, "familyId", token.family_id); !done) {
        return unexpected(done.error());
      }
      rotation.outcome = RotationOutcome::kReused;
      return rotation;
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<std::optional<std::string>, StoreError>> revoke_refresh_family(
      std::string token_hash) override {
    auto work = [this, token_hash = std::move(token_hash)](
                    mongoc_client_t* client) -> Result<std::optional<std::string>, StoreError> {
      auto stored = find_token(client, token_hash);
      if (!stored) {
        return unexpected(stored.error());
      }
      if (!stored->has_value()) {
        return std::optional<std::string>();
      }
      if (auto done = revoke_tokens(client, "familyId", (*stored)->family_id); !done) {
        return unexpected(done.error());
      }
      return std::optional<std::string>((*stored)->user_id);
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<void, StoreError>> revoke_user_refresh_tokens(
      std::string user_id) override {
    if (!is_object_id(user_id)) {
      co_return Result<void, StoreError>();
    }
    auto work = [this, user_id = canonical_object_id(user_id)](
                    mongoc_client_t* client) -> Result<void, StoreError> {
      return revoke_tokens(client, "userId", user_id);
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<std::size_t, StoreError>> purge_refresh_tokens(
      std::chrono::system_clock::time_point expired_before) override {
    // A family lives in its tokens here (each carries the family's revoked flag), so
    // removing the expired tokens removes the families they were the last of.
    auto work = [this, before = detail::to_millis(expired_before)](
                    mongoc_client_t* client) -> Result<std::size_t, StoreError> {
      Collection tokens(client, database_, kTokens);
      Doc filter;
      bson_t expired;
      BSON_APPEND_DOCUMENT_BEGIN(filter.get(), "expiresAt", &expired);
      BSON_APPEND_DATE_TIME(&expired, "$lt", before);
      bson_append_document_end(filter.get(), &expired);
      Doc reply;
      bson_error_t error;
      if (!mongoc_collection_delete_many(tokens.get(), filter.get(), nullptr, reply.get(),
                                         &error)) {
        return unexpected(failure(error, "purge expired refresh tokens"));
      }
      return static_cast<std::size_t>(count_in(reply.get(), "deletedCount"));
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<std::optional<Relationship>, StoreError>> find_relationship(
      std::string user_a, std::string user_b) override {
    auto pair = detail::ordered_ids(user_a, user_b);
    if (!pair) {
      co_return std::optional<Relationship>();
    }
    auto work = [this, pair = std::move(*pair)](
                    mongoc_client_t* client) -> Result<std::optional<Relationship>, StoreError> {
      Doc filter;
      append_oid(filter.get(), "userLow", pair.first);
      append_oid(filter.get(), "userHigh", pair.second);
      return find_one_relationship(client, filter.get());
    };
    co_return co_await run(std::move(work));
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
    auto work = [this, relationship = std::move(relationship)](
                    mongoc_client_t* client) -> Result<Relationship, StoreError> {
      auto both = both_users_exist(client, relationship);
      if (!both) {
        return unexpected(both.error());
      }
      if (!*both) {
        return unexpected(StoreError::kNotFound);
      }
      Collection relationships(client, database_, kRelationships);
      Doc document;
      mongo::append_new_relationship(document.get(), relationship);
      Doc reply;
      bson_error_t error;
      if (!mongoc_collection_insert_one(relationships.get(), document.get(), nullptr, reply.get(),
                                        &error)) {
        // The unique index on {userLow, userHigh}: the pair has one already.
        if (error.code == kDuplicateKey) {
          return unexpected(StoreError::kConflict);
        }
        return unexpected(failure(error, "insert relationship"));
      }
      // delete_user removes the user, then the user's relationships: one inserted
      // after that is seen here, without its user, and removed by us.
      both = both_users_exist(client, relationship);
      if (!both) {
        return unexpected(both.error());
      }
      if (!*both) {
        Doc selector;
        append_oid(selector.get(), "_id", relationship.id);
        (void)delete_relationships(client, selector.get());
        return unexpected(StoreError::kNotFound);
      }
      return relationship;
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<Relationship, StoreError>> update_relationship(
      std::string id, std::int64_t expected_version, RelationshipChange change) override {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    if (!is_object_id(change.acted_by)) {
      log::error("mongodb: update_relationship refused an actor that is no user id");
      co_return unexpected(StoreError::kInternal);
    }
    if (!is_consistent(change)) {
      co_return unexpected(StoreError::kInternal);
    }
    auto work = [this, id = canonical_object_id(id), expected_version,
                 status = std::string(to_string(change.status)),
                 actor = canonical_object_id(change.acted_by), by_low = change.blocked_by_low,
                 by_high = change.blocked_by_high](
                    mongoc_client_t* client) -> Result<Relationship, StoreError> {
      // The compare-and-set: only the version read matches, and only with an
      // actor who is one of the pair.
      Doc filter;
      append_oid(filter.get(), "_id", id);
      BSON_APPEND_INT64(filter.get(), "version", expected_version);
      bson_t either;
      bson_t low;
      bson_t high;
      BSON_APPEND_ARRAY_BEGIN(filter.get(), "$or", &either);
      BSON_APPEND_DOCUMENT_BEGIN(&either, "0", &low);
      append_oid(&low, "userLow", actor);
      bson_append_document_end(&either, &low);
      BSON_APPEND_DOCUMENT_BEGIN(&either, "1", &high);
      append_oid(&high, "userHigh", actor);
      bson_append_document_end(&either, &high);
      bson_append_array_end(filter.get(), &either);
      Doc update;
      bson_t set;
      BSON_APPEND_DOCUMENT_BEGIN(update.get(), "$set", &set);
      BSON_APPEND_UTF8(&set, "status", status.c_str());
      append_oid(&set, "actedBy", actor);
      BSON_APPEND_DATE_TIME(&set, "updatedAt", detail::to_millis(detail::now_millis()));
      BSON_APPEND_BOOL(&set, "blockedByLow", by_low);
      BSON_APPEND_BOOL(&set, "blockedByHigh", by_high);
      bson_append_document_end(update.get(), &set);
      bson_t inc;
      BSON_APPEND_DOCUMENT_BEGIN(update.get(), "$inc", &inc);
      BSON_APPEND_INT64(&inc, "version", 1);
      bson_append_document_end(update.get(), &inc);
      auto changed = modify_relationship(client, filter.get(), update.get());
      if (!changed) {
        return unexpected(changed.error());
      }
      if (*changed) {
        return std::move(**changed);
      }
      auto stored = relationship_by_id(client, id);
      if (!stored) {
        return unexpected(stored.error());
      }
      if (!*stored) {
        return unexpected(StoreError::kNotFound);
      }
      if ((*stored)->user_low != actor && (*stored)->user_high != actor) {
        log::error("mongodb: update_relationship refused an actor outside the pair");
        return unexpected(StoreError::kInternal);
      }
      return unexpected(StoreError::kConflict);
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<void, StoreError>> delete_relationship(
      std::string id, std::int64_t expected_version) override {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    auto work = [this, id = canonical_object_id(id),
                 expected_version](mongoc_client_t* client) -> Result<void, StoreError> {
      Doc selector;
      append_oid(selector.get(), "_id", id);
      BSON_APPEND_INT64(selector.get(), "version", expected_version);
      Collection relationships(client, database_, kRelationships);
      Doc reply;
      bson_error_t error;
      if (!mongoc_collection_delete_one(relationships.get(), selector.get(), nullptr, reply.get(),
                                        &error)) {
        return unexpected(failure(error, "delete relationship"));
      }
      if (count_in(reply.get(), "deletedCount") == 1) {
        return {};
      }
      auto stored = relationship_by_id(client, id);
      if (!stored) {
        return unexpected(stored.error());
      }
      return unexpected(*stored ? StoreError::kConflict : StoreError::kNotFound);
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<Relationship, StoreError>> set_relationship_dialog(
      std::string id, std::string dialog_id) override {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    auto work = [this, id = canonical_object_id(id), dialog_id = std::move(dialog_id)](
                    mongoc_client_t* client) -> Result<Relationship, StoreError> {
      // Only friends without a dialog match (null matches a missing field).
      Doc filter;
      append_oid(filter.get(), "_id", id);
      BSON_APPEND_UTF8(filter.get(), "status", "friends");
      BSON_APPEND_NULL(filter.get(), "dialogId");
      Doc update;
      bson_t set;
      BSON_APPEND_DOCUMENT_BEGIN(update.get(), "$set", &set);
      BSON_APPEND_UTF8(&set, "dialogId", dialog_id.c_str());
      bson_append_document_end(update.get(), &set);
      auto changed = modify_relationship(client, filter.get(), update.get());
      if (!changed) {
        return unexpected(changed.error());
      }
      if (*changed) {
        return std::move(**changed);
      }
      // Nothing changed: gone, not friends, or a dialog recorded first (then that one).
      return detail::unchanged_dialog_outcome(relationship_by_id(client, id));
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<RelationshipPage, StoreError>> list_relationships(
      RelationshipQuery query) override {
    if (query.limit == 0 || !is_object_id(query.user_id) ||
        (query.after_id && !is_object_id(*query.after_id))) {
      co_return RelationshipPage{};
    }
    auto work = [this, query = std::move(query)](
                    mongoc_client_t* client) -> Result<RelationshipPage, StoreError> {
      const std::string user = canonical_object_id(query.user_id);
      const bool blocked_view = query.view == RelationshipView::kBlocked;
      // Either side of the pair: each branch walks its {user, status, _id} index,
      // and the server merges them in _id order. In the blocked view each branch
      // also asks for that side's own block: blockedByLow / blockedByHigh, or, in a
      // document older than those, actedBy (then the one blocker).
      auto append_side = [&user, blocked_view](bson_t* branches, const char* index, const char* user_key,
                                                const char* block_key) {
        bson_t side;
        BSON_APPEND_DOCUMENT_BEGIN(branches, index, &side);
        append_oid(&side, user_key, user);
        if (blocked_view) {
          bson_t ways;
          bson_t flag;
          bson_t older;
          bson_t absent;
          BSON_APPEND_ARRAY_BEGIN(&side, "$or", &ways);
          BSON_APPEND_DOCUMENT_BEGIN(&ways, "0", &flag);
          BSON_APPEND_BOOL(&flag, block_key, true);
          bson_append_document_end(&ways, &flag);
          BSON_APPEND_DOCUMENT_BEGIN(&ways, "1", &older);
          BSON_APPEND_DOCUMENT_BEGIN(&older, block_key, &absent);
          BSON_APPEND_BOOL(&absent, "$exists", false);
          bson_append_document_end(&older, &absent);
          append_oid(&older, "actedBy", user);
          bson_append_document_end(&ways, &older);
          bson_append_array_end(&side, &ways);
        }
        bson_append_document_end(branches, &side);
      };
      Doc filter;
      bson_t either;
      BSON_APPEND_ARRAY_BEGIN(filter.get(), "$or", &either);
      append_side(&either, "0", "userLow", "blockedByLow");
      append_side(&either, "1", "userHigh", "blockedByHigh");
      bson_append_array_end(filter.get(), &either);
      switch (query.view) {
        case RelationshipView::kFriends:
          BSON_APPEND_UTF8(filter.get(), "status", "friends");
          break;
        case RelationshipView::kIncoming: {
          BSON_APPEND_UTF8(filter.get(), "status", "pending");
          bson_t other;
          BSON_APPEND_DOCUMENT_BEGIN(filter.get(), "actedBy", &other);
          append_oid(&other, "$ne", user);
          bson_append_document_end(filter.get(), &other);
          break;
        }
        case RelationshipView::kOutgoing:
          BSON_APPEND_UTF8(filter.get(), "status", "pending");
          append_oid(filter.get(), "actedBy", user);
          break;
        case RelationshipView::kBlocked:
          BSON_APPEND_UTF8(filter.get(), "status", "blocked");  // and this side's block, above
          break;
      }
      if (query.after_id) {
        bson_t range;
        BSON_APPEND_DOCUMENT_BEGIN(filter.get(), "_id", &range);
        append_oid(&range, "$gt", canonical_object_id(*query.after_id));
        bson_append_document_end(filter.get(), &range);
      }
      Doc options;
      bson_t sort;
      BSON_APPEND_DOCUMENT_BEGIN(options.get(), "sort", &sort);
      BSON_APPEND_INT32(&sort, "_id", 1);
      bson_append_document_end(options.get(), &sort);
      // One more than asked: whether another page follows.
      BSON_APPEND_INT64(options.get(), "limit", static_cast<std::int64_t>(query.limit) + 1);
      auto found = find_relationships(client, filter.get(), options.get());
      if (!found) {
        return unexpected(found.error());
      }
      RelationshipPage page;
      for (auto& relationship : *found) {
        if (page.items.size() == query.limit) {
          page.next_after_id = page.items.back().id;
          break;
        }
        page.items.push_back(std::move(relationship));
      }
      return page;
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<std::vector<Relationship>, StoreError>>
  list_friendships_without_dialog(std::size_t limit) override {
    if (limit == 0) {
      co_return std::vector<Relationship>();
    }
    auto work = [this,
                 limit](mongoc_client_t* client) -> Result<std::vector<Relationship>, StoreError> {
      Doc filter;
      BSON_APPEND_UTF8(filter.get(), "status", "friends");
      BSON_APPEND_NULL(filter.get(), "dialogId");
      Doc options;
      bson_t sort;
      BSON_APPEND_DOCUMENT_BEGIN(options.get(), "sort", &sort);
      BSON_APPEND_INT32(&sort, "updatedAt", 1);
      BSON_APPEND_INT32(&sort, "_id", 1);
      bson_append_document_end(options.get(), &sort);
      BSON_APPEND_INT64(options.get(), "limit",
                        static_cast<std::int64_t>(std::min<std::size_t>(limit, 1U << 30)));
      return find_relationships(client, filter.get(), options.get());
    };
    co_return co_await run(std::move(work));
  }

  boost::asio::awaitable<Result<void, StoreError>> health() override {
    auto work = [this](mongoc_client_t* client) { return ping(client); };
    auto task = [this, work = std::move(work)]() mutable { return with_client(work, false); };
    co_return co_await run_blocking(workers_.get_executor(), std::move(task));
  }

 private:
  /// Maps a driver error to the interface's kinds, logging the driver's text.
  StoreError failure(const bson_error_t& error, std::string_view operation) {
    if (error.code == kDuplicateKey) {
      return StoreError::kDuplicateEmail;
    }
    if (error.domain == MONGOC_ERROR_STREAM || error.domain == MONGOC_ERROR_SERVER_SELECTION ||
        is_transient_server_error(error.code)) {
      availability_.report_unavailable(std::string(operation) + ": " + error.message);
      return StoreError::kUnavailable;
    }
    log::error("mongodb: {} failed: {} (domain {}, code {})", operation, error.message,
               error.domain, error.code);
    return StoreError::kInternal;
  }

  static std::int64_t count_in(const bson_t* reply, const char* field) {
    bson_iter_t it;
    if (bson_iter_init_find(&it, reply, field) && BSON_ITER_HOLDS_NUMBER(&it)) {
      return bson_iter_as_int64(&it);
    }
    return 0;
  }

  Result<void, StoreError> ping(mongoc_client_t* client) {
    Doc command;
    BSON_APPEND_INT32(command.get(), "ping", 1);
    Doc reply;
    bson_error_t error;
    if (!mongoc_client_command_simple(client, "admin", command.get(), nullptr, reply.get(),
                                      &error)) {
      return unexpected(failure(error, "ping"));
    }
    return {};
  }

  Result<std::optional<User>, StoreError> find_one(mongoc_collection_t* users,
                                                   const bson_t* filter) {
    Doc options;
    BSON_APPEND_INT64(options.get(), "limit", 1);
    mongoc_cursor_t* cursor =
        mongoc_collection_find_with_opts(users, filter, options.get(), nullptr);
    const bson_t* document = nullptr;
    std::optional<User> found;
    if (mongoc_cursor_next(cursor, &document)) {
      found = mongo::read_user(document);
    }
    bson_error_t error;
    const bool failed = mongoc_cursor_error(cursor, &error);
    mongoc_cursor_destroy(cursor);
    if (failed) {
      return unexpected(failure(error, "find user"));
    }
    return found;
  }

  /// Sets updatedAt and what `fill` appends to $set on the user `id`.
  template <class Fill>
  boost::asio::awaitable<Result<void, StoreError>> update_user(std::string id, Fill fill) {
    if (!is_object_id(id)) {
      co_return unexpected(StoreError::kNotFound);
    }
    auto work = [this, id = canonical_object_id(id),
                 fill = std::move(fill)](mongoc_client_t* client) -> Result<void, StoreError> {
      Collection users(client, database_);
      Doc selector;
      append_oid(selector.get(), "_id", id);
      Doc update;
      bson_t set;
      BSON_APPEND_DOCUMENT_BEGIN(update.get(), "$set", &set);
      fill(&set);
      BSON_APPEND_DATE_TIME(&set, "updatedAt", detail::to_millis(detail::now_millis()));
      bson_append_document_end(update.get(), &set);
      Doc reply;
      bson_error_t error;
      if (!mongoc_collection_update_one(users.get(), selector.get(), update.get(), nullptr,
                                        reply.get(), &error)) {
        return unexpected(failure(error, "update user"));
      }
      if (count_in(reply.get(), "matchedCount") == 0) {
        return unexpected(StoreError::kNotFound);
      }
      return {};
    };
    co_return co_await run(std::move(work));
  }

  Result<bool, StoreError> user_exists(mongoc_client_t* client, const std::string& id) {
    Collection users(client, database_);
    Doc filter;
    append_oid(filter.get(), "_id", id);
    auto found = find_one(users.get(), filter.get());
    if (!found) {
      return unexpected(found.error());
    }
    return found->has_value();
  }

  /// A refresh token's document as Mongoose would write it; usedAt is left out
  /// until the token is used.
  Result<void, StoreError> insert_token(mongoc_client_t* client, const NewRefreshToken& token) {
    Collection tokens(client, database_, kTokens);
    Doc document;
    bson_oid_t oid;
    bson_oid_init(&oid, nullptr);
    BSON_APPEND_OID(document.get(), "_id", &oid);
    BSON_APPEND_UTF8(document.get(), "tokenHash", token.token_hash.c_str());
    BSON_APPEND_UTF8(document.get(), "familyId", token.family_id.c_str());
    append_oid(document.get(), "userId", token.user_id);
    BSON_APPEND_DATE_TIME(document.get(), "issuedAt", detail::to_millis(token.issued_at));
    BSON_APPEND_DATE_TIME(document.get(), "expiresAt", detail::to_millis(token.expires_at));
    BSON_APPEND_BOOL(document.get(), "revoked", false);
    BSON_APPEND_INT32(document.get(), "__v", 0);
    Doc reply;
    bson_error_t error;
    if (!mongoc_collection_insert_one(tokens.get(), document.get(), nullptr, reply.get(), &error)) {
      if (error.code == kDuplicateKey) {
        log::error("mongodb: insert refresh token failed: the hash is taken");
        return unexpected(StoreError::kInternal);
      }
      return unexpected(failure(error, "insert refresh token"));
    }
    return {};
  }

  Result<std::optional<TokenDocument>, StoreError> find_token(mongoc_client_t* client,
                                                              const std::string& hash) {
    Collection tokens(client, database_, kTokens);
    Doc filter;
    BSON_APPEND_UTF8(filter.get(), "tokenHash", hash.c_str());
    Doc options;
    BSON_APPEND_INT64(options.get(), "limit", 1);
    mongoc_cursor_t* cursor =
        mongoc_collection_find_with_opts(tokens.get(), filter.get(), options.get(), nullptr);
    const bson_t* document = nullptr;
    std::optional<TokenDocument> found;
    if (mongoc_cursor_next(cursor, &document)) {
      found = read_token(document);
    }
    bson_error_t error;
    const bool failed = mongoc_cursor_error(cursor, &error);
    mongoc_cursor_destroy(cursor);
    if (failed) {
      return unexpected(failure(error, "find refresh token"));
    }
    return found;
  }

  /// Whether any token of the family is revoked (a revocation marks them all).
  Result<bool, StoreError> family_revoked(mongoc_client_t* client, const std::string& family_id) {
    Collection tokens(client, database_, kTokens);
    Doc filter;
    BSON_APPEND_UTF8(filter.get(), "familyId", family_id.c_str());
    BSON_APPEND_BOOL(filter.get(), "revoked", true);
    Doc options;
    BSON_APPEND_INT64(options.get(), "limit", 1);
    mongoc_cursor_t* cursor =
        mongoc_collection_find_with_opts(tokens.get(), filter.get(), options.get(), nullptr);
    const bson_t* document = nullptr;
    const bool any = mongoc_cursor_next(cursor, &document);
    bson_error_t error;
    const bool failed = mongoc_cursor_error(cursor, &error);
    mongoc_cursor_destroy(cursor);
    if (failed) {
      return unexpected(failure(error, "find revoked refresh tokens"));
    }
    return any;
  }

  /// The filter {field: value}; userId values are ObjectIds.
  static void append_token_key(bson_t* filter, const char* field, const std::string& value) {
    if (std::string_view(field) == "userId") {
      append_oid(filter, field, value);
    } else {
      BSON_APPEND_UTF8(filter, field, value.c_str());
    }
  }

  /// Sets revoked on every token whose `field` is `value`.
  Result<void, StoreError> revoke_tokens(mongoc_client_t* client, const char* field,
                                         const std::string& value) {
    Collection tokens(client, database_, kTokens);
    Doc filter;
    append_token_key(filter.get(), field, value);
    Doc update;
    bson_t set;
    BSON_APPEND_DOCUMENT_BEGIN(update.get(), "$set", &set);
    BSON_APPEND_BOOL(&set, "revoked", true);
    bson_append_document_end(update.get(), &set);
    Doc reply;
    bson_error_t error;
    if (!mongoc_collection_update_many(tokens.get(), filter.get(), update.get(), nullptr,
                                       reply.get(), &error)) {
      return unexpected(failure(error, "revoke refresh tokens"));
    }
    return {};
  }

  /// Deletes every token whose `field` is `value`.
  Result<void, StoreError> delete_tokens(mongoc_client_t* client, const char* field,
                                         const std::string& value) {
    Collection tokens(client, database_, kTokens);
    Doc filter;
    append_token_key(filter.get(), field, value);
    Doc reply;
    bson_error_t error;
    if (!mongoc_collection_delete_many(tokens.get(), filter.get(), nullptr, reply.get(), &error)) {
      return unexpected(failure(error, "delete refresh tokens"));
    }
    return {};
  }

  /// Whether both users of the pair exist: one find on {_id: {$in: [low, high]}}.
  Result<bool, StoreError> both_users_exist(mongoc_client_t* client,
                                            const Relationship& relationship) {
    Collection users(client, database_);
    Doc filter;
    bson_t id;
    bson_t in;
    BSON_APPEND_DOCUMENT_BEGIN(filter.get(), "_id", &id);
    BSON_APPEND_ARRAY_BEGIN(&id, "$in", &in);
    append_oid(&in, "0", relationship.user_low);
    append_oid(&in, "1", relationship.user_high);
    bson_append_array_end(&id, &in);
    bson_append_document_end(filter.get(), &id);
    Doc options;
    bson_t projection;
    BSON_APPEND_DOCUMENT_BEGIN(options.get(), "projection", &projection);
    BSON_APPEND_INT32(&projection, "_id", 1);
    bson_append_document_end(options.get(), &projection);
    mongoc_cursor_t* cursor =
        mongoc_collection_find_with_opts(users.get(), filter.get(), options.get(), nullptr);
    int found = 0;
    const bson_t* document = nullptr;
    while (mongoc_cursor_next(cursor, &document)) {
      ++found;
    }
    bson_error_t error;
    const bool failed = mongoc_cursor_error(cursor, &error);
    mongoc_cursor_destroy(cursor);
    if (failed) {
      return unexpected(failure(error, "find the users of a relationship"));
    }
    return found == 2;
  }

  /// Every relationship matching `filter`, read with `options` (sort, limit).
  Result<std::vector<Relationship>, StoreError> find_relationships(mongoc_client_t* client,
                                                                   const bson_t* filter,
                                                                   const bson_t* options) {
    Collection relationships(client, database_, kRelationships);
    mongoc_cursor_t* cursor =
        mongoc_collection_find_with_opts(relationships.get(), filter, options, nullptr);
    std::vector<Relationship> out;
    bool malformed = false;
    const bson_t* document = nullptr;
    while (mongoc_cursor_next(cursor, &document)) {
      auto relationship = mongo::read_relationship(document);
      if (!relationship) {
        malformed = true;
        break;
      }
      out.push_back(std::move(*relationship));
    }
    bson_error_t error;
    const bool failed = mongoc_cursor_error(cursor, &error);
    mongoc_cursor_destroy(cursor);
    if (failed) {
      return unexpected(failure(error, "find relationships"));
    }
    if (malformed) {
      log::error("mongodb: a document in {}.{} is no relationship this store wrote", database_,
                 kRelationships);
      return unexpected(StoreError::kInternal);
    }
    return out;
  }

  Result<std::optional<Relationship>, StoreError> find_one_relationship(mongoc_client_t* client,
                                                                        const bson_t* filter) {
    Doc options;
    BSON_APPEND_INT64(options.get(), "limit", 1);
    auto found = find_relationships(client, filter, options.get());
    if (!found) {
      return unexpected(found.error());
    }
    if (found->empty()) {
      return std::optional<Relationship>();
    }
    return std::optional<Relationship>(std::move(found->front()));
  }

  Result<std::optional<Relationship>, StoreError> relationship_by_id(mongoc_client_t* client,
                                                                     const std::string& id) {
    Doc filter;
    append_oid(filter.get(), "_id", id);
    return find_one_relationship(client, filter.get());
  }

  /// findAndModify returning the document after `update`; nullopt when nothing
  /// matched `filter`.
  Result<std::optional<Relationship>, StoreError> modify_relationship(mongoc_client_t* client,
                                                                      const bson_t* filter,
                                                                      const bson_t* update) {
    Collection relationships(client, database_, kRelationships);
    mongoc_find_and_modify_opts_t* options = mongoc_find_and_modify_opts_new();
    mongoc_find_and_modify_opts_set_update(options, update);
    mongoc_find_and_modify_opts_set_flags(options, MONGOC_FIND_AND_MODIFY_RETURN_NEW);
    Doc reply;
    bson_error_t error;
    const bool ok = mongoc_collection_find_and_modify_with_opts(relationships.get(), filter,
                                                                options, reply.get(), &error);
    mongoc_find_and_modify_opts_destroy(options);
    if (!ok) {
      return unexpected(failure(error, "update relationship"));
    }
    bson_iter_t value;
    if (!bson_iter_init_find(&value, reply.get(), "value") || !BSON_ITER_HOLDS_DOCUMENT(&value)) {
      return std::optional<Relationship>();
    }
    std::uint32_t length = 0;
    const std::uint8_t* data = nullptr;
    bson_iter_document(&value, &length, &data);
    bson_t found;
    std::optional<Relationship> relationship;
    if (bson_init_static(&found, data, length)) {
      relationship = mongo::read_relationship(&found);
    }
    if (!relationship) {
      log::error("mongodb: findAndModify on {}.{} answered no relationship", database_,
                 kRelationships);
      return unexpected(StoreError::kInternal);
    }
    return relationship;
  }

  Result<void, StoreError> delete_relationships(mongoc_client_t* client, const bson_t* filter) {
    Collection relationships(client, database_, kRelationships);
    Doc reply;
    bson_error_t error;
    if (!mongoc_collection_delete_many(relationships.get(), filter, nullptr, reply.get(), &error)) {
      return unexpected(failure(error, "delete relationships"));
    }
    return {};
  }

  /// Deletes every relationship the user is in (either side).
  Result<void, StoreError> delete_relationships_of(mongoc_client_t* client,
                                                   const std::string& user_id) {
    Doc filter;
    bson_t either;
    bson_t low;
    bson_t high;
    BSON_APPEND_ARRAY_BEGIN(filter.get(), "$or", &either);
    BSON_APPEND_DOCUMENT_BEGIN(&either, "0", &low);
    append_oid(&low, "userLow", user_id);
    bson_append_document_end(&either, &low);
    BSON_APPEND_DOCUMENT_BEGIN(&either, "1", &high);
    append_oid(&high, "userHigh", user_id);
    bson_append_document_end(&either, &high);
    bson_append_array_end(filter.get(), &either);
    return delete_relationships(client, filter.get());
  }

  Result<std::optional<User>, StoreError> find_matching_case_insensitively(
      mongoc_collection_t* users, const std::string& key) {
    Doc filter;
    BSON_APPEND_REGEX(filter.get(), "email", exact_pattern(key).c_str(), "i");
    return find_one(users, filter.get());
  }

  /// The driver's pool, made on first use: making it resolves a mongodb+srv://
  /// name, which may fail while DNS or the network is down.
  mongoc_client_pool_t* client_pool(std::string& why) {
    std::lock_guard lock(pool_mutex_);
    if (pool_ == nullptr) {
      bson_error_t error;
      pool_ = mongoc_client_pool_new_with_error(uri_, &error);
      if (pool_ == nullptr) {
        why = error.message;
        return nullptr;
      }
      mongoc_client_pool_set_error_api(pool_, MONGOC_ERROR_API_VERSION_2);
      mongoc_client_pool_max_size(pool_, static_cast<std::uint32_t>(threads_));
    }
    return pool_;
  }

  /// createIndexes {email: 1} unique, named as Mongoose names it, once per
  /// process. An existing index of that name (even a different one) is kept.
  /// Then the refresh tokens' indexes.
  Result<void, StoreError> ensure_email_index(mongoc_client_t* client) {
    if (email_index_ready_.load()) {
      return {};
    }
    Doc command;
    BSON_APPEND_UTF8(command.get(), "createIndexes", kCollection);
    bson_t indexes;
    bson_t index;
    bson_t key;
    BSON_APPEND_ARRAY_BEGIN(command.get(), "indexes", &indexes);
    BSON_APPEND_DOCUMENT_BEGIN(&indexes, "0", &index);
    BSON_APPEND_DOCUMENT_BEGIN(&index, "key", &key);
    BSON_APPEND_INT32(&key, "email", 1);
    bson_append_document_end(&index, &key);
    BSON_APPEND_UTF8(&index, "name", kEmailIndex);
    BSON_APPEND_BOOL(&index, "unique", true);
    bson_append_document_end(&indexes, &index);
    bson_append_array_end(command.get(), &indexes);

    bson_error_t error;
    if (!write_command(client, command, error)) {
      const StoreError kind = failure(error, "create the email index");
      if (kind == StoreError::kUnavailable) {
        return unexpected(kind);
      }
      // IndexOptionsConflict, IndexKeySpecsConflict (an email_1 index made another way),
      // or 11000 (the stored emails are not unique): start anyway, say so once.
      log::warn(
          "mongodb: no unique index {} on {}.users could be created ({}); emails stay "
          "unique only as far as cubeauth's own checks go",
          kEmailIndex, database_, error.message);
    }
    if (auto ready = ensure_token_indexes(client); !ready) {
      return ready;
    }
    if (auto ready = ensure_relationship_indexes(client); !ready) {
      return ready;
    }
    email_index_ready_ = true;
    return {};
  }

  /// Runs a write command (createIndexes) on the store's database; false with `error` set.
  bool write_command(mongoc_client_t* client, const Doc& command, bson_error_t& error) const {
    mongoc_database_t* database = mongoc_client_get_database(client, database_.c_str());
    Doc reply;
    const bool ok = mongoc_database_write_command_with_opts(database, command.get(), nullptr,
                                                            reply.get(), &error);
    mongoc_database_destroy(database);
    return ok;
  }

  /// createIndexes on refreshtokens: tokenHash unique, familyId, userId, expiresAt (the
  /// purge of expired tokens).
  Result<void, StoreError> ensure_token_indexes(mongoc_client_t* client) {
    Doc command;
    BSON_APPEND_UTF8(command.get(), "createIndexes", kTokens);
    bson_t indexes;
    BSON_APPEND_ARRAY_BEGIN(command.get(), "indexes", &indexes);
    const char* fields[] = {"tokenHash", "familyId", "userId", "expiresAt"};
    for (int i = 0; i < 4; ++i) {
      const std::string position = std::to_string(i);
      const std::string name = std::string(fields[i]) + "_1";
      bson_t index;
      bson_t key;
      BSON_APPEND_DOCUMENT_BEGIN(&indexes, position.c_str(), &index);
      BSON_APPEND_DOCUMENT_BEGIN(&index, "key", &key);
      BSON_APPEND_INT32(&key, fields[i], 1);
      bson_append_document_end(&index, &key);
      BSON_APPEND_UTF8(&index, "name", name.c_str());
      if (i == 0) {
        BSON_APPEND_BOOL(&index, "unique", true);
      }
      bson_append_document_end(&indexes, &index);
    }
    bson_append_array_end(command.get(), &indexes);

    bson_error_t error;
    if (!write_command(client, command, error)) {
      const StoreError kind = failure(error, "create the refresh token indexes");
      if (kind == StoreError::kUnavailable) {
        return unexpected(kind);
      }
      log::warn(
          "mongodb: the indexes of {}.{} could not be created ({}); refresh tokens work, "
          "more slowly",
          database_, kTokens, error.message);
    }
    return {};
  }

  /// createIndexes on relationships: {userLow, userHigh} unique (one record per
  /// pair), {userLow, status, _id} and {userHigh, status, _id} (each side's lists
  /// in id order), {status, dialogId, updatedAt} (friendships without a dialog).
  Result<void, StoreError> ensure_relationship_indexes(mongoc_client_t* client) {
    struct Index {
      const char* name;
      std::array<const char*, 3> fields;
      bool unique;
    };
    constexpr std::array<Index, 4> kIndexes = {{
        {"userLow_1_userHigh_1", {"userLow", "userHigh", nullptr}, true},
        {"userLow_1_status_1__id_1", {"userLow", "status", "_id"}, false},
        {"userHigh_1_status_1__id_1", {"userHigh", "status", "_id"}, false},
        {"status_1_dialogId_1_updatedAt_1", {"status", "dialogId", "updatedAt"}, false},
    }};
    Doc command;
    BSON_APPEND_UTF8(command.get(), "createIndexes", kRelationships);
    bson_t indexes;
    BSON_APPEND_ARRAY_BEGIN(command.get(), "indexes", &indexes);
    for (std::size_t i = 0; i < kIndexes.size(); ++i) {
      const std::string position = std::to_string(i);
      bson_t index;
      bson_t key;
      BSON_APPEND_DOCUMENT_BEGIN(&indexes, position.c_str(), &index);
      BSON_APPEND_DOCUMENT_BEGIN(&index, "key", &key);
      for (const char* field : kIndexes[i].fields) {
        if (field != nullptr) {
          BSON_APPEND_INT32(&key, field, 1);
        }
      }
      bson_append_document_end(&index, &key);
      BSON_APPEND_UTF8(&index, "name", kIndexes[i].name);
      if (kIndexes[i].unique) {
        BSON_APPEND_BOOL(&index, "unique", true);
      }
      bson_append_document_end(&indexes, &index);
    }
    bson_append_array_end(command.get(), &indexes);

    bson_error_t error;
    if (!write_command(client, command, error)) {
      const StoreError kind = failure(error, "create the relationship indexes");
      if (kind == StoreError::kUnavailable) {
        return unexpected(kind);
      }
      log::warn(
          "mongodb: the indexes of {}.{} could not be created ({}); racing requests from both "
          "sides of a pair may store it twice",
          database_, kRelationships, error.message);
    }
    return {};
  }

  /// Calls work(client) with a pooled client, the email index ensured first.
  template <class Work>
  auto with_client(Work& work, bool needs_index) -> std::invoke_result_t<Work&, mongoc_client_t*> {
    using R = std::invoke_result_t<Work&, mongoc_client_t*>;
    std::string why;
    mongoc_client_pool_t* pool = client_pool(why);
    if (pool == nullptr) {
      availability_.report_unavailable(why);
      return unexpected(StoreError::kUnavailable);
    }
    ClientLease client(pool);
    if (needs_index) {
      if (auto ready = ensure_email_index(client.get()); !ready) {
        return unexpected(ready.error());
      }
    }
    R result = work(client.get());
    if (result.has_value() || result.error() != StoreError::kUnavailable) {
      availability_.report_available();
    }
    return result;
  }

  template <class Work>
  auto run(Work work) -> boost::asio::awaitable<std::invoke_result_t<Work&, mongoc_client_t*>> {
    // Named, not a temporary in the co_await: g++ 12 destroys those twice.
    auto task = [this, work = std::move(work)]() mutable { return with_client(work, true); };
    co_return co_await run_blocking(workers_.get_executor(), std::move(task));
  }

  mongoc_uri_t* uri_;
  std::string database_;
  std::size_t threads_;
  detail::Availability availability_;
  std::mutex pool_mutex_;
  mongoc_client_pool_t* pool_ = nullptr;
  std::atomic<bool> email_index_ready_{false};
  boost::asio::thread_pool workers_;
};

}  // namespace

Result<std::unique_ptr<UserStore>, std::string> open_mongo_store(const MongoOptions& options) {
  init_driver_once();
  bson_error_t error;
  mongoc_uri_t* uri = mongoc_uri_new_with_error(options.uri.c_str(), &error);
  if (uri == nullptr) {
    return unexpected("invalid MongoDB connection string: " + std::string(error.message));
  }
  if (!mongoc_uri_has_option(uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS)) {
    mongoc_uri_set_option_as_int32(
        uri, MONGOC_URI_SERVERSELECTIONTIMEOUTMS,
        static_cast<std::int32_t>(options.server_selection_timeout.count()));
  }
  if (!mongoc_uri_has_option(uri, MONGOC_URI_CONNECTTIMEOUTMS)) {
    mongoc_uri_set_option_as_int32(
        uri, MONGOC_URI_CONNECTTIMEOUTMS,
        static_cast<std::int32_t>(options.server_selection_timeout.count()));
  }
  if (mongoc_uri_get_appname(uri) == nullptr) {
    mongoc_uri_set_appname(uri, "cubeauth");
  }
  auto store = std::make_unique<MongoUserStore>(uri, options.threads == 0 ? 1 : options.threads);
  store->warm_up();
  return std::unique_ptr<UserStore>(std::move(store));
}

}  // namespace cubeauth::store
