// The GraphQL parser (spec 2, appendix B): source text to ast::Document, for executable and
// type-system documents alike. Recursive descent with a nesting limit, so hostile input
// (100,000 nested brackets) ends in a syntax error instead of a stack overflow.
#pragma once

#include "common/result.hpp"
#include "graphql/error/graphql_error.hpp"
#include "graphql/language/ast.hpp"

#include <cstddef>
#include <string_view>

namespace cubeauth::graphql {

struct ParseOptions {
  /// Longest accepted source, in bytes.
  std::size_t max_document_bytes = std::size_t{1024} * 1024;
  /// Most tokens accepted (graphql-js `maxTokens`), <EOF> not counted.
  std::size_t max_tokens = 100'000;
  /// Deepest nesting of selection sets, list/object values and list types.
  std::size_t max_depth = 128;

  /// No limits other than the nesting depth: for trusted SDL files.
  static ParseOptions unlimited() {
    ParseOptions options;
    options.max_document_bytes = static_cast<std::size_t>(-1);
    options.max_tokens = static_cast<std::size_t>(-1);
    options.max_depth = 512;
    return options;
  }
};

/// Parses a whole document. Errors read like graphql-js's: "Syntax Error: Expected Name,
/// found <EOF>." with the line and column of the offending token.
Result<ast::Document, GraphQLError> parse(std::string_view source, const ParseOptions& options = {});

/// Parses a single value literal (used for default values given as text, and in tests).
Result<ast::Value, GraphQLError> parse_value(std::string_view source,
                                             const ParseOptions& options = {});

}  // namespace cubeauth::graphql
