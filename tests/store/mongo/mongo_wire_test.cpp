// The MongoDB store on the wire, against a scripted server (mock_mongo.py): the
// exact commands, field names and BSON types it sends, and how it takes
// duplicate keys, server errors and a dropped connection.
#include <gtest/gtest.h>

#include <future>
#include <vector>

#include "store/mongo/mongo_wire_fixture.hpp"
#include "store/object_id.hpp"
#include "store/run_sync.hpp"

namespace cubeauth::store::testing {
namespace {

TEST_F(MongoWire, CreatesTheUniqueEmailIndexAtStartAsMongooseNamesIt) {
  BsonPtr command = open_store();
  ASSERT_NE(command, nullptr) << mock_.error();
  EXPECT_EQ(command_name(command.get()), "createIndexes");
  EXPECT_EQ(utf8_at(command.get(), "createIndexes"), "users");
  EXPECT_EQ(utf8_at(command.get(), "$db"), kDatabase);
  EXPECT_EQ(keys_at(command.get(), "indexes.0.key"), std::vector<std::string>{"email"});
  EXPECT_EQ(type_at(command.get(), "indexes.0.key.email"), BSON_TYPE_INT32);
  EXPECT_EQ(utf8_at(command.get(), "indexes.0.name"), "email_1");
  ASSERT_EQ(type_at(command.get(), "indexes.0.unique"), BSON_TYPE_BOOL);
  EXPECT_TRUE(bool_at(command.get(), "indexes.0.unique"));
}

TEST_F(MongoWire, KeepsAnExistingEmailIndexThatConflicts) {
  open_store(R"({"ok": 0, "code": 85, "codeName": "IndexOptionsConflict",)"
             R"( "errmsg": "Index with name: email_1 already exists with different options"})");
  ASSERT_NE(store_, nullptr);
  // Started, and no second createIndexes before the next command.
  auto found = start(store_->find_by_email("a@b.io"));
  BsonPtr find = expect_command("find");
  mock_.reply(empty_cursor());
  BsonPtr fallback = expect_command("find");
  mock_.reply(empty_cursor());
  auto result = found.get();
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->has_value());
}

TEST_F(MongoWire, InsertsADocumentShapedAsTheOldServerWroteThem) {
  open_store();
  ASSERT_NE(store_, nullptr);
  auto created = start(store_->create_user({"ada@example.com", "Ada", "Lovelace", "$2b$10$hash"}));

  BsonPtr check = expect_command("find");
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(type_at(check.get(), "filter.email"), BSON_TYPE_REGEX);
  mock_.reply(empty_cursor());

  BsonPtr insert = expect_command("insert");
  ASSERT_NE(insert, nullptr);
  mock_.reply(R"({"n": 1, "ok": 1})");
  auto user = created.get();
  ASSERT_TRUE(user.has_value()) << to_string(user.error());

  EXPECT_EQ(utf8_at(insert.get(), "insert"), "users");
  EXPECT_EQ(keys_at(insert.get(), "documents.0"),
            (std::vector<std::string>{"_id", "firstName", "lastName", "email", "password",
                                      "createdAt", "updatedAt", "__v"}));
  EXPECT_EQ(oid_at(insert.get(), "documents.0._id"), user->id);
  EXPECT_EQ(utf8_at(insert.get(), "documents.0.firstName"), "Ada");
  EXPECT_EQ(utf8_at(insert.get(), "documents.0.lastName"), "Lovelace");
  EXPECT_EQ(utf8_at(insert.get(), "documents.0.email"), "ada@example.com");
  EXPECT_EQ(utf8_at(insert.get(), "documents.0.password"), "$2b$10$hash");
  ASSERT_EQ(type_at(insert.get(), "documents.0.createdAt"), BSON_TYPE_DATE_TIME);
  ASSERT_EQ(type_at(insert.get(), "documents.0.updatedAt"), BSON_TYPE_DATE_TIME);
  EXPECT_EQ(
      date_at(insert.get(), "documents.0.createdAt"),
      std::chrono::duration_cast<std::chrono::milliseconds>(user->created_at.time_since_epoch())
          .count());
  ASSERT_EQ(type_at(insert.get(), "documents.0.__v"), BSON_TYPE_INT32);
  EXPECT_EQ(number_at(insert.get(), "documents.0.__v"), 0);
}

TEST_F(MongoWire, TurnsDuplicateKeyError11000IntoDuplicateEmail) {
  open_store();
  ASSERT_NE(store_, nullptr);
  auto created = start(store_->create_user({"ada@example.com", "Ada", "Lovelace", "$2b$10$hash"}));
  expect_command("find");
  mock_.reply(empty_cursor());
  expect_command("insert");
  mock_.reply(R"({"n": 0, "writeErrors": [{"index": 0, "code": 11000, "errmsg":)"
              R"( "E11000 duplicate key error collection: cubeauth_wire.users index: email_1)"
              R"( dup key: { email: \"ada@example.com\" }"}], "ok": 1})");
  auto user = created.get();
  ASSERT_FALSE(user.has_value());
  EXPECT_EQ(user.error(), StoreError::kDuplicateEmail);
}

TEST_F(MongoWire, RefusesAnEmailTheOldServerStoredInAnotherCaseWithoutInserting) {
  open_store();
  ASSERT_NE(store_, nullptr);
  auto created = start(store_->create_user({"ada@example.com", "Ada", "Lovelace", "$2b$10$hash"}));
  BsonPtr check = expect_command("find");
  ASSERT_NE(check, nullptr);
  auto regex = at(check.get(), "filter.email");
  ASSERT_TRUE(regex && BSON_ITER_HOLDS_REGEX(&*regex));
  const char* options = nullptr;
  EXPECT_STREQ(bson_iter_regex(&*regex, &options), "^ada\\@example\\.com$");
  EXPECT_STREQ(options, "i");
  mock_.reply(cursor_with(old_server_document(new_object_id(), "Ada@Example.com")));
  auto user = created.get();
  ASSERT_FALSE(user.has_value());
  EXPECT_EQ(user.error(), StoreError::kDuplicateEmail);
  EXPECT_EQ(mock_.next_command(std::chrono::milliseconds(300)), nullptr) << "no insert expected";
}

TEST_F(MongoWire, FindsByTheExactNormalisedEmailFirst) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const std::string id = new_object_id();
  auto found = start(store_->find_by_email("  Ada@Example.com "));
  BsonPtr find = expect_command("find");
  ASSERT_NE(find, nullptr);
  EXPECT_EQ(utf8_at(find.get(), "find"), "users");
  EXPECT_EQ(keys_at(find.get(), "filter"), std::vector<std::string>{"email"});
  EXPECT_EQ(utf8_at(find.get(), "filter.email"), "ada@example.com");
  auto limit = at(find.get(), "limit");
  ASSERT_TRUE(limit.has_value());
  EXPECT_EQ(bson_iter_as_int64(&*limit), 1);
  mock_.reply(cursor_with(old_server_document(
      id, "ada@example.com",
      R"(, "connectyCubeId": {"$numberInt": "4242"}, "createdAt": {"$date": {"$numberLong":)"
      R"( "1600000000123"}}, "updatedAt": {"$date": {"$numberLong": "1600000000456"}},)"
      R"( "__v": {"$numberInt": "0"})")));
  auto user = found.get();
  ASSERT_TRUE(user.has_value() && user->has_value());
  EXPECT_EQ((*user)->id, id);
  EXPECT_EQ((*user)->email, "ada@example.com");
  EXPECT_EQ((*user)->password_hash, "$2b$10$hash");
  EXPECT_EQ((*user)->connectycube_id, 4242);
  EXPECT_EQ((*user)->created_at.time_since_epoch(), std::chrono::milliseconds(1600000000123));
  EXPECT_EQ((*user)->updated_at.time_since_epoch(), std::chrono::milliseconds(1600000000456));
  EXPECT_EQ(mock_.next_command(std::chrono::milliseconds(300)), nullptr) << "no fallback expected";
}

TEST_F(MongoWire, FallsBackToACaseInsensitiveMatchAndLoadsDocumentsLackingOptionalFields) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const std::string id = "5f5e1000aaaaaaaaaaaaaaaa";
  auto found = start(store_->find_by_email("ada.l+1@example.com"));
  expect_command("find");
  mock_.reply(empty_cursor());
  BsonPtr fallback = expect_command("find");
  ASSERT_NE(fallback, nullptr);
  auto regex = at(fallback.get(), "filter.email");
  ASSERT_TRUE(regex && BSON_ITER_HOLDS_REGEX(&*regex));
  const char* options = nullptr;
  EXPECT_STREQ(bson_iter_regex(&*regex, &options), "^ada\\.l\\+1\\@example\\.com$");
  EXPECT_STREQ(options, "i");
  // No connectyCubeId, no __v, no timestamps.
  mock_.reply(cursor_with(old_server_document(id, "Ada.L+1@Example.com")));
  auto user = found.get();
  ASSERT_TRUE(user.has_value() && user->has_value());
  EXPECT_EQ((*user)->email, "Ada.L+1@Example.com");
  EXPECT_FALSE((*user)->connectycube_id.has_value());
  EXPECT_EQ((*user)->created_at,
            std::chrono::system_clock::time_point(std::chrono::seconds(0x5f5e1000)));
  EXPECT_EQ((*user)->updated_at, (*user)->created_at);
  // Nor the fields of issue 9: defaults.
  EXPECT_TRUE((*user)->roles.empty());
  EXPECT_FALSE((*user)->disabled);
  EXPECT_FALSE((*user)->password_changed_at.has_value());
}

TEST_F(MongoWire, ReadsConnectyCubeIdsStoredAsAnyNumberType) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const std::string id = new_object_id();
  const std::pair<std::string, std::int64_t> cases[] = {
      {R"({"$numberInt": "77"})", 77},
      {R"({"$numberLong": "6000000000"})", 6000000000},
      {R"({"$numberDouble": "12345.0"})", 12345},
  };
  for (const auto& [stored, expected] : cases) {
    auto found = start(store_->find_by_id(id));
    BsonPtr find = expect_command("find");
    ASSERT_NE(find, nullptr);
    EXPECT_EQ(oid_at(find.get(), "filter._id"), id);
    mock_.reply(cursor_with(old_server_document(id, "a@b.io", R"(, "connectyCubeId": )" + stored)));
    auto user = found.get();
    ASSERT_TRUE(user.has_value() && user->has_value());
    EXPECT_EQ((*user)->connectycube_id, expected) << stored;
  }
}

TEST_F(MongoWire, SetsTheConnectyCubeIdWithSetOnTheObjectId) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const std::string id = new_object_id();
  auto set = start(store_->set_connectycube_id(id, 98765));
  BsonPtr update = expect_command("update");
  ASSERT_NE(update, nullptr);
  mock_.reply(R"({"n": 1, "nModified": 1, "ok": 1})");
  auto result = set.get();
  EXPECT_TRUE(result.has_value());

  EXPECT_EQ(utf8_at(update.get(), "update"), "users");
  EXPECT_EQ(keys_at(update.get(), "updates.0.q"), std::vector<std::string>{"_id"});
  EXPECT_EQ(oid_at(update.get(), "updates.0.q._id"), id);
  EXPECT_EQ(keys_at(update.get(), "updates.0.u"), std::vector<std::string>{"$set"});
  EXPECT_EQ(keys_at(update.get(), "updates.0.u.$set"),
            (std::vector<std::string>{"connectyCubeId", "updatedAt"}));
  ASSERT_EQ(type_at(update.get(), "updates.0.u.$set.connectyCubeId"), BSON_TYPE_INT32);
  EXPECT_EQ(number_at(update.get(), "updates.0.u.$set.connectyCubeId"), 98765);
  EXPECT_EQ(type_at(update.get(), "updates.0.u.$set.updatedAt"), BSON_TYPE_DATE_TIME);

  auto missing = start(store_->set_connectycube_id(id, 5));
  expect_command("update");
  mock_.reply(R"({"n": 0, "nModified": 0, "ok": 1})");
  auto none = missing.get();
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error(), StoreError::kNotFound);
}

TEST_F(MongoWire, DeletesOneDocumentByObjectId) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const std::string id = new_object_id();
  auto deleted = start(store_->delete_user(id));
  BsonPtr tokens_before = expect_command("delete");
  ASSERT_NE(tokens_before, nullptr);
  mock_.reply(R"({"n": 2, "ok": 1})");
  BsonPtr relationships_before = expect_command("delete");
  ASSERT_NE(relationships_before, nullptr);
  mock_.reply(R"({"n": 1, "ok": 1})");
  BsonPtr command = expect_command("delete");
  ASSERT_NE(command, nullptr);
  mock_.reply(R"({"n": 1, "ok": 1})");
  BsonPtr tokens_after = expect_command("delete");
  ASSERT_NE(tokens_after, nullptr);
  mock_.reply(R"({"n": 0, "ok": 1})");
  BsonPtr relationships_after = expect_command("delete");
  ASSERT_NE(relationships_after, nullptr);
  mock_.reply(R"({"n": 0, "ok": 1})");
  EXPECT_TRUE(deleted.get().has_value());
  // And the user's relationships, on either side of the pair: deleteMany on $or.
  for (const auto* relationships : {&relationships_before, &relationships_after}) {
    EXPECT_EQ(utf8_at(relationships->get(), "delete"), "relationships");
    EXPECT_EQ(oid_at(relationships->get(), "deletes.0.q.$or.0.userLow"), id);
    EXPECT_EQ(oid_at(relationships->get(), "deletes.0.q.$or.1.userHigh"), id);
    EXPECT_EQ(number_at(relationships->get(), "deletes.0.limit"), 0);
  }
  // The user's refresh tokens go before and after the user (a retry after a
  // failure part-way, a token made meanwhile): deleteMany on userId.
  for (const auto* tokens : {&tokens_before, &tokens_after}) {
    EXPECT_EQ(utf8_at(tokens->get(), "delete"), "refreshtokens");
    EXPECT_EQ(oid_at(tokens->get(), "deletes.0.q.userId"), id);
    EXPECT_EQ(number_at(tokens->get(), "deletes.0.limit"), 0);
  }
  EXPECT_EQ(utf8_at(command.get(), "delete"), "users");
  EXPECT_EQ(oid_at(command.get(), "deletes.0.q._id"), id);
  auto limit = at(command.get(), "deletes.0.limit");
  ASSERT_TRUE(limit.has_value());
  EXPECT_EQ(bson_iter_as_int64(&*limit), 1);

  auto again = start(store_->delete_user(id));
  expect_command("delete");
  mock_.reply(R"({"n": 0, "ok": 1})");
  expect_command("delete");
  mock_.reply(R"({"n": 0, "ok": 1})");
  expect_command("delete");
  mock_.reply(R"({"n": 0, "ok": 1})");
  auto result = again.get();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error(), StoreError::kNotFound);
}

TEST_F(MongoWire, ReportsAServerErrorAsInternal) {
  open_store();
  ASSERT_NE(store_, nullptr);
  auto found = start(store_->find_by_id(new_object_id()));
  expect_command("find");
  mock_.reply(R"({"ok": 0, "code": 2, "codeName": "BadValue", "errmsg": "boom"})");
  auto result = found.get();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error(), StoreError::kInternal);
}

TEST_F(MongoWire, ADroppedConnectionIsUnavailableAndTheNextCallReconnects) {
  open_store();
  ASSERT_NE(store_, nullptr);
  auto created = start(store_->create_user({"ada@example.com", "Ada", "Lovelace", "$2b$10$hash"}));
  expect_command("find");
  mock_.reply(empty_cursor());
  expect_command("insert");
  mock_.hang_up();
  auto user = created.get();
  ASSERT_FALSE(user.has_value());
  EXPECT_EQ(user.error(), StoreError::kUnavailable);

  const std::string id = new_object_id();
  auto found = start(store_->find_by_id(id));
  BsonPtr find = expect_command("find");
  ASSERT_NE(find, nullptr);
  mock_.reply(cursor_with(old_server_document(id, "ada@example.com")));
  auto again = found.get();
  ASSERT_TRUE(again.has_value()) << to_string(again.error());
  ASSERT_TRUE(again->has_value());
  EXPECT_EQ((*again)->id, id);
}

std::string tokens_cursor_with(const std::string& document) {
  return std::string(R"({"cursor": {"id": {"$numberLong": "0"}, "ns": ")") + kDatabase +
         R"(.refreshtokens", "firstBatch": [)" + document + R"(]}, "ok": 1})";
}

/// A stored refresh token document.
std::string token_document(const std::string& hash, const std::string& family,
                           const std::string& user, const std::string& extra = "") {
  return R"({"_id": {"$oid": ")" + new_object_id() + R"("}, "tokenHash": ")" + hash +
         R"(", "familyId": ")" + family + R"(", "userId": {"$oid": ")" + user +
         R"("}, "issuedAt": )" + date_json(1600000000000) + R"(, "expiresAt": )" +
         date_json(4000000000000) + R"(, "revoked": false)" + extra + "}";
}

std::int64_t millis_of(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TEST_F(MongoWire, CreatesTheRefreshTokenIndexesAtStart) {
  open_store();
  ASSERT_NE(token_indexes_, nullptr) << mock_.error();
  const bson_t* command = token_indexes_.get();
  EXPECT_EQ(utf8_at(command, "createIndexes"), "refreshtokens");
  EXPECT_EQ(keys_at(command, "indexes.0.key"), std::vector<std::string>{"tokenHash"});
  EXPECT_EQ(utf8_at(command, "indexes.0.name"), "tokenHash_1");
  EXPECT_TRUE(bool_at(command, "indexes.0.unique"));
  EXPECT_EQ(keys_at(command, "indexes.1.key"), std::vector<std::string>{"familyId"});
  EXPECT_EQ(keys_at(command, "indexes.2.key"), std::vector<std::string>{"userId"});
  EXPECT_EQ(keys_at(command, "indexes.3.key"), std::vector<std::string>{"expiresAt"});
  EXPECT_EQ(type_at(command, "indexes.1.unique"), BSON_TYPE_EOD);
}

TEST_F(MongoWire, ReadsRolesDisabledAndPasswordChangeTimeInCamelCase) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const std::string id = new_object_id();
  auto found = start(store_->find_by_id(id));
  expect_command("find");
  mock_.reply(cursor_with(
      old_server_document(id, "a@b.io",
                          R"(, "roles": ["support", "admin", "user", "admin"], "disabled": true,)"
                          R"( "passwordChangedAt": )" +
                              date_json(1700000000123))));
  auto user = found.get();
  ASSERT_TRUE(user.has_value() && user->has_value());
  EXPECT_EQ((*user)->roles, (std::vector<std::string>{"admin", "support"}));
  EXPECT_TRUE((*user)->disabled);
  ASSERT_TRUE((*user)->password_changed_at.has_value());
  EXPECT_EQ(millis_of(*(*user)->password_changed_at), 1700000000123);
}

TEST_F(MongoWire, UpdatesTheNewFieldsWithSetOnTheObjectId) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const std::string id = new_object_id();
  const auto changed = std::chrono::system_clock::time_point(std::chrono::milliseconds(1234567));

  auto password = start(store_->set_password(id, "$2b$10$new", changed));
  BsonPtr update = expect_command("update");
  ASSERT_NE(update, nullptr);
  mock_.reply(R"({"n": 1, "nModified": 1, "ok": 1})");
  EXPECT_TRUE(password.get().has_value());
  EXPECT_EQ(oid_at(update.get(), "updates.0.q._id"), id);
  EXPECT_EQ(keys_at(update.get(), "updates.0.u.$set"),
            (std::vector<std::string>{"password", "passwordChangedAt", "updatedAt"}));
  EXPECT_EQ(utf8_at(update.get(), "updates.0.u.$set.password"), "$2b$10$new");
  EXPECT_EQ(date_at(update.get(), "updates.0.u.$set.passwordChangedAt"), 1234567);

  std::vector<std::string> roles = {"user", "support", "admin"};
  auto set_roles = start(store_->set_roles(id, roles));
  update = expect_command("update");
  ASSERT_NE(update, nullptr);
  mock_.reply(R"({"n": 1, "nModified": 1, "ok": 1})");
  EXPECT_TRUE(set_roles.get().has_value());
  EXPECT_EQ(keys_at(update.get(), "updates.0.u.$set"),
            (std::vector<std::string>{"roles", "updatedAt"}));
  ASSERT_EQ(type_at(update.get(), "updates.0.u.$set.roles"), BSON_TYPE_ARRAY);
  EXPECT_EQ(utf8_at(update.get(), "updates.0.u.$set.roles.0"), "admin");
  EXPECT_EQ(utf8_at(update.get(), "updates.0.u.$set.roles.1"), "support");
  EXPECT_EQ(type_at(update.get(), "updates.0.u.$set.roles.2"), BSON_TYPE_EOD);

  auto disabled = start(store_->set_disabled(id, true));
  update = expect_command("update");
  ASSERT_NE(update, nullptr);
  mock_.reply(R"({"n": 0, "nModified": 0, "ok": 1})");
  auto none = disabled.get();
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error(), StoreError::kNotFound);
  ASSERT_EQ(type_at(update.get(), "updates.0.u.$set.disabled"), BSON_TYPE_BOOL);
  EXPECT_TRUE(bool_at(update.get(), "updates.0.u.$set.disabled"));

  auto profile = start(store_->set_profile(id, "Grace", "Hopper"));
  update = expect_command("update");
  ASSERT_NE(update, nullptr);
  mock_.reply(R"({"n": 1, "nModified": 1, "ok": 1})");
  EXPECT_TRUE(profile.get().has_value());
  EXPECT_EQ(keys_at(update.get(), "updates.0.u.$set"),
            (std::vector<std::string>{"firstName", "lastName", "updatedAt"}));
}

TEST_F(MongoWire, ListsUsersByIdAfterTheCursorWithAnEscapedCaseInsensitiveSearch) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const std::string after = "5f5e1000aaaaaaaaaaaaaaaa";
  UserQuery query;
  query.email_contains = "a%b_c.";
  query.after_id = after;
  query.limit = 2;
  auto listed = start(store_->list_users(query));
  BsonPtr find = expect_command("find");
  ASSERT_NE(find, nullptr);
  EXPECT_EQ(oid_at(find.get(), "filter._id.$gt"), after);
  auto regex = at(find.get(), "filter.email");
  ASSERT_TRUE(regex && BSON_ITER_HOLDS_REGEX(&*regex));
  const char* options = nullptr;
  EXPECT_STREQ(bson_iter_regex(&*regex, &options), "a\\%b\\_c\\.");
  EXPECT_STREQ(options, "i");
  EXPECT_EQ(number_at(find.get(), "sort._id"), 1);
  EXPECT_EQ(number_at(find.get(), "limit"), 3);
  const std::string ids[] = {"5f5e1000aaaaaaaaaaaaaaab", "5f5e1000aaaaaaaaaaaaaaac",
                             "5f5e1000aaaaaaaaaaaaaaad"};
  mock_.reply(cursor_with(old_server_document(ids[0], "a%b_c.1@x.io") + ", " +
                          old_server_document(ids[1], "A%B_C.2@x.io") + ", " +
                          old_server_document(ids[2], "a%b_c.3@x.io")));
  auto page = listed.get();
  ASSERT_TRUE(page.has_value()) << to_string(page.error());
  ASSERT_EQ(page->users.size(), 2u);
  EXPECT_EQ(page->users[0].id, ids[0]);
  EXPECT_EQ(page->users[1].id, ids[1]);
  EXPECT_EQ(page->next_after_id, ids[1]);
}

TEST_F(MongoWire, StoresARefreshTokenOnlyForAnExistingUser) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const std::string user = new_object_id();
  const std::string family = new_object_id();
  const auto now = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000000));
  NewRefreshToken token{"hash-a", family, user, now, now + std::chrono::hours(1)};
  auto created = start(store_->create_refresh_token(token));
  BsonPtr check = expect_command("find");
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(utf8_at(check.get(), "find"), "users");
  EXPECT_EQ(oid_at(check.get(), "filter._id"), user);
  mock_.reply(cursor_with(old_server_document(user, "a@b.io")));
  BsonPtr insert = expect_command("insert");
  ASSERT_NE(insert, nullptr);
  mock_.reply(R"({"n": 1, "ok": 1})");
  expect_command("find");
  mock_.reply(cursor_with(old_server_document(user, "a@b.io")));
  auto result = created.get();
  ASSERT_TRUE(result.has_value()) << to_string(result.error());

  EXPECT_EQ(utf8_at(insert.get(), "insert"), "refreshtokens");
  EXPECT_EQ(keys_at(insert.get(), "documents.0"),
            (std::vector<std::string>{"_id", "tokenHash", "familyId", "userId", "issuedAt",
                                      "expiresAt", "revoked", "__v"}));
  EXPECT_EQ(utf8_at(insert.get(), "documents.0.tokenHash"), "hash-a");
  EXPECT_EQ(utf8_at(insert.get(), "documents.0.familyId"), family);
  EXPECT_EQ(oid_at(insert.get(), "documents.0.userId"), user);
  EXPECT_EQ(date_at(insert.get(), "documents.0.issuedAt"), 1700000000000);
  EXPECT_EQ(date_at(insert.get(), "documents.0.expiresAt"), 1700000000000 + 3600000);
  EXPECT_EQ(type_at(insert.get(), "documents.0.revoked"), BSON_TYPE_BOOL);

  auto ghost = start(store_->create_refresh_token(token));
  expect_command("find");
  mock_.reply(empty_cursor());
  auto refused = ghost.get();
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error(), StoreError::kNotFound);
  EXPECT_EQ(mock_.next_command(std::chrono::milliseconds(300)), nullptr) << "no insert expected";
}

TEST_F(MongoWire, RotatesALiveTokenWithOneConditionalFindAndModify) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const std::string user = new_object_id();
  const std::string family = new_object_id();
  const auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000000));
  NewRefreshToken next{"hash-b", "", "", at, at + std::chrono::hours(1)};
  auto rotated = start(store_->rotate_refresh_token("hash-a", next));

  BsonPtr modify = expect_command("findAndModify");
  ASSERT_NE(modify, nullptr);
  EXPECT_EQ(utf8_at(modify.get(), "findAndModify"), "refreshtokens");
  EXPECT_EQ(keys_at(modify.get(), "query"),
            (std::vector<std::string>{"tokenHash", "usedAt", "revoked", "expiresAt"}));
  EXPECT_EQ(utf8_at(modify.get(), "query.tokenHash"), "hash-a");
  EXPECT_EQ(type_at(modify.get(), "query.usedAt"), BSON_TYPE_NULL);
  EXPECT_EQ(type_at(modify.get(), "query.revoked"), BSON_TYPE_BOOL);
  EXPECT_FALSE(bool_at(modify.get(), "query.revoked"));
  EXPECT_EQ(date_at(modify.get(), "query.expiresAt.$gt"), 1700000000000);
  EXPECT_EQ(date_at(modify.get(), "update.$set.usedAt"), 1700000000000);
  mock_.reply(R"({"lastErrorObject": {"n": 1, "updatedExisting": true}, "value": )" +
              token_document("hash-a", family, user) + R"(, "ok": 1})");

  BsonPtr insert = expect_command("insert");
  ASSERT_NE(insert, nullptr);
  EXPECT_EQ(utf8_at(insert.get(), "documents.0.tokenHash"), "hash-b");
  EXPECT_EQ(utf8_at(insert.get(), "documents.0.familyId"), family);
  EXPECT_EQ(oid_at(insert.get(), "documents.0.userId"), user);
  mock_.reply(R"({"n": 1, "ok": 1})");

  BsonPtr revoked = expect_command("find");
  ASSERT_NE(revoked, nullptr);
  EXPECT_EQ(utf8_at(revoked.get(), "find"), "refreshtokens");
  EXPECT_EQ(utf8_at(revoked.get(), "filter.familyId"), family);
  EXPECT_TRUE(bool_at(revoked.get(), "filter.revoked"));
  mock_.reply(tokens_cursor_with(""));

  auto rotation = rotated.get();
  ASSERT_TRUE(rotation.has_value()) << to_string(rotation.error());
  EXPECT_EQ(rotation->outcome, RotationOutcome::kRotated);
  EXPECT_EQ(rotation->user_id, user);
  EXPECT_EQ(rotation->family_id, family);
}

TEST_F(MongoWire, ARotationThatRacedARevocationRevokesItsNewToken) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const std::string user = new_object_id();
  const std::string family = new_object_id();
  const auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000000));
  NewRefreshToken next{"hash-b", "", "", at, at + std::chrono::hours(1)};
  auto rotated = start(store_->rotate_refresh_token("hash-a", next));
  expect_command("findAndModify");
  mock_.reply(R"({"value": )" + token_document("hash-a", family, user) + R"(, "ok": 1})");
  expect_command("insert");
  mock_.reply(R"({"n": 1, "ok": 1})");
  expect_command("find");
  mock_.reply(tokens_cursor_with(token_document("hash-a", family, user, R"(, "revoked": true)")));
  BsonPtr update = expect_command("update");
  ASSERT_NE(update, nullptr);
  EXPECT_EQ(utf8_at(update.get(), "updates.0.q.tokenHash"), "hash-b");
  EXPECT_TRUE(bool_at(update.get(), "updates.0.u.$set.revoked"));
  mock_.reply(R"({"n": 1, "nModified": 1, "ok": 1})");
  auto rotation = rotated.get();
  ASSERT_TRUE(rotation.has_value());
  EXPECT_EQ(rotation->outcome, RotationOutcome::kRotated);
}

TEST_F(MongoWire, PurgesExpiredRefreshTokensWithOneDeleteManyOnExpiresAt) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const auto before =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000000));
  auto purged = start(store_->purge_refresh_tokens(before));
  BsonPtr command = expect_command("delete");
  ASSERT_NE(command, nullptr);
  EXPECT_EQ(utf8_at(command.get(), "delete"), "refreshtokens");
  EXPECT_EQ(keys_at(command.get(), "deletes.0.q"), std::vector<std::string>{"expiresAt"});
  EXPECT_EQ(date_at(command.get(), "deletes.0.q.expiresAt.$lt"), 1700000000000);
  EXPECT_EQ(number_at(command.get(), "deletes.0.limit"), 0);
  mock_.reply(R"({"n": 3, "ok": 1})");
  auto removed = purged.get();
  ASSERT_TRUE(removed.has_value()) << to_string(removed.error());
  EXPECT_EQ(*removed, 3u);
}

TEST_F(MongoWire, PresentingAUsedTokenRevokesItsFamily) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const std::string user = new_object_id();
  const std::string family = new_object_id();
  const auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000000));
  NewRefreshToken next{"hash-c", "", "", at, at + std::chrono::hours(1)};
  auto rotated = start(store_->rotate_refresh_token("hash-a", next));
  expect_command("findAndModify");
  mock_.reply(R"({"lastErrorObject": {"n": 0, "updatedExisting": false}, "value": null, "ok": 1})");
  BsonPtr find = expect_command("find");
  ASSERT_NE(find, nullptr);
  EXPECT_EQ(utf8_at(find.get(), "filter.tokenHash"), "hash-a");
  mock_.reply(tokens_cursor_with(
      token_document("hash-a", family, user, R"(, "usedAt": )" + date_json(1650000000000))));
  BsonPtr update = expect_command("update");
  ASSERT_NE(update, nullptr);
  EXPECT_EQ(utf8_at(update.get(), "update"), "refreshtokens");
  EXPECT_EQ(utf8_at(update.get(), "updates.0.q.familyId"), family);
  EXPECT_TRUE(bool_at(update.get(), "updates.0.multi"));
  EXPECT_TRUE(bool_at(update.get(), "updates.0.u.$set.revoked"));
  mock_.reply(R"({"n": 3, "nModified": 2, "ok": 1})");
  auto rotation = rotated.get();
  ASSERT_TRUE(rotation.has_value()) << to_string(rotation.error());
  EXPECT_EQ(rotation->outcome, RotationOutcome::kReused);
  EXPECT_EQ(rotation->family_id, family);
  EXPECT_EQ(rotation->user_id, user);
  EXPECT_EQ(mock_.next_command(std::chrono::milliseconds(300)), nullptr) << "no insert expected";
}

TEST_F(MongoWire, AnExpiredOrRevokedTokenStoresNothingAndRevokesNothing) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const std::string user = new_object_id();
  const std::string family = new_object_id();
  const auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000000));
  for (const std::string& extra : {std::string(R"(, "revoked": true)"), std::string()}) {
    NewRefreshToken next{"hash-d", "", "", at, at + std::chrono::hours(1)};
    auto rotated = start(store_->rotate_refresh_token("hash-a", next));
    expect_command("findAndModify");
    mock_.reply(R"({"value": null, "ok": 1})");
    expect_command("find");
    mock_.reply(tokens_cursor_with(token_document("hash-a", family, user, extra)));
    auto rotation = rotated.get();
    ASSERT_TRUE(rotation.has_value());
    EXPECT_EQ(rotation->outcome, RotationOutcome::kRevoked) << extra;
    EXPECT_EQ(mock_.next_command(std::chrono::milliseconds(300)), nullptr) << extra;
  }
  NewRefreshToken next{"hash-d", "", "", at, at + std::chrono::hours(1)};
  auto unknown = start(store_->rotate_refresh_token("hash-z", next));
  expect_command("findAndModify");
  mock_.reply(R"({"value": null, "ok": 1})");
  expect_command("find");
  mock_.reply(tokens_cursor_with(""));
  auto rotation = unknown.get();
  ASSERT_TRUE(rotation.has_value());
  EXPECT_EQ(rotation->outcome, RotationOutcome::kUnknown);
}

TEST_F(MongoWire, RevokesAFamilyOrAllOfAUsersTokensWithUpdateMany) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const std::string user = new_object_id();
  const std::string family = new_object_id();
  auto logout = start(store_->revoke_refresh_family("hash-a"));
  expect_command("find");
  mock_.reply(tokens_cursor_with(token_document("hash-a", family, user)));
  BsonPtr update = expect_command("update");
  ASSERT_NE(update, nullptr);
  EXPECT_EQ(utf8_at(update.get(), "updates.0.q.familyId"), family);
  EXPECT_TRUE(bool_at(update.get(), "updates.0.multi"));
  mock_.reply(R"({"n": 2, "nModified": 2, "ok": 1})");
  auto owner = logout.get();
  ASSERT_TRUE(owner.has_value() && owner->has_value());
  EXPECT_EQ(**owner, user);

  auto everywhere = start(store_->revoke_user_refresh_tokens(user));
  update = expect_command("update");
  ASSERT_NE(update, nullptr);
  EXPECT_EQ(oid_at(update.get(), "updates.0.q.userId"), user);
  EXPECT_TRUE(bool_at(update.get(), "updates.0.multi"));
  EXPECT_TRUE(bool_at(update.get(), "updates.0.u.$set.revoked"));
  mock_.reply(R"({"n": 0, "nModified": 0, "ok": 1})");
  EXPECT_TRUE(everywhere.get().has_value());
}

TEST(MongoUserStore, StartsWithAnUnreachableServerAndReportsUnavailable) {
  // Nothing listens on the port of a closed mock.
  unsigned short port = 0;
  {
    MockMongo gone;
    ASSERT_NE(gone.port(), 0) << gone.error();
    port = gone.port();
  }
  MongoOptions options;
  options.uri = "mongodb://127.0.0.1:" + std::to_string(port) + "/cubeauth_wire";
  options.server_selection_timeout = std::chrono::milliseconds(300);
  auto store = open_mongo_store(options);
  ASSERT_TRUE(store.has_value()) << store.error();
  auto healthy = run_sync((*store)->health());
  ASSERT_FALSE(healthy.has_value());
  EXPECT_EQ(healthy.error(), StoreError::kUnavailable);
  NewUser user{"a@b.io", "A", "B", "$2b$10$x"};
  auto created = run_sync((*store)->create_user(std::move(user)));
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error(), StoreError::kUnavailable);
}

TEST(MongoUserStore, RefusesAConnectionStringTheDriverCannotParse) {
  for (const char* uri : {"mongodb://", "mongodb://host:notaport/db", "mongo://host/db"}) {
    auto store = open_mongo_store({uri});
    ASSERT_FALSE(store.has_value()) << uri;
    EXPECT_NE(store.error().find("invalid MongoDB connection string"), std::string::npos)
        << store.error();
  }
}

}  // namespace
}  // namespace cubeauth::store::testing
