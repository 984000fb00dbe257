// Decoding of a GraphQL-over-HTTP request ({query, variables, operationName, extensions})
// from JSON text. Knows no HTTP, so that the route and the fuzz target share it.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace cubeauth::api {

/// A decoded GraphQL-over-HTTP request.
struct GraphqlRequest {
  std::string query;
  boost::json::object variables;
  std::string operation_name;
};

/// Deepest JSON nesting accepted in a body or in GET's `variables` (arrays and objects).
inline constexpr std::size_t kMaxJsonDepth = 64;

/// A POST body: a JSON object with a non-empty string `query`, optional object `variables`,
/// string `operationName` and object `extensions` (null counts as absent). Invalid UTF-8,
/// nesting deeper than kMaxJsonDepth and numbers beyond a double's range are refused.
/// Duplicate keys: the last one wins (Boost.JSON, as JavaScript's JSON.parse).
/// The error is a sentence for the client (the route answers 400 BAD_REQUEST).
Result<GraphqlRequest, std::string> decode_graphql_body(std::string_view body);

/// The `variables` query parameter of a GET: a JSON object, `null` or nothing.
Result<boost::json::object, std::string> decode_graphql_variables(std::string_view text);

}  // namespace cubeauth::api
