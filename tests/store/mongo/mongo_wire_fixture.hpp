// The MongoDB store's wire-test fixture (tests/store/mongo/*_wire_test.cpp): reads
// the commands a store sends to mock_mongo.py, field by field, and answers them.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/mongo/mock_mongo.hpp"
#include "store/mongo/mongo_user_store.hpp"
#include "store/run_sync.hpp"

namespace cubeauth::store::testing {

inline constexpr const char* kDatabase = "cubeauth_wire";

/// The element at a dotted path ("documents.0.email"), or nullopt.
inline std::optional<bson_iter_t> at(const bson_t* document, const char* path) {
  bson_iter_t it;
  bson_iter_t found;
  if (document != nullptr && bson_iter_init(&it, document) &&
      bson_iter_find_descendant(&it, path, &found)) {
    return found;
  }
  return std::nullopt;
}

inline bson_type_t type_at(const bson_t* document, const char* path) {
  auto it = at(document, path);
  return it ? bson_iter_type(&*it) : BSON_TYPE_EOD;
}

inline std::string utf8_at(const bson_t* document, const char* path) {
  auto it = at(document, path);
  return it && BSON_ITER_HOLDS_UTF8(&*it) ? bson_iter_utf8(&*it, nullptr) : "<not a string>";
}

inline std::int64_t number_at(const bson_t* document, const char* path) {
  auto it = at(document, path);
  return it ? bson_iter_as_int64(&*it) : -1;
}

inline bool bool_at(const bson_t* document, const char* path) {
  auto it = at(document, path);
  return it && BSON_ITER_HOLDS_BOOL(&*it) && bson_iter_bool(&*it);
}

inline std::int64_t date_at(const bson_t* document, const char* path) {
  auto it = at(document, path);
  return it && BSON_ITER_HOLDS_DATE_TIME(&*it) ? bson_iter_date_time(&*it) : -1;
}

inline std::string oid_at(const bson_t* document, const char* path) {
  auto it = at(document, path);
  if (!it || !BSON_ITER_HOLDS_OID(&*it)) {
    return "<not an ObjectId>";
  }
  char hex[25];
  bson_oid_to_string(bson_iter_oid(&*it), hex);
  return hex;
}

/// The keys of the document at `path` ("" for the top level), in order.
inline std::vector<std::string> keys_at(const bson_t* document, const char* path) {
  bson_iter_t it;
  bson_iter_t child;
  std::vector<std::string> keys;
  if (*path == '\0') {
    bson_iter_init(&it, document);
  } else {
    auto found = at(document, path);
    if (!found || !bson_iter_recurse(&*found, &it)) {
      return keys;
    }
  }
  (void)child;
  while (bson_iter_next(&it)) {
    keys.emplace_back(bson_iter_key(&it));
  }
  return keys;
}

inline std::string command_name(const bson_t* document) {
  auto keys = keys_at(document, "");
  return keys.empty() ? "" : keys.front();
}

inline std::string empty_cursor() {
  return std::string(R"({"cursor": {"id": {"$numberLong": "0"}, "ns": ")") + kDatabase +
         R"(.users", "firstBatch": []}, "ok": 1})";
}

inline std::string cursor_with(const std::string& document) {
  return std::string(R"({"cursor": {"id": {"$numberLong": "0"}, "ns": ")") + kDatabase +
         R"(.users", "firstBatch": [)" + document + R"(]}, "ok": 1})";
}

/// A document as the old server wrote it.
inline std::string old_server_document(const std::string& id, const std::string& email,
                                       const std::string& extra = "") {
  return R"({"_id": {"$oid": ")" + id + R"("}, "firstName": "Ada", "lastName": "Lovelace",)" +
         R"( "email": ")" + email + R"(", "password": "$2b$10$hash")" + extra + "}";
}

class MongoWire : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(mock_.port(), 0) << mock_.error(); }

  /// Opens the store; it sends createIndexes at start, answered with `reply`.
  BsonPtr open_store(const std::string& reply = R"({"createdCollectionAutomatically": true,)"
                                                R"( "numIndexesBefore": 1, "numIndexesAfter": 2,)"
                                                R"( "ok": 1})") {
    MongoOptions options;
    options.uri = mock_.uri(kDatabase) + "&socketTimeoutMS=5000";
    options.threads = 2;
    auto opening = std::async(std::launch::async, [options] { return open_mongo_store(options); });
    BsonPtr create_indexes = mock_.next_command();
    if (create_indexes) {
      mock_.reply(reply);
      // Then the refresh tokens' indexes.
      token_indexes_ = mock_.next_command();
      if (token_indexes_) {
        mock_.reply(R"({"numIndexesBefore": 1, "numIndexesAfter": 4, "ok": 1})");
        // Then the relationships' indexes.
        relationship_indexes_ = mock_.next_command();
        if (relationship_indexes_) {
          mock_.reply(R"({"numIndexesBefore": 1, "numIndexesAfter": 5, "ok": 1})");
        }
      }
    }
    auto opened = opening.get();
    EXPECT_TRUE(opened.has_value()) << opened.error();
    if (opened) {
      store_ = std::move(*opened);
    }
    return create_indexes;
  }

  template <class T>
  static std::future<T> start(boost::asio::awaitable<T> call) {
    return std::async(std::launch::async,
                      [call = std::move(call)]() mutable { return run_sync(std::move(call)); });
  }

  BsonPtr expect_command(const std::string& name) {
    BsonPtr command = mock_.next_command();
    EXPECT_NE(command, nullptr) << "expected " << name << ": " << mock_.error();
    if (command) {
      EXPECT_EQ(command_name(command.get()), name);
      EXPECT_EQ(utf8_at(command.get(), "$db"), kDatabase);
    }
    return command;
  }

  BsonPtr token_indexes_;
  BsonPtr relationship_indexes_;
  // Declared before mock_: the mock stops first, so no call can hang the store.
  std::unique_ptr<UserStore> store_;
  MockMongo mock_;
};

/// A date in extended JSON.
inline std::string date_json(std::int64_t millis) {
  return R"({"$date": {"$numberLong": ")" + std::to_string(millis) + R"("}})";
}

}  // namespace cubeauth::store::testing
