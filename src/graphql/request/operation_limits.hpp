// Measures an executable document's operations (depth, field count, alias count, fragments
// expanded) against RequestLimits. Run after validation, which rules out fragment cycles.
#pragma once

#include "graphql/error/graphql_error.hpp"
#include "graphql/language/ast.hpp"
#include "graphql/request/limits.hpp"

#include <cstddef>
#include <vector>

namespace cubeauth::graphql {

struct OperationCost {
  std::size_t depth = 0;
  std::size_t fields = 0;
  std::size_t aliases = 0;
};

/// The cost of every operation of `document`, in document order.
std::vector<OperationCost> measure_operations(const ast::Document& document);

/// One error per exceeded limit per operation; extensions.code "QUERY_LIMIT_EXCEEDED".
std::vector<GraphQLError> check_operation_limits(const ast::Document& document,
                                                 const RequestLimits& limits);

}  // namespace cubeauth::graphql
