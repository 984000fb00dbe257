// The GraphQL lexer (spec 2.1): turns source text into tokens, skipping ignored tokens,
// decoding strings and block strings. Errors use graphql-js wording and locations.
#pragma once

#include "graphql/error/graphql_error.hpp"
#include "graphql/language/token.hpp"

#include <cstddef>
#include <string_view>

namespace cubeauth::graphql {

/// Thrown by the lexer and parser internally; parse() turns it into a Result.
struct SyntaxErrorException {
  GraphQLError error;
};

class Lexer {
 public:
  explicit Lexer(std::string_view source) : source_(source) {}

  /// Reads the next significant token (after the start-of-file token, the first one).
  /// Throws SyntaxErrorException.
  Token next();

  /// The location of a byte offset at or after the last token read.
  ast::Location location_at(std::size_t position);

  /// A syntax error ("Syntax Error: " + description) at a byte offset.
  [[noreturn]] void fail(std::size_t position, std::string_view description);

 private:
  Token make(TokenKind kind, std::size_t start, std::size_t end);
  Token read_name(std::size_t start);
  Token read_number(std::size_t start);
  Token read_string(std::size_t start);
  Token read_block_string(std::size_t start);
  std::size_t read_digits(std::size_t position);
  std::size_t read_escape(std::size_t position, std::string& out);
  void new_line(std::size_t next_line_start);
  std::string describe_code_point_at(std::size_t position) const;
  /// Decodes the UTF-8 sequence at `position`; returns its length, 0 if invalid.
  std::size_t decode_utf8(std::size_t position, char32_t& code_point) const;

  std::string_view source_;
  std::size_t position_ = 0;
  std::uint32_t line_ = 1;
  std::size_t line_start_ = 0;
  // Column cache: columns are counted in UTF-16 units from line_start_.
  std::size_t column_cache_position_ = 0;
  std::uint32_t column_cache_value_ = 1;
};

}  // namespace cubeauth::graphql
