#include "graphql/language/printer.hpp"

#include "graphql/language/quote_string.hpp"

#include <vector>

namespace cubeauth::graphql {
namespace {

void print_to(std::string& out, const ast::Value& value);

struct ValuePrinter {
  std::string& out;
  void operator()(const ast::Variable& node) { out += '$' + node.name.value; }
  void operator()(const ast::IntValue& node) { out += node.value; }
  void operator()(const ast::FloatValue& node) { out += node.value; }
  void operator()(const ast::StringValue& node) {
    out += node.block ? print_block_string(node.value) : print_string(node.value);
  }
  void operator()(const ast::BooleanValue& node) { out += node.value ? "true" : "false"; }
  void operator()(const ast::NullValue&) { out += "null"; }
  void operator()(const ast::EnumValue& node) { out += node.value; }
  void operator()(const ast::ListValue& node) {
    out += '[';
    for (std::size_t i = 0; i < node.values.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      print_to(out, node.values[i]);
    }
    out += ']';
  }
  void operator()(const ast::ObjectValue& node) {
    out += '{';
    for (std::size_t i = 0; i < node.fields.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      out += node.fields[i].name.value;
      out += ": ";
      print_to(out, node.fields[i].value);
    }
    out += '}';
  }
};

void print_to(std::string& out, const ast::Value& value) { std::visit(ValuePrinter{out}, value); }

}  // namespace

std::string print(const ast::Value& value) {
  std::string out;
  print_to(out, value);
  return out;
}

std::string print(const ast::Type& type) {
  if (const auto* named = std::get_if<ast::NamedType>(&type)) {
    return named->name.value;
  }
  if (const auto* list = std::get_if<ast::ListType>(&type)) {
    return '[' + print(*list->type) + ']';
  }
  return print(*std::get<ast::NonNullType>(type).type) + '!';
}

std::string print_string(std::string_view value) {
  std::string out;
  append_quoted_string(value, QuoteStyle::kGraphql, out);
  return out;
}

std::string print_block_string(std::string_view value) {
  std::string escaped;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value.compare(i, 3, "\"\"\"") == 0) {
      escaped += "\\\"\"\"";
      i += 2;
    } else {
      escaped += value[i];
    }
  }
  // Split on \r\n, \n, \r to decide the layout, as graphql-js printBlockString.
  std::vector<std::string_view> lines;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] == '\n' || escaped[i] == '\r') {
      lines.emplace_back(escaped.data() + line_start, i - line_start);
      if (escaped[i] == '\r' && i + 1 < escaped.size() && escaped[i + 1] == '\n') {
        ++i;
      }
      line_start = i + 1;
    }
  }
  lines.emplace_back(escaped.data() + line_start, escaped.size() - line_start);
  auto is_white = [](char c) { return c == ' ' || c == '\t'; };
  const bool single_line = lines.size() == 1;
  bool force_leading_newline = lines.size() > 1;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    force_leading_newline = force_leading_newline && (lines[i].empty() || is_white(lines[i][0]));
  }
  const bool trailing_triple_quotes = escaped.ends_with("\\\"\"\"");
  const bool trailing_quote = value.ends_with('"') && !trailing_triple_quotes;
  const bool trailing_slash = value.ends_with('\\');
  const bool force_trailing_newline = trailing_quote || trailing_slash;
  const bool multiple_lines = !single_line || value.size() > 70 || force_trailing_newline ||
                              force_leading_newline || trailing_triple_quotes;
  const bool skip_leading_newline = single_line && !value.empty() && is_white(value[0]);
  std::string out = "\"\"\"";
  if ((multiple_lines && !skip_leading_newline) || force_leading_newline) {
    out += '\n';
  }
  out += escaped;
  if (multiple_lines || force_trailing_newline) {
    out += '\n';
  }
  out += "\"\"\"";
  return out;
}

}  // namespace cubeauth::graphql
