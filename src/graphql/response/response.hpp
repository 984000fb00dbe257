// The result of a GraphQL request as a value (spec 7.1), apart from its JSON text
// (response/write_response.hpp).
#pragma once

#include "graphql/error/graphql_error.hpp"

#include <boost/json/value.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace cubeauth::graphql {

struct Response {
  /// The memory `data` lives in (one arena per response, freed at once; declared first so it
  /// outlives `data`). Copies of the Response share it. To keep the data beyond the Response,
  /// copy it into storage of your own: `json::value mine(*response.data, json::storage_ptr())`.
  std::shared_ptr<void> arena;
  /// Absent when the request failed before execution (syntax, validation, variables);
  /// JSON null when a non-null error reached the root.
  std::optional<boost::json::value> data;
  std::vector<GraphQLError> errors;
};

}  // namespace cubeauth::graphql
