// Drives tests/store/mongo/mock_mongo.py (python3-mockupdb): a MongoDB server on
// a loopback port whose every command the test reads and answers by hand.
#pragma once

#include <bson/bson.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>

namespace cubeauth::store::testing {

/// A parsed command; owns its bson_t. (Not a unique_ptr: bson_t's alignment
/// attribute makes g++ warn about it as a template argument.)
class BsonPtr {
 public:
  BsonPtr() = default;
  BsonPtr(std::nullptr_t) {}
  explicit BsonPtr(bson_t* document) : document_(document) {}
  BsonPtr(BsonPtr&& other) noexcept : document_(std::exchange(other.document_, nullptr)) {}
  BsonPtr& operator=(BsonPtr&& other) noexcept {
    std::swap(document_, other.document_);
    return *this;
  }
  ~BsonPtr() {
    if (document_ != nullptr) {
      bson_destroy(document_);
    }
  }
  bson_t* get() const { return document_; }
  explicit operator bool() const { return document_ != nullptr; }
  friend bool operator==(const BsonPtr& p, std::nullptr_t) { return p.document_ == nullptr; }

 private:
  bson_t* document_ = nullptr;
};

class MockMongo {
 public:
  /// Starts the script; port() is 0 and error() says why when it could not.
  MockMongo();
  MockMongo(const MockMongo&) = delete;
  MockMongo& operator=(const MockMongo&) = delete;
  ~MockMongo();

  unsigned short port() const { return port_; }
  const std::string& error() const { return error_; }
  /// mongodb://127.0.0.1:<port>/<database> with short timeouts for tests.
  std::string uri(const std::string& database) const;

  /// The next command a client sent (handshakes and pings are answered by the
  /// script and never show here); null after `timeout` or if the script died.
  BsonPtr next_command(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// Answers the command last returned, with a document in extended JSON.
  void reply(const std::string& extended_json);
  /// Closes that command's connection without answering.
  void hang_up();

 private:
  bool read_line(std::string& line, std::chrono::milliseconds timeout);
  void send(const std::string& line);

  int pid_ = -1;
  int to_script_ = -1;
  int from_script_ = -1;
  std::string buffer_;
  unsigned short port_ = 0;
  std::string error_;
};

}  // namespace cubeauth::store::testing
