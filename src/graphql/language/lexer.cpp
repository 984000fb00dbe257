#include "graphql/language/lexer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace cubeauth::graphql {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_continue(char c) { return is_name_start(c) || is_digit(c); }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool is_scalar_value(char32_t code) {
  return code <= 0xD7FF || (code >= 0xE000 && code <= 0x10FFFF);
}

void append_utf8(std::string& out, char32_t code) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

// Spec 2.9.4 BlockStringValue(): dedent the lines and drop blank leading/trailing lines.
std::string dedent_block_string(const std::vector<std::string>& lines) {
  std::size_t common_indent = std::string::npos;
  std::ptrdiff_t first_non_empty = -1;
  std::ptrdiff_t last_non_empty = -1;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    std::size_t indent = 0;
    while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) {
      ++indent;
    }
    if (indent == line.size()) {
      continue;
    }
    if (first_non_empty < 0) {
      first_non_empty = static_cast<std::ptrdiff_t>(i);
    }
    last_non_empty = static_cast<std::ptrdiff_t>(i);
    if (i != 0 && indent < common_indent) {
      common_indent = indent;
    }
  }
  std::string out;
  if (first_non_empty < 0) {
    return out;
  }
  for (auto i = first_non_empty; i <= last_non_empty; ++i) {
    const std::string& line = lines[static_cast<std::size_t>(i)];
    if (i != first_non_empty) {
      out.push_back('\n');
    }
    if (i == 0 || common_indent == std::string::npos) {
      out += line;
    } else {
      out.append(line, std::min(common_indent, line.size()));
    }
  }
  return out;
}

}  // namespace

std::string token_kind_description(TokenKind kind) {
  switch (kind) {
    case TokenKind::kSof:
      return "<SOF>";
    case TokenKind::kEof:
      return "<EOF>";
    case TokenKind::kBang:
      return "\"!\"";
    case TokenKind::kDollar:
      return "\"$\"";
    case TokenKind::kAmp:
      return "\"&\"";
    case TokenKind::kParenL:
      return "\"(\"";
    case TokenKind::kParenR:
      return "\")\"";
    case TokenKind::kSpread:
      return "\"...\"";
    case TokenKind::kColon:
      return "\":\"";
    case TokenKind::kEquals:
      return "\"=\"";
    case TokenKind::kAt:
      return "\"@\"";
    case TokenKind::kBracketL:
      return "\"[\"";
    case TokenKind::kBracketR:
      return "\"]\"";
    case TokenKind::kBraceL:
      return "\"{\"";
    case TokenKind::kPipe:
      return "\"|\"";
    case TokenKind::kBraceR:
      return "\"}\"";
    case TokenKind::kName:
      return "Name";
    case TokenKind::kInt:
      return "Int";
    case TokenKind::kFloat:
      return "Float";
    case TokenKind::kString:
      return "String";
    case TokenKind::kBlockString:
      return "BlockString";
  }
  return "<EOF>";
}

std::string token_description(const Token& token) {
  std::string out = token_kind_description(token.kind);
  switch (token.kind) {
    case TokenKind::kName:
    case TokenKind::kInt:
    case TokenKind::kFloat:
    case TokenKind::kString:
    case TokenKind::kBlockString:
      out += " \"";
      out += token.value();
      out += '"';
      break;
    default:
      break;
  }
  return out;
}

void Lexer::fail(std::size_t position, std::string_view description) {
  throw SyntaxErrorException{
      GraphQLError::at(fmt::format("Syntax Error: {}", description), location_at(position))};
}

void Lexer::new_line(std::size_t next_line_start) {
  ++line_;
  line_start_ = next_line_start;
  column_cache_position_ = next_line_start;
  column_cache_value_ = 1;
}

ast::Location Lexer::location_at(std::size_t position) {
  if (position < column_cache_position_ || column_cache_position_ < line_start_) {
    column_cache_position_ = line_start_;
    column_cache_value_ = 1;
  }
  std::size_t p = column_cache_position_;
  std::uint32_t column = column_cache_value_;
  const std::size_t end = std::min(position, source_.size());
  while (p < end) {
    auto byte = static_cast<unsigned char>(source_[p]);
    if ((byte & 0xC0) != 0x80) {
      column += (byte >= 0xF0) ? 2 : 1;  // 4-byte sequences are surrogate pairs in UTF-16
    }
    ++p;
  }
  column += static_cast<std::uint32_t>(position > end ? position - end : 0);
  column_cache_position_ = end;
  column_cache_value_ = column - static_cast<std::uint32_t>(position > end ? position - end : 0);
  return {line_, column};
}

std::size_t Lexer::decode_utf8(std::size_t position, char32_t& code_point) const {
  auto at = [&](std::size_t i) { return static_cast<unsigned char>(source_[i]); };
  const unsigned char lead = at(position);
  std::size_t length = 0;
  char32_t code = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code = lead & 0x07;
  } else {
    return 0;
  }
  if (position + length > source_.size()) {
    return 0;
  }
  for (std::size_t i = 1; i < length; ++i) {
    if ((at(position + i) & 0xC0) != 0x80) {
      return 0;
    }
    code = (code << 6) | (at(position + i) & 0x3F);
  }
  static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kMinimum[length] || !is_scalar_value(code)) {
    return 0;
  }
  code_point = code;
  return length;
}

// graphql-js printCodePointAt: "x" for printable ASCII, U+XXXX otherwise, <EOF> past the end.
std::string Lexer::describe_code_point_at(std::size_t position) const {
  if (position >= source_.size()) {
    return "<EOF>";
  }
  char32_t code = 0;
  if (decode_utf8(position, code) == 0) {
    code = 0xFFFD;
  }
  if (code >= 0x20 && code <= 0x7E) {
    return code == '"' ? std::string("'\"'") : fmt::format("\"{}\"", static_cast<char>(code));
  }
  return fmt::format("U+{:04X}", static_cast<std::uint32_t>(code));
}

Token Lexer::make(TokenKind kind, std::size_t start, std::size_t end) {
  Token token;
  token.kind = kind;
  token.start = start;
  token.end = end;
  token.loc = location_at(start);
  position_ = end;
  return token;
}

Token Lexer::next() {
  const std::size_t size = source_.size();
  std::size_t p = position_;
  while (p < size) {
    const char c = source_[p];
    switch (c) {
      // Ignored tokens (spec 2.1.2 - 2.1.7): BOM, white space, line terminators, commas, comments.
      case '\t':
      case ' ':
      case ',':
        ++p;
        continue;
      case '\n':
        ++p;
        new_line(p);
        continue;
      case '\r':
        p += (p + 1 < size && source_[p + 1] == '\n') ? 2 : 1;
        new_line(p);
        continue;
      case '#':
        while (p < size && source_[p] != '\n' && source_[p] != '\r') {
          ++p;
        }
        continue;
      case '!':
        return make(TokenKind::kBang, p, p + 1);
      case '$':
        return make(TokenKind::kDollar, p, p + 1);
      case '&':
        return make(TokenKind::kAmp, p, p + 1);
      case '(':
        return make(TokenKind::kParenL, p, p + 1);
      case ')':
        return make(TokenKind::kParenR, p, p + 1);
      case '.':
        if (p + 2 < size && source_[p + 1] == '.' && source_[p + 2] == '.') {
          return make(TokenKind::kSpread, p, p + 3);
        }
        break;
      case ':':
        return make(TokenKind::kColon, p, p + 1);
      case '=':
        return make(TokenKind::kEquals, p, p + 1);
      case '@':
        return make(TokenKind::kAt, p, p + 1);
      case '[':
        return make(TokenKind::kBracketL, p, p + 1);
      case ']':
        return make(TokenKind::kBracketR, p, p + 1);
      case '{':
        return make(TokenKind::kBraceL, p, p + 1);
      case '|':
        return make(TokenKind::kPipe, p, p + 1);
      case '}':
        return make(TokenKind::kBraceR, p, p + 1);
      case '"':
        if (p + 2 < size && source_[p + 1] == '"' && source_[p + 2] == '"') {
          return read_block_string(p);
        }
        return read_string(p);
      default:
        break;
    }
    if (is_digit(c) || c == '-') {
      return read_number(p);
    }
    if (is_name_start(c)) {
      return read_name(p);
    }
    if (static_cast<unsigned char>(c) == 0xEF && p + 2 < size &&
        static_cast<unsigned char>(source_[p + 1]) == 0xBB &&
        static_cast<unsigned char>(source_[p + 2]) == 0xBF) {
      p += 3;  // byte order mark U+FEFF
      continue;
    }
    position_ = p;
    if (c == '\'') {
      fail(p,
           "Unexpected single quote character ('), did you mean to use a double quote (\")?");
    }
    char32_t code = 0;
    if (decode_utf8(p, code) == 0) {
      fail(p, fmt::format("Invalid character: {}.", describe_code_point_at(p)));
    }
    fail(p, fmt::format("Unexpected character: {}.", describe_code_point_at(p)));
  }
  return make(TokenKind::kEof, size, size);
}

Token Lexer::read_name(std::size_t start) {
  std::size_t p = start + 1;
  while (p < source_.size() && is_name_continue(source_[p])) {
    ++p;
  }
  Token token = make(TokenKind::kName, start, p);
  token.raw = source_.substr(start, p - start);
  return token;
}

std::size_t Lexer::read_digits(std::size_t position) {
  if (position >= source_.size() || !is_digit(source_[position])) {
    fail(position,
         fmt::format("Invalid number, expected digit but got: {}.", describe_code_point_at(position)));
  }
  while (position < source_.size() && is_digit(source_[position])) {
    ++position;
  }
  return position;
}

// Spec 2.9.1 IntValue and 2.9.2 FloatValue.
Token Lexer::read_number(std::size_t start) {
  const std::size_t size = source_.size();
  std::size_t p = start;
  bool is_float = false;
  if (source_[p] == '-') {
    ++p;
  }
  if (p < size && source_[p] == '0') {
    ++p;
    if (p < size && is_digit(source_[p])) {
      fail(p, fmt::format("Invalid number, unexpected digit after 0: {}.",
                          describe_code_point_at(p)));
    }
  } else {
    p = read_digits(p);
  }
  if (p < size && source_[p] == '.') {
    is_float = true;
    p = read_digits(p + 1);
  }
  if (p < size && (source_[p] == 'e' || source_[p] == 'E')) {
    is_float = true;
    ++p;
    if (p < size && (source_[p] == '+' || source_[p] == '-')) {
      ++p;
    }
    p = read_digits(p);
  }
  if (p < size && (source_[p] == '.' || is_name_start(source_[p]))) {
    fail(p,
         fmt::format("Invalid number, expected digit but got: {}.", describe_code_point_at(p)));
  }
  Token token = make(is_float ? TokenKind::kFloat : TokenKind::kInt, start, p);
  token.raw = source_.substr(start, p - start);
  return token;
}

// Reads the escape sequence at `position` (a backslash) into `out`; returns its length.
std::size_t Lexer::read_escape(std::size_t position, std::string& out) {
  const std::size_t size = source_.size();
  const char kind = position + 1 < size ? source_[position + 1] : '\0';
  switch (kind) {
    case '"':
      out.push_back('"');
      return 2;
    case '\\':
      out.push_back('\\');
      return 2;
    case '/':
      out.push_back('/');
      return 2;
    case 'b':
      out.push_back('\b');
      return 2;
    case 'f':
      out.push_back('\f');
      return 2;
    case 'n':
      out.push_back('\n');
      return 2;
    case 'r':
      out.push_back('\r');
      return 2;
    case 't':
      out.push_back('\t');
      return 2;
    case 'u':
      break;
    default:
      fail(position, fmt::format("Invalid character escape sequence: \"{}\".",
                                 source_.substr(position, position + 1 < size ? 2 : 1)));
  }
  if (position + 2 < size && source_[position + 2] == '{') {
    // \u{XXXXXX}: variable width, any Unicode scalar value.
    std::uint64_t point = 0;
    std::size_t length = 3;
    while (length < 12) {
      const std::size_t at = position + length++;
      const char c = at < size ? source_[at] : '\0';
      if (c == '}') {
        if (length < 5 || point > 0x10FFFF || !is_scalar_value(static_cast<char32_t>(point))) {
          break;
        }
        append_utf8(out, static_cast<char32_t>(point));
        return length;
      }
      const int digit = hex_digit(c);
      if (digit < 0) {
        break;
      }
      point = (point << 4) | static_cast<std::uint64_t>(digit);
      if (point > 0x7FFFFFFF) {
        break;  // graphql-js reads into a 32-bit signed integer
      }
    }
    fail(position, fmt::format("Invalid Unicode escape sequence: \"{}\".",
                               source_.substr(position, std::min(length, size - position))));
  }
  auto read_hex4 = [&](std::size_t at) -> int {
    if (at + 4 > size) {
      return -1;
    }
    int value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const int digit = hex_digit(source_[at + i]);
      if (digit < 0) {
        return -1;
      }
      value = (value << 4) | digit;
    }
    return value;
  };
  const int code = read_hex4(position + 2);
  if (code >= 0) {
    const auto unit = static_cast<char32_t>(code);
    if (is_scalar_value(unit)) {
      append_utf8(out, unit);
      return 6;
    }
    // A leading surrogate must be followed by an escaped trailing one (spec 2.9.4).
    if (unit >= 0xD800 && unit <= 0xDBFF && position + 7 < size && source_[position + 6] == '\\' &&
        source_[position + 7] == 'u') {
      const int trailing = read_hex4(position + 8);
      if (trailing >= 0xDC00 && trailing <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) +
                             (static_cast<char32_t>(trailing) - 0xDC00));
        return 12;
      }
    }
  }
  fail(position, fmt::format("Invalid Unicode escape sequence: \"{}\".",
                             source_.substr(position, std::min<std::size_t>(6, size - position))));
}

// Spec 2.9.4 StringValue (single-quoted form).
Token Lexer::read_string(std::size_t start) {
  const std::size_t size = source_.size();
  std::size_t p = start + 1;
  std::size_t chunk_start = p;
  std::string value;
  while (p < size) {
    const char c = source_[p];
    if (c == '"') {
      value.append(source_.data() + chunk_start, p - chunk_start);
      Token token = make(TokenKind::kString, start, p + 1);
      token.string_value = std::move(value);
      return token;
    }
    if (c == '\\') {
      value.append(source_.data() + chunk_start, p - chunk_start);
      p += read_escape(p, value);
      chunk_start = p;
      continue;
    }
    if (c == '\n' || c == '\r') {
      break;
    }
    if (static_cast<unsigned char>(c) < 0x80) {
      ++p;
      continue;
    }
    char32_t code = 0;
    const std::size_t length = decode_utf8(p, code);
    if (length == 0) {
      fail(p, fmt::format("Invalid character within String: {}.", describe_code_point_at(p)));
    }
    p += length;
  }
  fail(p, "Unterminated string.");
}

// Spec 2.9.4 StringValue (block form): raw text, only \""" is escaped.
Token Lexer::read_block_string(std::size_t start) {
  const std::size_t size = source_.size();
  const ast::Location start_location = location_at(start);
  std::size_t p = start + 3;
  std::size_t chunk_start = p;
  std::string current;
  std::vector<std::string> lines;
  while (p < size) {
    const char c = source_[p];
    if (c == '"' && p + 2 < size && source_[p + 1] == '"' && source_[p + 2] == '"') {
      current.append(source_.data() + chunk_start, p - chunk_start);
      lines.push_back(std::move(current));
      Token token;
      token.kind = TokenKind::kBlockString;
      token.start = start;
      token.end = p + 3;
      token.loc = start_location;
      token.string_value = dedent_block_string(lines);
      position_ = p + 3;
      return token;
    }
    if (c == '\\' && p + 3 < size && source_[p + 1] == '"' && source_[p + 2] == '"' &&
        source_[p + 3] == '"') {
      current.append(source_.data() + chunk_start, p - chunk_start);
      current += "\"\"\"";
      p += 4;
      chunk_start = p;
      continue;
    }
    if (c == '\n' || c == '\r') {
      current.append(source_.data() + chunk_start, p - chunk_start);
      lines.push_back(std::move(current));
      current.clear();
      p += (c == '\r' && p + 1 < size && source_[p + 1] == '\n') ? 2 : 1;
      new_line(p);
      chunk_start = p;
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x80) {
      ++p;
      continue;
    }
    char32_t code = 0;
    const std::size_t length = decode_utf8(p, code);
    if (length == 0) {
      fail(p, fmt::format("Invalid character within String: {}.", describe_code_point_at(p)));
    }
    p += length;
  }
  fail(p, "Unterminated string.");
}

}  // namespace cubeauth::graphql
