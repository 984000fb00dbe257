#include "graphql/validation/detail/literal_check.hpp"

#include "graphql/language/printer.hpp"
#include "graphql/validation/detail/suggestions.hpp"

#include <charconv>
#include <cstdint>

namespace cubeauth::graphql::detail {

namespace {

bool fits_int32(const std::string& text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && value >= INT32_MIN &&
         value <= INT32_MAX;
}

std::optional<std::string> check_enum(const ast::Value& node, const EnumType& type) {
  std::string text = print(node);
  std::vector<std::string_view> names;
  for (const EnumValueDefinition& value : type.values()) {
    names.push_back(value.name);
  }
  std::string hint = did_you_mean(suggestion_list(text, names), "the enum value");
  const auto* literal = std::get_if<ast::EnumValue>(&node);
  if (literal == nullptr) {
    return "Enum \"" + type.name() + "\" cannot represent non-enum value: " + text + "." + hint;
  }
  if (type.value(literal->value) == nullptr) {
    return "Value \"" + text + "\" does not exist in \"" + type.name() + "\" enum." + hint;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_leaf_literal(const ast::Value& node, const NamedType& type) {
  if (const EnumType* enum_type = type.as_enum()) {
    return check_enum(node, *enum_type);
  }
  const ScalarType* scalar = type.as_scalar();
  if (scalar == nullptr || !scalar->is_builtin()) {
    return std::nullopt;
  }
  const std::string& name = type.name();
  bool is_int = std::holds_alternative<ast::IntValue>(node);
  if (name == "Int") {
    if (!is_int) {
      return "Int cannot represent non-integer value: " + print(node);
    }
    const std::string& text = std::get<ast::IntValue>(node).value;
    if (!fits_int32(text)) {
      return "Int cannot represent non 32-bit signed integer value: " + text;
    }
  } else if (name == "Float") {
    if (!is_int && !std::holds_alternative<ast::FloatValue>(node)) {
      return "Float cannot represent non numeric value: " + print(node);
    }
  } else if (name == "String") {
    if (!std::holds_alternative<ast::StringValue>(node)) {
      return "String cannot represent a non string value: " + print(node);
    }
  } else if (name == "Boolean") {
    if (!std::holds_alternative<ast::BooleanValue>(node)) {
      return "Boolean cannot represent a non boolean value: " + print(node);
    }
  } else if (name == "ID") {
    if (!is_int && !std::holds_alternative<ast::StringValue>(node)) {
      return "ID cannot represent a non-string and non-integer value: " + print(node);
    }
  }
  return std::nullopt;
}

}  // namespace cubeauth::graphql::detail
