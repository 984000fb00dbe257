#include "graphql/language/quote_string.hpp"

namespace cubeauth::graphql {

void append_quoted_string(std::string_view text, QuoteStyle style, std::string& out) {
  const char* hex = style == QuoteStyle::kJson ? "0123456789abcdef" : "0123456789ABCDEF";
  const bool escape_delete = style == QuoteStyle::kGraphql;
  out += '"';
  std::size_t chunk = 0;  // start of the text not yet appended
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && !(c == 0x7F && escape_delete)) {
      continue;
    }
    out.append(text.data() + chunk, i - chunk);
    chunk = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
  }
  out.append(text.data() + chunk, text.size() - chunk);
  out += '"';
}

}  // namespace cubeauth::graphql
