// Double-quoted string literals, shared by the GraphQL printer (graphql-js printString) and the
// JSON response writer (JSON.stringify): both escape the same way apart from two details.
#pragma once

#include <string>
#include <string_view>

namespace cubeauth::graphql {

enum class QuoteStyle {
  kJson,     // JSON.stringify: other control characters below U+0020 as \u00xx (lowercase)
  kGraphql,  // graphql-js printString: those and U+007F as \u00XX (uppercase)
};

/// Appends `text` between double quotes, escaping `"`, `\`, \b \f \n \r \t and the other
/// control characters the style names.
void append_quoted_string(std::string_view text, QuoteStyle style, std::string& out);

}  // namespace cubeauth::graphql
