// Answers of operations that read nothing but the schema: queries whose root selects only
// __schema, __type and __typename (a client or the playground fetching the schema). Such an
// answer depends only on the schema, the document, the operation name and the variables (which
// may steer @skip/@include or arguments), so the Service remembers a few per prepared document
// and answers a repeat with the same (shared, immutable) data instead of an execution.
#pragma once

#include "graphql/response/response.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cubeauth::graphql::ast {
struct Document;
}

namespace cubeauth::graphql {

/// True when every operation of `document` is a query whose root fields, through any
/// fragments, are only __schema, __type and __typename.
bool is_introspection_only(const ast::Document& document);

class IntrospectionAnswers {
 public:
  /// The answer remembered for this operation name and these request variables; its data is
  /// the remembered value itself (shared).
  std::optional<Response> find(std::string_view operation_name,
                               const boost::json::object& variables) const;
  /// Remembers `data` (of an answer without errors), replacing the oldest of a few entries.
  void remember(std::string_view operation_name, const boost::json::object& variables,
                std::shared_ptr<const boost::json::value> data);

 private:
  struct Entry {
    std::string operation_name;
    boost::json::object variables;
    std::shared_ptr<const boost::json::value> data;
  };
  static constexpr std::size_t kCapacity = 4;

  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<const Entry>> entries_;  // oldest first
};

}  // namespace cubeauth::graphql
