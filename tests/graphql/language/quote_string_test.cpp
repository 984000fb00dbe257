#include "graphql/language/quote_string.hpp"

#include <gtest/gtest.h>

namespace cubeauth::graphql {
namespace {

std::string quoted(std::string_view text, QuoteStyle style) {
  std::string out = "x=";  // appends, never replaces
  append_quoted_string(text, style, out);
  return out;
}

TEST(QuoteString, EscapesQuotesBackslashesAndShortFormsInBothStyles) {
  for (QuoteStyle style : {QuoteStyle::kJson, QuoteStyle::kGraphql}) {
    EXPECT_EQ(quoted("a\"b\\c\b\f\n\r\td", style), R"(x="a\"b\\c\b\f\n\r\td")");
    EXPECT_EQ(quoted("", style), R"(x="")");
    EXPECT_EQ(quoted("h\xC3\xA9llo \xF0\x9F\x98\x80", style), "x=\"h\xC3\xA9llo \xF0\x9F\x98\x80\"");
  }
}

TEST(QuoteString, WritesOtherControlCharactersLikeJsonStringify) {
  EXPECT_EQ(quoted(std::string_view("\x01\x1F\x7F\x00", 4), QuoteStyle::kJson),
            "x=\"\\u0001\\u001f\x7F\\u0000\"");
}

TEST(QuoteString, WritesOtherControlCharactersLikeGraphqlJsPrintString) {
  EXPECT_EQ(quoted(std::string_view("\x01\x1F\x7F\x00", 4), QuoteStyle::kGraphql),
            R"(x="\u0001\u001F\u007F\u0000")");
}

}  // namespace
}  // namespace cubeauth::graphql
