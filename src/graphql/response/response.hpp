// The result of a GraphQL request as a value (spec 7.1), apart from its JSON text
// (response/write_response.hpp).
#pragma once

#include <boost/json/value.hpp>
#include <memory>
#include <vector>

#include "graphql/error/graphql_error.hpp"

namespace cubeauth::graphql {

struct Response {
  /// Absent (null) when the request failed before execution (syntax, validation, variables);
  /// JSON null when a non-null error reached the root. Immutable and shared: the pointer owns
  /// the memory the value lives in (an executed response's arena, freed at once with its last
  /// owner), so copies of the Response, and remembered answers, share one value without
  /// copying it. To keep a copy of your own: `json::value mine(*response.data,
  /// json::storage_ptr())`.
  std::shared_ptr<const boost::json::value> data;
  std::vector<GraphQLError> errors;
};

}  // namespace cubeauth::graphql
