// Per-server limits on what one GraphQL request may ask for. Exceeding one is a request
// error with a clear message; documents are measured before any resolver runs.
#pragma once

#include <cstddef>

namespace cubeauth::graphql {

struct RequestLimits {
  /// Longest query text accepted, in bytes.
  std::size_t max_document_bytes = std::size_t{64} * 1024;
  /// Most lexical tokens in the query text (graphql-js maxTokens).
  std::size_t max_tokens = 10'000;
  /// Deepest nesting of field selections in an operation, fragments expanded
  /// (`{ a { b } }` is depth 2). Also bounds the parser's nesting.
  std::size_t max_depth = 24;
  /// Most field selections in an operation, fragments expanded as often as they are spread.
  std::size_t max_fields = 2'000;
  /// Most aliased fields in an operation, fragments expanded.
  std::size_t max_aliases = 100;
  /// Most validation errors reported for one document.
  std::size_t max_validation_errors = 100;
};

}  // namespace cubeauth::graphql
