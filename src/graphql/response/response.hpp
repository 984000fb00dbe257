// The result of a GraphQL request as a value (spec 7.1), apart from its JSON text
// (response/write_response.hpp).
#pragma once

#include "graphql/error/graphql_error.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <vector>

namespace cubeauth::graphql {

struct Response {
  /// Absent when the request failed before execution (syntax, validation, variables);
  /// JSON null when a non-null error reached the root.
  std::optional<boost::json::value> data;
  std::vector<GraphQLError> errors;
};

}  // namespace cubeauth::graphql
