#include "graphql/schema/print_schema.hpp"

#include "graphql/execution/values.hpp"
#include "graphql/language/printer.hpp"
#include "graphql/schema/schema.hpp"

#include <string_view>
#include <vector>

namespace cubeauth::graphql {
namespace {

constexpr std::string_view kDefaultDeprecationReason = "No longer supported";

std::string description(const std::optional<std::string>& text, std::string_view indentation = "",
                        bool first_in_block = true) {
  if (!text) {
    return "";
  }
  std::string block = print_block_string(*text);
  std::string out = !indentation.empty() && !first_in_block ? "\n" + std::string(indentation)
                                                            : std::string(indentation);
  for (char c : block) {
    out += c;
    if (c == '\n') {
      out += indentation;
    }
  }
  return out + '\n';
}

std::string deprecated(const std::optional<std::string>& reason) {
  if (!reason) {
    return "";
  }
  if (*reason == kDefaultDeprecationReason) {
    return " @deprecated";
  }
  return " @deprecated(reason: " + print_string(*reason) + ")";
}

std::string input_value(const InputValue& value) {
  std::string out = value.name + ": " + value.type->to_string();
  if (value.default_value) {
    if (auto printed = print_input_value(*value.default_value, value.type)) {
      out += " = " + *printed;
    }
  }
  return out + deprecated(value.deprecation_reason);
}

std::string arguments(const std::vector<InputValue>& args, std::string_view indentation = "") {
  if (args.empty()) {
    return "";
  }
  bool described = false;
  for (const InputValue& arg : args) {
    described = described || arg.description.has_value();
  }
  std::string out = "(";
  if (!described) {
    for (std::size_t i = 0; i < args.size(); ++i) {
      out += (i > 0 ? ", " : "") + input_value(args[i]);
    }
    return out + ")";
  }
  out += '\n';
  const std::string inner = "  " + std::string(indentation);
  for (std::size_t i = 0; i < args.size(); ++i) {
    out += description(args[i].description, inner, i == 0) + inner + input_value(args[i]);
    out += '\n';
  }
  return out + std::string(indentation) + ")";
}

std::string block(const std::vector<std::string>& items) {
  if (items.empty()) {
    return "";
  }
  std::string out = " {\n";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += items[i];
    out += i + 1 < items.size() ? "\n" : "";
  }
  return out + "\n}";
}

std::string fields(const FieldsContainer& container) {
  std::vector<std::string> items;
  for (std::size_t i = 0; i < container.fields().size(); ++i) {
    const FieldDefinition& field = container.fields()[i];
    items.push_back(description(field.description, "  ", i == 0) + "  " + field.name +
                    arguments(field.arguments, "  ") + ": " + field.type->to_string() +
                    deprecated(field.deprecation_reason));
  }
  return block(items);
}

std::string interfaces(const FieldsContainer& container) {
  if (container.interfaces().empty()) {
    return "";
  }
  std::string out = " implements ";
  for (std::size_t i = 0; i < container.interfaces().size(); ++i) {
    out += (i > 0 ? " & " : "") + container.interfaces()[i]->name();
  }
  return out;
}

std::string type_sdl(const NamedType& type) {
  std::string out = description(type.description());
  if (const ScalarType* scalar = type.as_scalar()) {
    out += "scalar " + type.name();
    if (scalar->specified_by_url()) {
      out += " @specifiedBy(url: " + print_string(*scalar->specified_by_url()) + ")";
    }
  } else if (const ObjectType* object = type.as_object()) {
    out += "type " + type.name() + interfaces(*object) + fields(*object);
  } else if (const InterfaceType* interface_type = type.as_interface()) {
    out += "interface " + type.name() + interfaces(*interface_type) + fields(*interface_type);
  } else if (const UnionType* union_type = type.as_union()) {
    out += "union " + type.name();
    for (std::size_t i = 0; i < union_type->members().size(); ++i) {
      out += (i == 0 ? " = " : " | ") + union_type->members()[i]->name();
    }
  } else if (const EnumType* enum_type = type.as_enum()) {
    std::vector<std::string> items;
    for (std::size_t i = 0; i < enum_type->values().size(); ++i) {
      const EnumValueDefinition& value = enum_type->values()[i];
      items.push_back(description(value.description, "  ", i == 0) + "  " + value.name +
                      deprecated(value.deprecation_reason));
    }
    out += "enum " + type.name() + block(items);
  } else if (const InputObjectType* input = type.as_input_object()) {
    std::vector<std::string> items;
    for (std::size_t i = 0; i < input->fields().size(); ++i) {
      const InputValue& field = input->fields()[i];
      items.push_back(description(field.description, "  ", i == 0) + "  " + input_value(field));
    }
    out += "input " + type.name() + block(items);
  }
  return out;
}

bool is_builtin_directive(const std::string& name) {
  return name == "include" || name == "skip" || name == "deprecated" || name == "specifiedBy";
}

}  // namespace

std::string print_schema(const Schema& schema) {
  std::vector<std::string> parts;
  const bool common_names =
      schema.query_type() != nullptr && schema.query_type()->name() == "Query" &&
      (schema.mutation_type() == nullptr || schema.mutation_type()->name() == "Mutation") &&
      (schema.subscription_type() == nullptr ||
       schema.subscription_type()->name() == "Subscription");
  if (schema.description() || !common_names) {
    std::string definition = description(schema.description()) + "schema {\n";
    if (schema.query_type() != nullptr) {
      definition += "  query: " + schema.query_type()->name() + "\n";
    }
    if (schema.mutation_type() != nullptr) {
      definition += "  mutation: " + schema.mutation_type()->name() + "\n";
    }
    if (schema.subscription_type() != nullptr) {
      definition += "  subscription: " + schema.subscription_type()->name() + "\n";
    }
    parts.push_back(definition + "}");
  }
  for (const DirectiveDefinition* directive : schema.directives()) {
    if (is_builtin_directive(directive->name)) {
      continue;
    }
    std::string text = description(directive->description) + "directive @" + directive->name +
                       arguments(directive->arguments) +
                       (directive->repeatable ? " repeatable" : "") + " on ";
    for (std::size_t i = 0; i < directive->locations.size(); ++i) {
      text += std::string(i > 0 ? " | " : "") +
              std::string(directive_location_name(directive->locations[i]));
    }
    parts.push_back(text);
  }
  for (const NamedType* type : schema.types()) {
    const ScalarType* scalar = type->as_scalar();
    if ((scalar != nullptr && scalar->is_builtin()) || type->name().rfind("__", 0) == 0) {
      continue;
    }
    parts.push_back(type_sdl(*type));
  }
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out += (i > 0 ? "\n\n" : "") + parts[i];
  }
  return out;
}

}  // namespace cubeauth::graphql
