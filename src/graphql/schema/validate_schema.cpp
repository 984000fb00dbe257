#include "graphql/schema/validate_schema.hpp"

#include "graphql/schema/schema.hpp"

#include <fmt/format.h>

#include <functional>
#include <unordered_set>

namespace cubeauth::graphql {
namespace {

class SchemaValidator {
 public:
  SchemaValidator(const Schema& schema, std::vector<GraphQLError>& errors)
      : schema_(schema), errors_(errors) {}

  void run() {
    if (schema_.query_type() == nullptr) {
      errors_.push_back(GraphQLError{"Query root type must be provided.", {}, {}, {}});
    }
    for (const DirectiveDefinition* directive : schema_.directives()) {
      check_name(directive->name, directive->loc);
      for (const InputValue& argument : directive->arguments) {
        check_name(argument.name, argument.loc);
        if (!argument.type->is_input_type()) {
          error(fmt::format("The type of @{}({}:) must be Input Type but got: {}.", directive->name,
                            argument.name, argument.type->to_string()),
                argument.loc);
        }
        if (argument.type->is_non_null() && !argument.default_value && argument.deprecation_reason) {
          error(fmt::format("Required argument @{}({}:) cannot be deprecated.", directive->name,
                            argument.name),
                argument.loc);
        }
      }
    }
    for (const NamedType* type : schema_.types()) {
      if (type->name().rfind("__", 0) == 0) {
        continue;  // introspection types are ours
      }
      check_name(type->name(), type->loc());
      if (const ObjectType* object = type->as_object()) {
        check_fields(*type, *object);
        check_interfaces(*type, *object);
      } else if (const InterfaceType* interface_type = type->as_interface()) {
        check_fields(*type, *interface_type);
        check_interfaces(*type, *interface_type);
      } else if (const UnionType* union_type = type->as_union()) {
        if (union_type->members().empty()) {
          error(fmt::format("Union type {} must define one or more member types.", type->name()),
                type->loc());
        }
      } else if (const EnumType* enum_type = type->as_enum()) {
        if (enum_type->values().empty()) {
          error(fmt::format("Enum type {} must define one or more values.", type->name()),
                type->loc());
        }
        for (const EnumValueDefinition& value : enum_type->values()) {
          check_name(value.name, value.loc);
        }
      } else if (const InputObjectType* input = type->as_input_object()) {
        check_input_object(*input);
      }
    }
  }

 private:
  void error(std::string message, ast::Location loc) {
    errors_.push_back(GraphQLError::at(std::move(message), loc));
  }

  void check_name(const std::string& name, ast::Location loc) {
    if (name.rfind("__", 0) == 0) {
      error(fmt::format("Name \"{}\" must not begin with \"__\", which is reserved by GraphQL "
                        "introspection.",
                        name),
            loc);
    }
  }

  void check_fields(const NamedType& type, const FieldsContainer& container) {
    if (container.fields().empty()) {
      error(fmt::format("Type {} must define one or more fields.", type.name()), type.loc());
    }
    for (const FieldDefinition& field : container.fields()) {
      check_name(field.name, field.loc);
      if (!field.type->is_output_type()) {
        error(fmt::format("The type of {}.{} must be Output Type but got: {}.", type.name(),
                          field.name, field.type->to_string()),
              field.loc);
      }
      for (const InputValue& argument : field.arguments) {
        check_name(argument.name, argument.loc);
        if (!argument.type->is_input_type()) {
          error(fmt::format("The type of {}.{}({}:) must be Input Type but got: {}.", type.name(),
                            field.name, argument.name, argument.type->to_string()),
                argument.loc);
        }
        if (argument.type->is_non_null() && !argument.default_value && argument.deprecation_reason) {
          error(fmt::format("Required argument {}.{}({}:) cannot be deprecated.", type.name(),
                            field.name, argument.name),
                argument.loc);
        }
      }
    }
  }

  void check_interfaces(const NamedType& type, const FieldsContainer& container) {
    std::unordered_set<const InterfaceType*> seen;
    for (const InterfaceType* interface_type : container.interfaces()) {
      if (interface_type == static_cast<const NamedType*>(&type)) {
        error(fmt::format("Type {} cannot implement itself because it would create a circular "
                          "reference.",
                          type.name()),
              type.loc());
        continue;
      }
      if (!seen.insert(interface_type).second) {
        error(fmt::format("Type {} can only implement {} once.", type.name(),
                          interface_type->name()),
              type.loc());
        continue;
      }
      for (const InterfaceType* transitive : interface_type->interfaces()) {
        bool found = false;
        for (const InterfaceType* candidate : container.interfaces()) {
          found = found || candidate == transitive;
        }
        if (!found) {
          error(fmt::format("Type {} must implement {} because it is implemented by {}.",
                            type.name(), transitive == static_cast<const NamedType*>(&type)
                                             ? type.name()
                                             : transitive->name(),
                            interface_type->name()),
                type.loc());
        }
      }
      check_implementation(type, container, *interface_type);
    }
  }

  void check_implementation(const NamedType& type, const FieldsContainer& container,
                            const InterfaceType& interface_type) {
    for (const FieldDefinition& interface_field : interface_type.fields()) {
      const FieldDefinition* field = container.field(interface_field.name);
      if (field == nullptr) {
        error(fmt::format("Interface field {}.{} expected but {} does not provide it.",
                          interface_type.name(), interface_field.name, type.name()),
              type.loc());
        continue;
      }
      if (!schema_.is_type_sub_type_of(field->type, interface_field.type)) {
        error(fmt::format("Interface field {}.{} expects type {} but {}.{} is type {}.",
                          interface_type.name(), interface_field.name,
                          interface_field.type->to_string(), type.name(), field->name,
                          field->type->to_string()),
              field->loc);
      }
      for (const InputValue& interface_argument : interface_field.arguments) {
        const InputValue* argument = field->argument(interface_argument.name);
        if (argument == nullptr) {
          error(fmt::format("Interface field argument {}.{}({}:) expected but {}.{} does not "
                            "provide it.",
                            interface_type.name(), interface_field.name, interface_argument.name,
                            type.name(), field->name),
                field->loc);
          continue;
        }
        if (argument->type != interface_argument.type) {
          error(fmt::format("Interface field argument {}.{}({}:) expects type {} but {}.{}({}:) is "
                            "type {}.",
                            interface_type.name(), interface_field.name, interface_argument.name,
                            interface_argument.type->to_string(), type.name(), field->name,
                            argument->name, argument->type->to_string()),
                argument->loc);
        }
      }
      for (const InputValue& argument : field->arguments) {
        if (interface_field.argument(argument.name) == nullptr && argument.type->is_non_null() &&
            !argument.default_value) {
          error(fmt::format("Object field {}.{} includes required argument {} that is missing from "
                            "the Interface field {}.{}.",
                            type.name(), field->name, argument.name, interface_type.name(),
                            interface_field.name),
                argument.loc);
        }
      }
    }
  }

  void check_input_object(const InputObjectType& input) {
    if (input.fields().empty()) {
      error(fmt::format("Input Object type {} must define one or more fields.", input.name()),
            input.loc());
    }
    for (const InputValue& field : input.fields()) {
      check_name(field.name, field.loc);
      if (!field.type->is_input_type()) {
        error(fmt::format("The type of {}.{} must be Input Type but got: {}.", input.name(),
                          field.name, field.type->to_string()),
              field.loc);
      }
      if (field.type->is_non_null() && !field.default_value && field.deprecation_reason) {
        error(fmt::format("Required input field {}.{} cannot be deprecated.", input.name(),
                          field.name),
              field.loc);
      }
    }
    check_input_cycles(input);
  }

  // graphql-js createInputObjectCircularRefsValidator: a cycle of non-null, non-list input
  // fields can never be satisfied.
  void check_input_cycles(const InputObjectType& start) {
    if (visited_inputs_.count(&start) != 0) {
      return;
    }
    std::vector<std::string> path;
    std::unordered_map<const InputObjectType*, std::size_t> on_path;
    std::function<void(const InputObjectType&)> visit = [&](const InputObjectType& input) {
      if (!visited_inputs_.insert(&input).second) {
        return;
      }
      on_path[&input] = path.size();
      for (const InputValue& field : input.fields()) {
        if (!field.type->is_non_null() || field.type->of_type()->is_list()) {
          continue;
        }
        const InputObjectType* next = field.type->named_type()->as_input_object();
        if (next == nullptr) {
          continue;
        }
        path.push_back(field.name);
        auto cycle = on_path.find(next);
        if (cycle == on_path.end()) {
          visit(*next);
        } else {
          std::string text;
          for (std::size_t i = cycle->second; i < path.size(); ++i) {
            text += (i == cycle->second ? "" : ".") + path[i];
          }
          error(fmt::format("Cannot reference Input Object \"{}\" within itself through a series "
                            "of non-null fields: \"{}\".",
                            next->name(), text),
                next->loc());
        }
        path.pop_back();
      }
      on_path.erase(&input);
    };
    visit(start);
  }

  const Schema& schema_;
  std::vector<GraphQLError>& errors_;
  std::unordered_set<const InputObjectType*> visited_inputs_;
};

}  // namespace

void validate_schema(const Schema& schema, const ast::Document&, std::vector<GraphQLError>& errors) {
  SchemaValidator(schema, errors).run();
}

}  // namespace cubeauth::graphql
