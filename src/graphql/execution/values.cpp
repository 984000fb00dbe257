#include "graphql/execution/values.hpp"

#include "graphql/language/printer.hpp"
#include "graphql/schema/schema.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <unordered_map>

namespace cubeauth::graphql {
namespace json = boost::json;
namespace {

constexpr std::int64_t kMinInt = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kMaxInt = std::numeric_limits<std::int32_t>::max();

bool is_missing_variable(const ast::Value& node, const json::object* variables) {
  const auto* variable = std::get_if<ast::Variable>(&node);
  return variable != nullptr &&
         (variables == nullptr || variables->find(variable->name.value) == variables->end());
}

// graphql-js valueFromASTUntyped, for custom scalars.
std::optional<json::value> untyped_value(const ast::Value& node, const json::object* variables) {
  struct Visitor {
    const json::object* variables;
    std::optional<json::value> operator()(const ast::Variable& v) const {
      if (variables == nullptr) {
        return std::nullopt;
      }
      auto it = variables->find(v.name.value);
      if (it == variables->end()) {
        return std::nullopt;
      }
      return it->value();
    }
    std::optional<json::value> operator()(const ast::IntValue& v) const {
      std::int64_t number = 0;
      auto [end, ec] = std::from_chars(v.value.data(), v.value.data() + v.value.size(), number);
      if (ec != std::errc()) {
        return json::value(std::strtod(v.value.c_str(), nullptr));
      }
      return json::value(number);
    }
    std::optional<json::value> operator()(const ast::FloatValue& v) const {
      return json::value(std::strtod(v.value.c_str(), nullptr));
    }
    std::optional<json::value> operator()(const ast::StringValue& v) const {
      return json::value(v.value);
    }
    std::optional<json::value> operator()(const ast::BooleanValue& v) const {
      return json::value(v.value);
    }
    std::optional<json::value> operator()(const ast::NullValue&) const { return json::value(); }
    std::optional<json::value> operator()(const ast::EnumValue& v) const {
      return json::value(v.value);
    }
    std::optional<json::value> operator()(const ast::ListValue& v) const {
      json::array out;
      for (const auto& item : v.values) {
        auto value = untyped_value(item, variables);
        out.push_back(value ? std::move(*value) : json::value());
      }
      return json::value(std::move(out));
    }
    std::optional<json::value> operator()(const ast::ObjectValue& v) const {
      json::object out;
      for (const auto& field : v.fields) {
        auto value = untyped_value(field.value, variables);
        if (value) {
          out[field.name.value] = std::move(*value);
        }
      }
      return json::value(std::move(out));
    }
  };
  return std::visit(Visitor{variables}, node);
}

std::optional<json::value> scalar_from_literal(const ScalarType& scalar, const ast::Value& node,
                                               const json::object* variables) {
  if (!scalar.is_builtin()) {
    return untyped_value(node, variables);
  }
  const std::string& name = scalar.name();
  if (name == "Int") {
    const auto* literal = std::get_if<ast::IntValue>(&node);
    if (literal == nullptr) {
      return std::nullopt;
    }
    std::int64_t number = 0;
    auto [end, ec] =
        std::from_chars(literal->value.data(), literal->value.data() + literal->value.size(), number);
    if (ec != std::errc() || number < kMinInt || number > kMaxInt) {
      return std::nullopt;
    }
    return json::value(number);
  }
  if (name == "Float") {
    if (const auto* literal = std::get_if<ast::IntValue>(&node)) {
      return json::value(std::strtod(literal->value.c_str(), nullptr));
    }
    if (const auto* literal = std::get_if<ast::FloatValue>(&node)) {
      return json::value(std::strtod(literal->value.c_str(), nullptr));
    }
    return std::nullopt;
  }
  if (name == "String") {
    if (const auto* literal = std::get_if<ast::StringValue>(&node)) {
      return json::value(literal->value);
    }
    return std::nullopt;
  }
  if (name == "Boolean") {
    if (const auto* literal = std::get_if<ast::BooleanValue>(&node)) {
      return json::value(literal->value);
    }
    return std::nullopt;
  }
  // ID
  if (const auto* literal = std::get_if<ast::StringValue>(&node)) {
    return json::value(literal->value);
  }
  if (const auto* literal = std::get_if<ast::IntValue>(&node)) {
    return json::value(literal->value);
  }
  return std::nullopt;
}

// The built-in scalars' parseValue. Returns the message on failure.
Result<json::value, std::string> scalar_from_input(const ScalarType& scalar,
                                                   const json::value& input) {
  if (!scalar.is_builtin()) {
    return input;
  }
  const std::string& name = scalar.name();
  if (name == "Int") {
    std::optional<double> number;
    if (input.is_int64()) {
      number = static_cast<double>(input.get_int64());
    } else if (input.is_uint64()) {
      number = static_cast<double>(input.get_uint64());
    } else if (input.is_double()) {
      number = input.get_double();
    }
    if (!number || !std::isfinite(*number) || std::floor(*number) != *number) {
      return unexpected(fmt::format("Int cannot represent non-integer value: {}", inspect(input)));
    }
    if (*number < static_cast<double>(kMinInt) || *number > static_cast<double>(kMaxInt)) {
      return unexpected(
          fmt::format("Int cannot represent non 32-bit signed integer value: {}", inspect(input)));
    }
    return json::value(static_cast<std::int64_t>(*number));
  }
  if (name == "Float") {
    if (input.is_number()) {
      const double number = input.to_number<double>();
      if (std::isfinite(number)) {
        return json::value(number);
      }
    }
    return unexpected(fmt::format("Float cannot represent non numeric value: {}", inspect(input)));
  }
  if (name == "String") {
    if (input.is_string()) {
      return input;
    }
    return unexpected(
        fmt::format("String cannot represent a non string value: {}", inspect(input)));
  }
  if (name == "Boolean") {
    if (input.is_bool()) {
      return input;
    }
    return unexpected(
        fmt::format("Boolean cannot represent a non boolean value: {}", inspect(input)));
  }
  // ID
  if (input.is_string()) {
    return input;
  }
  if (input.is_int64()) {
    return json::value(std::to_string(input.get_int64()));
  }
  if (input.is_uint64()) {
    return json::value(std::to_string(input.get_uint64()));
  }
  if (input.is_double() && std::floor(input.get_double()) == input.get_double() &&
      std::fabs(input.get_double()) < 1e21) {
    return json::value(format_number(input.get_double()));
  }
  return unexpected(fmt::format("ID cannot represent value: {}", inspect(input)));
}

void coerce_into(const json::value& input, const Type* type, std::vector<PathSegment>& path,
                 std::vector<InputCoercionError>& errors, json::value& out, bool& ok) {
  auto fail = [&](std::string message) {
    errors.push_back({path, input, std::move(message)});
    ok = false;
  };
  if (type->is_non_null()) {
    if (input.is_null()) {
      fail(fmt::format("Expected non-nullable type \"{}\" not to be null.", type->to_string()));
      return;
    }
    coerce_into(input, type->of_type(), path, errors, out, ok);
    return;
  }
  if (input.is_null()) {
    out = nullptr;
    return;
  }
  if (type->is_list()) {
    const Type* item_type = type->of_type();
    if (input.is_array()) {
      json::array items;
      items.reserve(input.get_array().size());
      std::size_t index = 0;
      for (const auto& item : input.get_array()) {
        path.emplace_back(index++);
        json::value coerced;
        coerce_into(item, item_type, path, errors, coerced, ok);
        items.push_back(std::move(coerced));
        path.pop_back();
      }
      out = std::move(items);
      return;
    }
    json::value coerced;
    coerce_into(input, item_type, path, errors, coerced, ok);
    json::array items;
    items.push_back(std::move(coerced));
    out = std::move(items);
    return;
  }
  const NamedType* named = type->named_type();
  if (const InputObjectType* input_object = named->as_input_object()) {
    if (!input.is_object()) {
      fail(fmt::format("Expected type \"{}\" to be an object.", named->name()));
      return;
    }
    const json::object& fields = input.get_object();
    json::object coerced;
    coerced.reserve(input_object->fields().size());
    for (const InputValue& field : input_object->fields()) {
      auto it = fields.find(field.name);
      if (it == fields.end()) {
        if (field.default_value) {
          coerced[field.name] = *field.default_value;
        } else if (field.type->is_non_null()) {
          fail(fmt::format("Field \"{}\" of required type \"{}\" was not provided.", field.name,
                           field.type->to_string()));
        }
        continue;
      }
      path.emplace_back(field.name);
      json::value value;
      coerce_into(it->value(), field.type, path, errors, value, ok);
      coerced[field.name] = std::move(value);
      path.pop_back();
    }
    for (const auto& entry : fields) {
      if (input_object->field(entry.key()) == nullptr) {
        fail(fmt::format("Field \"{}\" is not defined by type \"{}\".",
                         std::string_view(entry.key()), named->name()));
      }
    }
    out = std::move(coerced);
    return;
  }
  if (const EnumType* enum_type = named->as_enum()) {
    if (!input.is_string()) {
      fail(fmt::format("Enum \"{}\" cannot represent non-string value: {}.", named->name(),
                       inspect(input)));
      return;
    }
    if (enum_type->value(input.get_string()) == nullptr) {
      fail(fmt::format("Value \"{}\" does not exist in \"{}\" enum.",
                       std::string_view(input.get_string()), named->name()));
      return;
    }
    out = input;
    return;
  }
  const ScalarType* scalar = named->as_scalar();
  auto coerced = scalar_from_input(*scalar, input);
  if (!coerced) {
    fail(std::move(coerced).error());
    return;
  }
  out = std::move(*coerced);
}

void inspect_to(std::string& out, const json::value& value, int depth) {
  switch (value.kind()) {
    case json::kind::null:
      out += "null";
      return;
    case json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      return;
    case json::kind::int64:
      out += std::to_string(value.get_int64());
      return;
    case json::kind::uint64:
      out += std::to_string(value.get_uint64());
      return;
    case json::kind::double_:
      out += format_number(value.get_double());
      return;
    case json::kind::string:
      out += json::serialize(value);
      return;
    case json::kind::array: {
      const auto& array = value.get_array();
      if (array.empty()) {
        out += "[]";
        return;
      }
      if (depth >= 2) {
        out += "[Array]";
        return;
      }
      out += '[';
      for (std::size_t i = 0; i < array.size(); ++i) {
        if (i > 0) {
          out += ", ";
        }
        inspect_to(out, array[i], depth + 1);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      const auto& object = value.get_object();
      if (object.empty()) {
        out += "{}";
        return;
      }
      if (depth >= 2) {
        out += "[Object]";
        return;
      }
      out += "{ ";
      bool first = true;
      for (const auto& entry : object) {
        if (!first) {
          out += ", ";
        }
        first = false;
        out += entry.key();
        out += ": ";
        inspect_to(out, entry.value(), depth + 1);
      }
      out += " }";
      return;
    }
  }
}

std::string print_path(const std::vector<PathSegment>& path) {
  std::string out;
  for (const auto& segment : path) {
    if (const auto* key = std::get_if<std::string>(&segment)) {
      out += '.' + *key;
    } else {
      out += fmt::format("[{}]", std::get<std::size_t>(segment));
    }
  }
  return out;
}

bool is_integer_text(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    ++i;
  }
  if (i >= text.size()) {
    return false;
  }
  if (text[i] == '0') {
    return i + 1 == text.size();
  }
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<json::value> value_from_ast(const ast::Value& node, const Type* type,
                                          const json::object* variables) {
  if (const auto* variable = std::get_if<ast::Variable>(&node)) {
    if (variables == nullptr) {
      return std::nullopt;
    }
    auto it = variables->find(variable->name.value);
    if (it == variables->end()) {
      return std::nullopt;
    }
    if (it->value().is_null() && type->is_non_null()) {
      return std::nullopt;
    }
    return it->value();
  }
  if (type->is_non_null()) {
    if (std::holds_alternative<ast::NullValue>(node)) {
      return std::nullopt;
    }
    return value_from_ast(node, type->of_type(), variables);
  }
  if (std::holds_alternative<ast::NullValue>(node)) {
    return json::value();
  }
  if (type->is_list()) {
    const Type* item_type = type->of_type();
    if (const auto* list = std::get_if<ast::ListValue>(&node)) {
      json::array items;
      items.reserve(list->values.size());
      for (const auto& item : list->values) {
        if (is_missing_variable(item, variables)) {
          if (item_type->is_non_null()) {
            return std::nullopt;
          }
          items.emplace_back(nullptr);
          continue;
        }
        auto value = value_from_ast(item, item_type, variables);
        if (!value) {
          return std::nullopt;
        }
        items.push_back(std::move(*value));
      }
      return json::value(std::move(items));
    }
    auto value = value_from_ast(node, item_type, variables);
    if (!value) {
      return std::nullopt;
    }
    json::array items;
    items.push_back(std::move(*value));
    return json::value(std::move(items));
  }
  const NamedType* named = type->named_type();
  if (const InputObjectType* input_object = named->as_input_object()) {
    const auto* object = std::get_if<ast::ObjectValue>(&node);
    if (object == nullptr) {
      return std::nullopt;
    }
    json::object coerced;
    coerced.reserve(input_object->fields().size());
    for (const InputValue& field : input_object->fields()) {
      const ast::ObjectField* field_node = nullptr;
      for (const auto& candidate : object->fields) {
        if (candidate.name.value == field.name) {
          field_node = &candidate;
          break;
        }
      }
      if (field_node == nullptr || is_missing_variable(field_node->value, variables)) {
        if (field.default_value) {
          coerced[field.name] = *field.default_value;
        } else if (field.type->is_non_null()) {
          return std::nullopt;
        }
        continue;
      }
      auto value = value_from_ast(field_node->value, field.type, variables);
      if (!value) {
        return std::nullopt;
      }
      coerced[field.name] = std::move(*value);
    }
    return json::value(std::move(coerced));
  }
  if (const EnumType* enum_type = named->as_enum()) {
    const auto* literal = std::get_if<ast::EnumValue>(&node);
    if (literal == nullptr || enum_type->value(literal->value) == nullptr) {
      return std::nullopt;
    }
    return json::value(literal->value);
  }
  return scalar_from_literal(*named->as_scalar(), node, variables);
}

std::optional<json::value> coerce_input_value(const json::value& input, const Type* type,
                                              std::vector<InputCoercionError>& errors) {
  std::vector<PathSegment> path;
  json::value out;
  bool ok = true;
  coerce_into(input, type, path, errors, out, ok);
  if (!ok) {
    return std::nullopt;
  }
  return out;
}

Result<json::object, std::vector<GraphQLError>> coerce_variable_values(
    const Schema& schema, const ast::OperationDefinition& operation, const json::object& inputs,
    std::size_t max_errors) {
  std::vector<GraphQLError> errors;
  json::object coerced;
  auto add_error = [&](std::string message, ast::Location loc) {
    if (errors.size() >= max_errors) {
      return false;
    }
    errors.push_back(GraphQLError::at(std::move(message), loc));
    return true;
  };
  for (const ast::VariableDefinition& definition : operation.variable_definitions) {
    const std::string& name = definition.variable.name.value;
    const Type* type = schema.type_from_ast(definition.type);
    if (type == nullptr || !type->is_input_type()) {
      add_error(fmt::format("Variable \"${}\" expected value of type \"{}\" which cannot be used as "
                            "an input type.",
                            name, print(definition.type)),
                definition.type.loc());
      continue;
    }
    auto it = inputs.find(name);
    if (it == inputs.end()) {
      if (definition.default_value) {
        auto value = value_from_ast(*definition.default_value, type, nullptr);
        if (value) {
          coerced[name] = std::move(*value);
        }
      } else if (type->is_non_null()) {
        add_error(fmt::format("Variable \"${}\" of required type \"{}\" was not provided.", name,
                              type->to_string()),
                  definition.loc);
      }
      continue;
    }
    if (it->value().is_null() && type->is_non_null()) {
      add_error(fmt::format("Variable \"${}\" of non-null type \"{}\" must not be null.", name,
                            type->to_string()),
                definition.loc);
      continue;
    }
    std::vector<InputCoercionError> failures;
    auto value = coerce_input_value(it->value(), type, failures);
    for (const auto& failure : failures) {
      std::string prefix =
          fmt::format("Variable \"${}\" got invalid value {}", name, inspect(failure.invalid_value));
      if (!failure.path.empty()) {
        prefix += fmt::format(" at \"{}{}\"", name, print_path(failure.path));
      }
      add_error(prefix + "; " + failure.message, definition.loc);
    }
    if (value) {
      coerced[name] = std::move(*value);
    }
  }
  if (errors.size() >= max_errors) {
    errors.push_back(GraphQLError{
        "Too many errors processing variables, error limit reached. Execution aborted.", {}, {}, {}});
  }
  if (!errors.empty()) {
    return unexpected(std::move(errors));
  }
  return coerced;
}

Result<json::object, GraphQLError> coerce_argument_values(
    const std::vector<InputValue>& definitions, const std::vector<ast::Argument>& arguments,
    const json::object& variables, ast::Location node_loc) {
  json::object coerced;
  coerced.reserve(definitions.size());
  for (const InputValue& definition : definitions) {
    const ast::Argument* argument = nullptr;
    for (const auto& candidate : arguments) {
      if (candidate.name.value == definition.name) {
        argument = &candidate;
        break;
      }
    }
    if (argument == nullptr) {
      if (definition.default_value) {
        coerced[definition.name] = *definition.default_value;
      } else if (definition.type->is_non_null()) {
        return unexpected(GraphQLError::at(
            fmt::format("Argument \"{}\" of required type \"{}\" was not provided.", definition.name,
                        definition.type->to_string()),
            node_loc));
      }
      continue;
    }
    const ast::Value& value_node = argument->value;
    bool is_null = std::holds_alternative<ast::NullValue>(value_node);
    if (const auto* variable = std::get_if<ast::Variable>(&value_node)) {
      auto it = variables.find(variable->name.value);
      if (it == variables.end()) {
        if (definition.default_value) {
          coerced[definition.name] = *definition.default_value;
        } else if (definition.type->is_non_null()) {
          return unexpected(GraphQLError::at(
              fmt::format("Argument \"{}\" of required type \"{}\" was provided the variable "
                          "\"${}\" which was not provided a runtime value.",
                          definition.name, definition.type->to_string(), variable->name.value),
              value_node.loc()));
        }
        continue;
      }
      is_null = it->value().is_null();
    }
    if (is_null && definition.type->is_non_null()) {
      return unexpected(GraphQLError::at(
          fmt::format("Argument \"{}\" of non-null type \"{}\" must not be null.", definition.name,
                      definition.type->to_string()),
          value_node.loc()));
    }
    auto value = value_from_ast(value_node, definition.type, &variables);
    if (!value) {
      return unexpected(GraphQLError::at(fmt::format("Argument \"{}\" has invalid value {}.",
                                                     definition.name, print(value_node)),
                                         value_node.loc()));
    }
    coerced[definition.name] = std::move(*value);
  }
  return coerced;
}

std::string inspect(const json::value& value) {
  std::string out;
  inspect_to(out, value, 0);
  return out;
}

std::string format_number(double value) {
  if (std::isnan(value) || std::isinf(value)) {
    return "null";
  }
  if (value == 0) {
    return "0";
  }
  char buffer[64];
  if (std::floor(value) == value && std::fabs(value) < 1e21) {
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    return std::string(buffer, end);
  }
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e-6 && magnitude < 1e21) {
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    return std::string(buffer, end);
  }
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string text(buffer, end);
  // JavaScript writes 1e+21 and 1e-7: no leading zeros in the exponent, and always a sign.
  const auto e = text.find('e');
  if (e != std::string::npos) {
    std::string mantissa = text.substr(0, e);
    const char sign = text[e + 1] == '-' ? '-' : '+';
    std::size_t digits = e + 1;
    if (text[digits] == '-' || text[digits] == '+') {
      ++digits;
    }
    while (digits + 1 < text.size() && text[digits] == '0') {
      ++digits;
    }
    text = mantissa + 'e' + sign + text.substr(digits);
  }
  return text;
}

std::optional<std::string> print_input_value(const json::value& value, const Type* type) {
  if (type->is_non_null()) {
    auto printed = print_input_value(value, type->of_type());
    if (printed && *printed == "null") {
      return std::nullopt;
    }
    return printed;
  }
  if (value.is_null()) {
    return std::string("null");
  }
  if (type->is_list()) {
    if (value.is_array()) {
      std::string out = "[";
      bool first = true;
      for (const auto& item : value.get_array()) {
        auto printed = print_input_value(item, type->of_type());
        if (!printed) {
          continue;
        }
        if (!first) {
          out += ", ";
        }
        first = false;
        out += *printed;
      }
      return out + "]";
    }
    return print_input_value(value, type->of_type());
  }
  const NamedType* named = type->named_type();
  if (const InputObjectType* input_object = named->as_input_object()) {
    if (!value.is_object()) {
      return std::nullopt;
    }
    std::string out = "{";
    bool first = true;
    for (const InputValue& field : input_object->fields()) {
      auto it = value.get_object().find(field.name);
      if (it == value.get_object().end()) {
        continue;
      }
      auto printed = print_input_value(it->value(), field.type);
      if (!printed) {
        continue;
      }
      if (!first) {
        out += ", ";
      }
      first = false;
      out += field.name + ": " + *printed;
    }
    return out + "}";
  }
  if (value.is_bool()) {
    return std::string(value.get_bool() ? "true" : "false");
  }
  if (value.is_number()) {
    return format_number(value.to_number<double>());
  }
  if (value.is_string()) {
    const std::string_view text = value.get_string();
    if (named->as_enum() != nullptr) {
      return std::string(text);
    }
    if (named->name() == "ID" && is_integer_text(text)) {
      return std::string(text);
    }
    return print_string(text);
  }
  if (named->as_scalar() != nullptr && !named->as_scalar()->is_builtin()) {
    return json::serialize(value);
  }
  return std::nullopt;
}

}  // namespace cubeauth::graphql
