// The MongoDB store's relationships (issue 10) on the wire, against a scripted
// server (mock_mongo.py): the indexes made at start, the document written, the
// compare-and-set findAndModify, the duplicate key of a pair, and the list filters.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/mongo/mongo_wire_fixture.hpp"
#include "store/object_id.hpp"

namespace cubeauth::store::testing {
namespace {

std::string relationships_cursor_with(const std::string& documents) {
  return std::string(R"({"cursor": {"id": {"$numberLong": "0"}, "ns": ")") + kDatabase +
         R"(.relationships", "firstBatch": [)" + documents + R"(]}, "ok": 1})";
}

std::string users_cursor_with(const std::string& documents) {
  return std::string(R"({"cursor": {"id": {"$numberLong": "0"}, "ns": ")") + kDatabase +
         R"(.users", "firstBatch": [)" + documents + R"(]}, "ok": 1})";
}

std::string oid_json(const std::string& id) { return R"({"$oid": ")" + id + R"("})"; }

/// A stored relationship document.
std::string relationship_document(const std::string& id, const std::string& low,
                                  const std::string& high, const std::string& status,
                                  const std::string& actor, std::int64_t version,
                                  const std::string& extra = "") {
  return R"({"_id": )" + oid_json(id) + R"(, "userLow": )" + oid_json(low) + R"(, "userHigh": )" +
         oid_json(high) + R"(, "status": ")" + status + R"(", "actedBy": )" + oid_json(actor) +
         R"(, "version": {"$numberLong": ")" + std::to_string(version) + R"("}, "createdAt": )" +
         date_json(1700000000000) + R"(, "updatedAt": )" + date_json(1700000001000) + extra + "}";
}

/// Two ids in canonical order.
struct Pair {
  std::string low;
  std::string high;
};

Pair new_pair() {
  std::string a = new_object_id();
  std::string b = new_object_id();
  if (b < a) {
    std::swap(a, b);
  }
  return {a, b};
}

class MongoRelationshipWire : public MongoWire {};

TEST_F(MongoRelationshipWire, CreatesTheRelationshipIndexesAtStart) {
  open_store();
  ASSERT_NE(relationship_indexes_, nullptr) << mock_.error();
  const bson_t* command = relationship_indexes_.get();
  EXPECT_EQ(utf8_at(command, "createIndexes"), "relationships");
  EXPECT_EQ(utf8_at(command, "$db"), kDatabase);
  EXPECT_EQ(keys_at(command, "indexes.0.key"), (std::vector<std::string>{"userLow", "userHigh"}));
  EXPECT_EQ(utf8_at(command, "indexes.0.name"), "userLow_1_userHigh_1");
  ASSERT_EQ(type_at(command, "indexes.0.unique"), BSON_TYPE_BOOL);
  EXPECT_TRUE(bool_at(command, "indexes.0.unique"));
  EXPECT_EQ(keys_at(command, "indexes.1.key"),
            (std::vector<std::string>{"userLow", "status", "_id"}));
  EXPECT_EQ(keys_at(command, "indexes.2.key"),
            (std::vector<std::string>{"userHigh", "status", "_id"}));
  EXPECT_EQ(keys_at(command, "indexes.3.key"),
            (std::vector<std::string>{"status", "dialogId", "updatedAt"}));
  for (const char* path : {"indexes.1.unique", "indexes.2.unique", "indexes.3.unique"}) {
    EXPECT_EQ(type_at(command, path), BSON_TYPE_EOD) << path;
  }
}

TEST_F(MongoRelationshipWire, CreatesOneDocumentInCanonicalOrderBetweenExistingUsers) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const Pair pair = new_pair();
  // The larger id asks: the document still has it as userHigh.
  NewRelationship input{pair.high, pair.low, RelationshipStatus::kPending, pair.high};
  auto created = start(store_->create_relationship(input));

  BsonPtr check = expect_command("find");
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(utf8_at(check.get(), "find"), "users");
  EXPECT_EQ(oid_at(check.get(), "filter._id.$in.0"), pair.low);
  EXPECT_EQ(oid_at(check.get(), "filter._id.$in.1"), pair.high);
  const std::string both = old_server_document(pair.low, "low@example.com") + ", " +
                           old_server_document(pair.high, "high@example.com");
  mock_.reply(users_cursor_with(both));

  BsonPtr insert = expect_command("insert");
  ASSERT_NE(insert, nullptr);
  mock_.reply(R"({"n": 1, "ok": 1})");
  // Both users are looked up again after the insert (a delete_user meanwhile).
  expect_command("find");
  mock_.reply(users_cursor_with(both));
  auto result = created.get();
  ASSERT_TRUE(result.has_value()) << to_string(result.error());

  EXPECT_EQ(utf8_at(insert.get(), "insert"), "relationships");
  EXPECT_EQ(keys_at(insert.get(), "documents.0"),
            (std::vector<std::string>{"_id", "userLow", "userHigh", "status", "actedBy", "version",
                                      "createdAt", "updatedAt", "blockedByLow", "blockedByHigh"}));
  EXPECT_EQ(oid_at(insert.get(), "documents.0._id"), result->id);
  EXPECT_EQ(oid_at(insert.get(), "documents.0.userLow"), pair.low);
  EXPECT_EQ(oid_at(insert.get(), "documents.0.userHigh"), pair.high);
  EXPECT_EQ(utf8_at(insert.get(), "documents.0.status"), "pending");
  EXPECT_EQ(oid_at(insert.get(), "documents.0.actedBy"), pair.high);
  ASSERT_EQ(type_at(insert.get(), "documents.0.version"), BSON_TYPE_INT64);
  EXPECT_EQ(number_at(insert.get(), "documents.0.version"), 1);
  ASSERT_EQ(type_at(insert.get(), "documents.0.createdAt"), BSON_TYPE_DATE_TIME);
  EXPECT_EQ(date_at(insert.get(), "documents.0.createdAt"),
            date_at(insert.get(), "documents.0.updatedAt"));
  ASSERT_EQ(type_at(insert.get(), "documents.0.blockedByLow"), BSON_TYPE_BOOL);
  EXPECT_FALSE(bool_at(insert.get(), "documents.0.blockedByLow"));
  EXPECT_FALSE(bool_at(insert.get(), "documents.0.blockedByHigh"));
  EXPECT_EQ(result->user_low, pair.low);
  EXPECT_EQ(result->user_high, pair.high);
  EXPECT_EQ(result->acted_by, pair.high);
  EXPECT_EQ(result->version, 1);

  // One of the two is missing: kNotFound, and nothing is inserted.
  auto ghost = start(store_->create_relationship(input));
  expect_command("find");
  mock_.reply(users_cursor_with(old_server_document(pair.low, "low@example.com")));
  auto refused = ghost.get();
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error(), StoreError::kNotFound);
  EXPECT_EQ(mock_.next_command(std::chrono::milliseconds(300)), nullptr) << "no insert expected";
}

TEST_F(MongoRelationshipWire, TurnsADuplicateKeyOnThePairIntoAConflict) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const Pair pair = new_pair();
  NewRelationship input{pair.low, pair.high, RelationshipStatus::kPending, pair.low};
  auto created = start(store_->create_relationship(input));
  expect_command("find");
  mock_.reply(users_cursor_with(old_server_document(pair.low, "low@example.com") + ", " +
                                old_server_document(pair.high, "high@example.com")));
  expect_command("insert");
  mock_.reply(R"({"n": 0, "writeErrors": [{"index": 0, "code": 11000, "errmsg":)"
              R"( "E11000 duplicate key error collection: cubeauth_wire.relationships index:)"
              R"( userLow_1_userHigh_1 dup key"}], "ok": 1})");
  auto result = created.get();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error(), StoreError::kConflict);
  EXPECT_EQ(mock_.next_command(std::chrono::milliseconds(300)), nullptr)
      << "nothing after the conflict";
}

TEST_F(MongoRelationshipWire, RemovesItsDocumentWhenAUserWentAwayDuringTheInsert) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const Pair pair = new_pair();
  NewRelationship input{pair.low, pair.high, RelationshipStatus::kPending, pair.low};
  auto created = start(store_->create_relationship(input));
  const std::string both = old_server_document(pair.low, "low@example.com") + ", " +
                           old_server_document(pair.high, "high@example.com");
  expect_command("find");
  mock_.reply(users_cursor_with(both));
  BsonPtr insert = expect_command("insert");
  ASSERT_NE(insert, nullptr);
  mock_.reply(R"({"n": 1, "ok": 1})");
  expect_command("find");
  mock_.reply(users_cursor_with(old_server_document(pair.high, "high@example.com")));
  BsonPtr removal = expect_command("delete");
  ASSERT_NE(removal, nullptr);
  mock_.reply(R"({"n": 1, "ok": 1})");
  auto result = created.get();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error(), StoreError::kNotFound);
  EXPECT_EQ(utf8_at(removal.get(), "delete"), "relationships");
  EXPECT_EQ(oid_at(removal.get(), "deletes.0.q._id"), oid_at(insert.get(), "documents.0._id"));
}

TEST_F(MongoRelationshipWire, UpdatesWithOneCompareAndSetFindAndModifyOnTheVersion) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const Pair pair = new_pair();
  const std::string id = new_object_id();
  RelationshipChange change{RelationshipStatus::kBlocked, pair.high, true, true};
  auto updated = start(store_->update_relationship(id, 3, change));

  BsonPtr modify = expect_command("findAndModify");
  ASSERT_NE(modify, nullptr);
  EXPECT_EQ(utf8_at(modify.get(), "findAndModify"), "relationships");
  EXPECT_EQ(keys_at(modify.get(), "query"), (std::vector<std::string>{"_id", "version", "$or"}));
  EXPECT_EQ(oid_at(modify.get(), "query._id"), id);
  ASSERT_EQ(type_at(modify.get(), "query.version"), BSON_TYPE_INT64);
  EXPECT_EQ(number_at(modify.get(), "query.version"), 3);
  EXPECT_EQ(oid_at(modify.get(), "query.$or.0.userLow"), pair.high);
  EXPECT_EQ(oid_at(modify.get(), "query.$or.1.userHigh"), pair.high);
  EXPECT_EQ(keys_at(modify.get(), "update"), (std::vector<std::string>{"$set", "$inc"}));
  EXPECT_EQ(keys_at(modify.get(), "update.$set"),
            (std::vector<std::string>{"status", "actedBy", "updatedAt", "blockedByLow", "blockedByHigh"}));
  EXPECT_EQ(utf8_at(modify.get(), "update.$set.status"), "blocked");
  EXPECT_TRUE(bool_at(modify.get(), "update.$set.blockedByLow"));
  EXPECT_TRUE(bool_at(modify.get(), "update.$set.blockedByHigh"));
  EXPECT_EQ(oid_at(modify.get(), "update.$set.actedBy"), pair.high);
  EXPECT_EQ(type_at(modify.get(), "update.$set.updatedAt"), BSON_TYPE_DATE_TIME);
  ASSERT_EQ(type_at(modify.get(), "update.$inc.version"), BSON_TYPE_INT64);
  EXPECT_EQ(number_at(modify.get(), "update.$inc.version"), 1);
  EXPECT_TRUE(bool_at(modify.get(), "new"));
  mock_.reply(R"({"lastErrorObject": {"n": 1, "updatedExisting": true}, "value": )" +
              relationship_document(id, pair.low, pair.high, "blocked", pair.high, 4,
                                    R"(, "dialogId": "dialog-9", "blockedByLow": true, "blockedByHigh": true)") +
              R"(, "ok": 1})");
  auto result = updated.get();
  ASSERT_TRUE(result.has_value()) << to_string(result.error());
  EXPECT_EQ(result->id, id);
  EXPECT_EQ(result->version, 4);
  EXPECT_EQ(result->status, RelationshipStatus::kBlocked);
  EXPECT_TRUE(result->blocked_by_low);
  EXPECT_TRUE(result->blocked_by_high);
  EXPECT_EQ(result->acted_by, pair.high);
  EXPECT_EQ(result->dialog_id, "dialog-9");
  EXPECT_EQ(result->updated_at,
            std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000001000)));
}

TEST_F(MongoRelationshipWire, AStaleVersionIsAConflictAndAGoneDocumentNotFound) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const Pair pair = new_pair();
  const std::string id = new_object_id();
  RelationshipChange change{RelationshipStatus::kBlocked, pair.low, true, false};

  auto stale = start(store_->update_relationship(id, 1, change));
  expect_command("findAndModify");
  mock_.reply(R"({"lastErrorObject": {"n": 0, "updatedExisting": false}, "value": null, "ok": 1})");
  BsonPtr read = expect_command("find");
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(utf8_at(read.get(), "find"), "relationships");
  EXPECT_EQ(oid_at(read.get(), "filter._id"), id);
  mock_.reply(relationships_cursor_with(
      relationship_document(id, pair.low, pair.high, "pending", pair.low, 2)));
  auto lost = stale.get();
  ASSERT_FALSE(lost.has_value());
  EXPECT_EQ(lost.error(), StoreError::kConflict);

  auto gone = start(store_->update_relationship(id, 2, change));
  expect_command("findAndModify");
  mock_.reply(R"({"lastErrorObject": {"n": 0, "updatedExisting": false}, "value": null, "ok": 1})");
  expect_command("find");
  mock_.reply(relationships_cursor_with(""));
  auto missing = gone.get();
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error(), StoreError::kNotFound);
}

TEST_F(MongoRelationshipWire, DeletesOnlyTheVersionRead) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const Pair pair = new_pair();
  const std::string id = new_object_id();
  auto deleted = start(store_->delete_relationship(id, 7));
  BsonPtr command = expect_command("delete");
  ASSERT_NE(command, nullptr);
  EXPECT_EQ(utf8_at(command.get(), "delete"), "relationships");
  EXPECT_EQ(keys_at(command.get(), "deletes.0.q"), (std::vector<std::string>{"_id", "version"}));
  EXPECT_EQ(oid_at(command.get(), "deletes.0.q._id"), id);
  EXPECT_EQ(number_at(command.get(), "deletes.0.q.version"), 7);
  EXPECT_EQ(number_at(command.get(), "deletes.0.limit"), 1);
  mock_.reply(R"({"n": 0, "ok": 1})");
  expect_command("find");
  mock_.reply(relationships_cursor_with(
      relationship_document(id, pair.low, pair.high, "friends", pair.low, 8)));
  auto result = deleted.get();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error(), StoreError::kConflict);
}

TEST_F(MongoRelationshipWire, RecordsADialogOnlyOnAFriendshipWithoutOne) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const Pair pair = new_pair();
  const std::string id = new_object_id();
  auto recorded = start(store_->set_relationship_dialog(id, "dialog-2"));
  BsonPtr modify = expect_command("findAndModify");
  ASSERT_NE(modify, nullptr);
  EXPECT_EQ(keys_at(modify.get(), "query"),
            (std::vector<std::string>{"_id", "status", "dialogId"}));
  EXPECT_EQ(utf8_at(modify.get(), "query.status"), "friends");
  EXPECT_EQ(type_at(modify.get(), "query.dialogId"), BSON_TYPE_NULL);
  EXPECT_EQ(keys_at(modify.get(), "update"), std::vector<std::string>{"$set"});
  EXPECT_EQ(keys_at(modify.get(), "update.$set"), std::vector<std::string>{"dialogId"});
  EXPECT_EQ(utf8_at(modify.get(), "update.$set.dialogId"), "dialog-2");
  // Another caller recorded one first: that one is the answer.
  mock_.reply(R"({"lastErrorObject": {"n": 0, "updatedExisting": false}, "value": null, "ok": 1})");
  expect_command("find");
  mock_.reply(relationships_cursor_with(relationship_document(
      id, pair.low, pair.high, "friends", pair.low, 2, R"(, "dialogId": "dialog-1")")));
  auto result = recorded.get();
  ASSERT_TRUE(result.has_value()) << to_string(result.error());
  EXPECT_EQ(result->dialog_id, "dialog-1");
}

TEST_F(MongoRelationshipWire, ListsEitherSideOfThePairsAfterTheCursorInIdOrder) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const std::string me = new_object_id();
  const std::string after = new_object_id();
  RelationshipQuery query{me, RelationshipView::kIncoming, after, 2};
  auto listed = start(store_->list_relationships(query));
  BsonPtr find = expect_command("find");
  ASSERT_NE(find, nullptr);
  EXPECT_EQ(utf8_at(find.get(), "find"), "relationships");
  EXPECT_EQ(keys_at(find.get(), "filter"),
            (std::vector<std::string>{"$or", "status", "actedBy", "_id"}));
  EXPECT_EQ(oid_at(find.get(), "filter.$or.0.userLow"), me);
  EXPECT_EQ(oid_at(find.get(), "filter.$or.1.userHigh"), me);
  EXPECT_EQ(utf8_at(find.get(), "filter.status"), "pending");
  EXPECT_EQ(oid_at(find.get(), "filter.actedBy.$ne"), me);
  EXPECT_EQ(oid_at(find.get(), "filter._id.$gt"), after);
  EXPECT_EQ(keys_at(find.get(), "sort"), std::vector<std::string>{"_id"});
  EXPECT_EQ(number_at(find.get(), "limit"), 3);
  std::vector<std::string> ids;
  std::string documents;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(new_object_id());
    const std::string other = new_object_id();
    documents +=
        (i > 0 ? ", " : "") + relationship_document(ids.back(), me, other, "pending", other, 1);
  }
  mock_.reply(relationships_cursor_with(documents));
  auto page = listed.get();
  ASSERT_TRUE(page.has_value()) << to_string(page.error());
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, ids[0]);
  EXPECT_EQ(page->items[1].id, ids[1]);
  EXPECT_EQ(page->next_after_id, ids[1]);

  // Blocked: only those this user blocked, by this side's flag, or in a document
  // older than the flags by actedBy.
  RelationshipQuery blocked{me, RelationshipView::kBlocked, std::nullopt, 5};
  auto listing = start(store_->list_relationships(blocked));
  BsonPtr second = expect_command("find");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(keys_at(second.get(), "filter"), (std::vector<std::string>{"$or", "status"}));
  EXPECT_EQ(utf8_at(second.get(), "filter.status"), "blocked");
  EXPECT_EQ(keys_at(second.get(), "filter.$or.0"), (std::vector<std::string>{"userLow", "$or"}));
  EXPECT_EQ(oid_at(second.get(), "filter.$or.0.userLow"), me);
  EXPECT_TRUE(bool_at(second.get(), "filter.$or.0.$or.0.blockedByLow"));
  EXPECT_FALSE(bool_at(second.get(), "filter.$or.0.$or.1.blockedByLow.$exists"));
  EXPECT_EQ(oid_at(second.get(), "filter.$or.0.$or.1.actedBy"), me);
  EXPECT_EQ(oid_at(second.get(), "filter.$or.1.userHigh"), me);
  EXPECT_TRUE(bool_at(second.get(), "filter.$or.1.$or.0.blockedByHigh"));
  EXPECT_FALSE(bool_at(second.get(), "filter.$or.1.$or.1.blockedByHigh.$exists"));
  EXPECT_EQ(oid_at(second.get(), "filter.$or.1.$or.1.actedBy"), me);
  mock_.reply(relationships_cursor_with(""));
  auto none = listing.get();
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->items.empty());
  EXPECT_EQ(none->next_after_id, std::nullopt);
}

TEST_F(MongoRelationshipWire, ReadsEachSidesBlockAndADocumentOlderThanTheFlagsAsActedBysBlock) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const Pair pair = new_pair();
  const std::string old_id = new_object_id();
  const std::string mutual_id = new_object_id();
  const std::string request_id = new_object_id();
  RelationshipQuery query{pair.high, RelationshipView::kFriends, std::nullopt, 5};
  auto listed = start(store_->list_relationships(query));
  expect_command("find");
  mock_.reply(relationships_cursor_with(
      relationship_document(old_id, pair.low, pair.high, "blocked", pair.high, 2) + ", " +
      relationship_document(mutual_id, pair.low, pair.high, "blocked", pair.low, 3,
                            R"(, "blockedByLow": true, "blockedByHigh": true)") +
      ", " + relationship_document(request_id, pair.low, pair.high, "pending", pair.low, 1)));
  auto page = listed.get();
  ASSERT_TRUE(page.has_value()) << to_string(page.error());
  ASSERT_EQ(page->items.size(), 3u);
  const Relationship& old = page->items[0];  // written before the flags: actedBy's block
  EXPECT_FALSE(old.blocked_by_low);
  EXPECT_TRUE(old.blocked_by_high);
  const Relationship& mutual = page->items[1];
  EXPECT_TRUE(mutual.blocked_by_low);
  EXPECT_TRUE(mutual.blocked_by_high);
  const Relationship& request = page->items[2];
  EXPECT_FALSE(request.blocked_by_low);
  EXPECT_FALSE(request.blocked_by_high);
}

TEST_F(MongoRelationshipWire, ADocumentThisStoreDidNotWriteIsAnInternalError) {
  open_store();
  ASSERT_NE(store_, nullptr);
  const Pair pair = new_pair();
  auto found = start(store_->find_relationship(pair.low, pair.high));
  BsonPtr find = expect_command("find");
  ASSERT_NE(find, nullptr);
  EXPECT_EQ(oid_at(find.get(), "filter.userLow"), pair.low);
  EXPECT_EQ(oid_at(find.get(), "filter.userHigh"), pair.high);
  mock_.reply(relationships_cursor_with(R"({"_id": )" + oid_json(new_object_id()) +
                                        R"(, "status": "maybe"})"));
  auto result = found.get();
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error(), StoreError::kInternal);
}

TEST_F(MongoRelationshipWire, ListsFriendshipsWithoutADialogLeastRecentlyUpdatedFirst) {
  open_store();
  ASSERT_NE(store_, nullptr);
  auto listed = start(store_->list_friendships_without_dialog(10));
  BsonPtr find = expect_command("find");
  ASSERT_NE(find, nullptr);
  EXPECT_EQ(keys_at(find.get(), "filter"), (std::vector<std::string>{"status", "dialogId"}));
  EXPECT_EQ(utf8_at(find.get(), "filter.status"), "friends");
  EXPECT_EQ(type_at(find.get(), "filter.dialogId"), BSON_TYPE_NULL);
  EXPECT_EQ(keys_at(find.get(), "sort"), (std::vector<std::string>{"updatedAt", "_id"}));
  EXPECT_EQ(number_at(find.get(), "limit"), 10);
  const Pair pair = new_pair();
  const std::string id = new_object_id();
  mock_.reply(relationships_cursor_with(
      relationship_document(id, pair.low, pair.high, "friends", pair.low, 2)));
  auto result = listed.get();
  ASSERT_TRUE(result.has_value()) << to_string(result.error());
  ASSERT_EQ(result->size(), 1u);
  EXPECT_EQ(result->front().id, id);
  EXPECT_EQ(result->front().dialog_id, std::nullopt);
}

}  // namespace
}  // namespace cubeauth::store::testing
