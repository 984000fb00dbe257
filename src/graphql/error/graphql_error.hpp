// A GraphQL error as clients see it: graphql-js's shape {message, locations, path, extensions}
// (src/error/GraphQLError.ts). Used by the parser, validation and execution alike.
#pragma once

#include "graphql/language/ast.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

namespace cubeauth::graphql {

/// One step of a response path: a response key or a list index.
using PathSegment = std::variant<std::string, std::size_t>;

struct GraphQLError {
  std::string message;
  std::vector<ast::Location> locations;  // empty: no "locations" entry
  std::vector<PathSegment> path;         // empty: no "path" entry
  boost::json::object extensions;        // empty: no "extensions" entry

  /// Shorthand for the common case: one message at one location.
  static GraphQLError at(std::string message, ast::Location location) {
    GraphQLError error;
    error.message = std::move(message);
    error.locations.push_back(location);
    return error;
  }
};

/// Writes `error` as graphql-js does: {"message", "locations", "path", "extensions"} in that
/// order, leaving out empty members.
boost::json::object to_json(const GraphQLError& error);

}  // namespace cubeauth::graphql
