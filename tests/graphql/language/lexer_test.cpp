#include "graphql/language/lexer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cubeauth::graphql {
namespace {

Token lex_one(std::string_view source) {
  Lexer lexer(source);
  return lexer.next();
}

GraphQLError lex_error(std::string_view source) {
  Lexer lexer(source);
  try {
    while (lexer.next().kind != TokenKind::kEof) {
    }
  } catch (SyntaxErrorException& failure) {
    return failure.error;
  }
  ADD_FAILURE() << "no error for " << source;
  return {};
}

TEST(Lexer, SkipsIgnoredTokensAndTracksLines) {
  Lexer lexer("\xEF\xBB\xBF  # comment\r\n,\t foo\r  bar");
  Token foo = lexer.next();
  EXPECT_EQ(foo.kind, TokenKind::kName);
  EXPECT_EQ(foo.raw, "foo");
  EXPECT_EQ(foo.loc, (ast::Location{2, 4}));
  Token bar = lexer.next();
  EXPECT_EQ(bar.loc, (ast::Location{3, 3}));
  EXPECT_EQ(lexer.next().kind, TokenKind::kEof);
}

TEST(Lexer, CountsColumnsInUtf16Units) {
  Lexer lexer("\"\xF0\x9F\x98\x80\xC3\xA9\" x");
  lexer.next();
  EXPECT_EQ(lexer.next().loc, (ast::Location{1, 7}));
}

TEST(Lexer, ReadsNumbers) {
  EXPECT_EQ(lex_one("-12").kind, TokenKind::kInt);
  EXPECT_EQ(lex_one("0").raw, "0");
  EXPECT_EQ(lex_one("1.5e-3").kind, TokenKind::kFloat);
  EXPECT_EQ(lex_one("2E10").raw, "2E10");
}

TEST(Lexer, RejectsMalformedNumbersLikeGraphqlJs) {
  EXPECT_EQ(lex_error("01").message, "Syntax Error: Invalid number, unexpected digit after 0: \"1\".");
  EXPECT_EQ(lex_error("1.").message, "Syntax Error: Invalid number, expected digit but got: <EOF>.");
  EXPECT_EQ(lex_error("1.2a").message, "Syntax Error: Invalid number, expected digit but got: \"a\".");
  EXPECT_EQ(lex_error("-").message, "Syntax Error: Invalid number, expected digit but got: <EOF>.");
  EXPECT_EQ(lex_error("1.2a").locations[0], (ast::Location{1, 4}));
}

TEST(Lexer, DecodesStringEscapes) {
  EXPECT_EQ(lex_one(R"("a\"\\\/\b\f\n\r\t")").string_value, "a\"\\/\b\f\n\r\t");
  EXPECT_EQ(lex_one(R"("\u00e9")").string_value, "\xC3\xA9");
  EXPECT_EQ(lex_one(R"("\u{1F600}")").string_value, "\xF0\x9F\x98\x80");
  EXPECT_EQ(lex_one(R"("\uD83D\uDE00")").string_value, "\xF0\x9F\x98\x80");
}

TEST(Lexer, RejectsBadEscapesAndUnterminatedStrings) {
  EXPECT_EQ(lex_error(R"("\x")").message, "Syntax Error: Invalid character escape sequence: \"\\x\".");
  EXPECT_EQ(lex_error(R"("\uD83D")").message,
            "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".");
  EXPECT_EQ(lex_error(R"("\u{110000}")").message,
            "Syntax Error: Invalid Unicode escape sequence: \"\\u{110000}\".");
  EXPECT_EQ(lex_error(R"("\u{}")").message, "Syntax Error: Invalid Unicode escape sequence: \"\\u{}\".");
  EXPECT_EQ(lex_error("\"abc").message, "Syntax Error: Unterminated string.");
  EXPECT_EQ(lex_error("\"abc").locations[0], (ast::Location{1, 5}));
  EXPECT_EQ(lex_error("\"a\nb\"").message, "Syntax Error: Unterminated string.");
}

TEST(Lexer, DedentsBlockStrings) {
  Token token = lex_one("\"\"\"\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  \"\"\"");
  EXPECT_EQ(token.kind, TokenKind::kBlockString);
  EXPECT_EQ(token.string_value, "Hello,\n  World!\n\nYours,\n  GraphQL.");
  EXPECT_EQ(lex_one(R"("""a \""" b""")").string_value, "a \"\"\" b");
}

TEST(Lexer, TracksLinesInsideBlockStrings) {
  Lexer lexer("\"\"\"a\nb\r\nc\"\"\" x");
  lexer.next();
  EXPECT_EQ(lexer.next().loc, (ast::Location{3, 6}));
}

TEST(Lexer, DescribesUnexpectedCharacters) {
  EXPECT_EQ(lex_error("?").message, "Syntax Error: Unexpected character: \"?\".");
  EXPECT_EQ(lex_error("\x07").message, "Syntax Error: Unexpected character: U+0007.");
  EXPECT_EQ(lex_error("..").message, "Syntax Error: Unexpected character: \".\".");
  EXPECT_EQ(lex_error("'a'").message,
            "Syntax Error: Unexpected single quote character ('), did you mean to use a double "
            "quote (\")?");
  EXPECT_EQ(lex_error("\xC3\xA9").message, "Syntax Error: Unexpected character: U+00E9.");
}

}  // namespace
}  // namespace cubeauth::graphql
