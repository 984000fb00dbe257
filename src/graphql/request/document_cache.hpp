// A bounded LRU cache of prepared documents keyed by query text, so a repeated query skips
// parsing, validation and limit checks. Thread-safe; entries are shared, so a request keeps
// its document while the cache evicts it.
#pragma once

#include "graphql/error/graphql_error.hpp"
#include "graphql/execution/execute.hpp"
#include "graphql/language/ast.hpp"
#include "graphql/request/introspection_answers.hpp"

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cubeauth::graphql {

/// A query text after parsing, validation and limit checks.
struct PreparedDocument {
  ast::Document document;
  std::vector<GraphQLError> errors;  // non-empty: the request fails with these
  /// Its fields collected once for every execution (plan_execution); null when not planned.
  std::shared_ptr<const ExecutionPlan> plan;
  /// Reads only the schema (is_introspection_only): answers are remembered in `answers`.
  bool introspection_only = false;
  mutable IntrospectionAnswers answers;
};

class DocumentCache {
 public:
  explicit DocumentCache(std::size_t capacity) : capacity_(capacity) {}

  /// The entry for `text`, now the most recently used; nullptr when absent.
  std::shared_ptr<const PreparedDocument> find(std::string_view text);
  /// Stores `prepared` under `text`, evicting the least recently used entry when full.
  void insert(std::string_view text, std::shared_ptr<const PreparedDocument> prepared);

  std::size_t size() const;
  std::size_t hits() const;
  std::size_t misses() const;

 private:
  struct Entry {
    std::string text;
    std::shared_ptr<const PreparedDocument> prepared;
  };

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;
  std::size_t hits_ = 0;
  std::size_t misses_ = 0;
};

}  // namespace cubeauth::graphql
