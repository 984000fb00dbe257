// graphql-js assertValidSchema (spec 3, "Type Validation" paragraphs): the checks run on a
// built schema before it is used. Appends one located error per problem.
#pragma once

#include "graphql/error/graphql_error.hpp"
#include "graphql/language/ast.hpp"

#include <vector>

namespace cubeauth::graphql {

class Schema;

void validate_schema(const Schema& schema, const ast::Document& sdl,
                     std::vector<GraphQLError>& errors);

}  // namespace cubeauth::graphql
