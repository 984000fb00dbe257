// Lexical tokens of GraphQL (spec 2.1) and their graphql-js descriptions for error messages.
#pragma once

#include "graphql/language/ast.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cubeauth::graphql {

enum class TokenKind : std::uint8_t {
  kSof,
  kEof,
  kBang,
  kDollar,
  kAmp,
  kParenL,
  kParenR,
  kSpread,
  kColon,
  kEquals,
  kAt,
  kBracketL,
  kBracketR,
  kBraceL,
  kPipe,
  kBraceR,
  kName,
  kInt,
  kFloat,
  kString,
  kBlockString,
};

struct Token {
  TokenKind kind = TokenKind::kSof;
  std::size_t start = 0;  // byte offsets into the source
  std::size_t end = 0;
  ast::Location loc;
  std::string_view raw;  // the source text of Name, Int and Float tokens
  std::string string_value;  // the decoded value of String and BlockString tokens

  /// The token's value: raw text, or the decoded string.
  std::string_view value() const {
    return kind == TokenKind::kString || kind == TokenKind::kBlockString
               ? std::string_view(string_value)
               : raw;
  }
};

/// graphql-js getTokenKindDesc: `"{"` for punctuators, `Name` for the others.
std::string token_kind_description(TokenKind kind);
/// graphql-js getTokenDesc: the kind, plus ` "value"` for tokens that carry one.
std::string token_description(const Token& token);

}  // namespace cubeauth::graphql
