// Prints a schema back to SDL the way graphql-js printSchema() does (built-in scalars,
// built-in directives and introspection types left out).
#pragma once

#include <string>

namespace cubeauth::graphql {

class Schema;

std::string print_schema(const Schema& schema);

}  // namespace cubeauth::graphql
