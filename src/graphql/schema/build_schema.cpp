// graphql-js buildASTSchema + assertValidSDL (the parts that apply to a schema built from one
// document): types, extensions, directives, then the checks of schema/validate_schema.cpp.
#include "graphql/execution/resolver.hpp"
#include "graphql/execution/values.hpp"
#include "graphql/introspection/introspection.hpp"
#include "graphql/language/parser.hpp"
#include "graphql/language/printer.hpp"
#include "graphql/schema/schema.hpp"
#include "graphql/schema/validate_schema.hpp"

#include <fmt/format.h>

#include <list>
#include <unordered_set>

namespace cubeauth::graphql {

class SchemaBuilder {
 public:
  SchemaBuilder() : schema_(std::make_shared<Schema>()) {}

  Result<std::shared_ptr<Schema>, std::vector<GraphQLError>> build(std::string_view sdl) {
    auto user = parse(sdl, ParseOptions::unlimited());
    if (!user) {
      return unexpected(std::vector<GraphQLError>{std::move(user).error()});
    }
    auto introspection = parse(introspection_sdl(), ParseOptions::unlimited());
    user_document_ = std::move(user).value();
    introspection_document_ = std::move(introspection).value();

    add_builtin_scalars();
    collect(user_document_, false);
    collect(introspection_document_, true);
    if (!errors_.empty()) {
      return unexpected(std::move(errors_));
    }
    add_builtin_directives();
    for (auto& [name, pending] : pending_types_) {
      fill(pending);
    }
    for (auto& [name, definition] : pending_directives_) {
      fill_directive(*definition);
    }
    finish_directives();
    set_roots();
    if (errors_.empty()) {
      coerce_defaults();
    }
    if (!errors_.empty()) {
      return unexpected(std::move(errors_));
    }
    make_meta_fields();
    order_types();
    compute_possible_types();
    validate_schema(*schema_, user_document_, errors_);
    if (!errors_.empty()) {
      return unexpected(std::move(errors_));
    }
    bind_introspection(*schema_);
    return std::move(schema_);
  }

 private:
  struct PendingType {
    NamedType* type = nullptr;
    const ast::Definition* definition = nullptr;
    std::vector<const ast::Definition*> extensions;
    bool introspection = false;
  };

  void error(std::string message, std::vector<ast::Location> locations) {
    GraphQLError failure;
    failure.message = std::move(message);
    failure.locations = std::move(locations);
    errors_.push_back(std::move(failure));
  }

  template <class T>
  T* add_type(const std::string& name) {
    auto owned = std::make_unique<T>(name);
    T* type = owned.get();
    schema_->types_[name] = std::move(owned);
    return type;
  }

  void add_builtin_scalars() {
    for (const char* name : {"Int", "Float", "String", "Boolean", "ID"}) {
      ScalarType* scalar = add_type<ScalarType>(name);
      scalar->builtin_ = true;
      builtin_scalars_.insert(name);
    }
    auto describe = [&](const char* name, const char* text) {
      static_cast<NamedType*>(schema_->types_[name].get())->description_ = text;
    };
    describe("Int", "The `Int` scalar type: a signed 32-bit whole number.");
    describe("Float", "The `Float` scalar type: a double-precision floating point number.");
    describe("String", "The `String` scalar type: UTF-8 text.");
    describe("Boolean", "The `Boolean` scalar type: `true` or `false`.");
    describe("ID",
             "The `ID` scalar type: a unique identifier, serialized as a String and accepted as "
             "a String or an Int.");
  }

  static std::optional<std::string> description_of(const std::optional<ast::StringValue>& node) {
    if (!node) {
      return std::nullopt;
    }
    return node->value;
  }

  // Registers every definition; reports duplicates and extensions of unknown types.
  void collect(const ast::Document& document, bool introspection) {
    std::vector<const ast::Definition*> extensions;
    for (const ast::Definition& definition : document.definitions) {
      std::visit(
          [&](const auto& node) {
            using Node = std::decay_t<decltype(node)>;
            if constexpr (std::is_same_v<Node, ast::OperationDefinition> ||
                          std::is_same_v<Node, ast::FragmentDefinition>) {
              error("Schema documents may not contain operations or fragments.", {node.loc});
            } else if constexpr (std::is_same_v<Node, ast::SchemaDefinition>) {
              if (schema_definition_ != nullptr) {
                error("Must provide only one schema definition.", {node.loc});
              } else {
                schema_definition_ = &node;
              }
            } else if constexpr (std::is_same_v<Node, ast::SchemaExtension>) {
              schema_extensions_.push_back(&node);
            } else if constexpr (std::is_same_v<Node, ast::DirectiveDefinition>) {
              auto [it, inserted] = pending_directives_.emplace(node.name.value, &node);
              if (!inserted) {
                error(fmt::format("There can be only one directive named \"@{}\".", node.name.value),
                      {it->second->name.loc, node.name.loc});
              }
            } else if constexpr (std::is_same_v<Node, ast::ScalarTypeDefinition> ||
                                 std::is_same_v<Node, ast::ObjectTypeDefinition> ||
                                 std::is_same_v<Node, ast::InterfaceTypeDefinition> ||
                                 std::is_same_v<Node, ast::UnionTypeDefinition> ||
                                 std::is_same_v<Node, ast::EnumTypeDefinition> ||
                                 std::is_same_v<Node, ast::InputObjectTypeDefinition>) {
              add_definition(node.name, definition, introspection);
            } else {
              extensions.push_back(&definition);
            }
          },
          definition);
    }
    for (const ast::Definition* extension : extensions) {
      add_extension(*extension);
    }
  }

  void add_definition(const ast::Name& name, const ast::Definition& definition, bool introspection) {
    if (builtin_scalars_.count(name.value) != 0 &&
        std::holds_alternative<ast::ScalarTypeDefinition>(definition)) {
      return;  // `scalar String` names the built-in scalar (graphql-js does the same)
    }
    if (schema_->types_.count(name.value) != 0) {
      ast::Location first = name.loc;
      for (const auto& [other_name, pending] : pending_types_) {
        if (other_name == name.value) {
          first = pending.definition->loc();
        }
      }
      error(fmt::format("There can be only one type named \"{}\".", name.value), {first, name.loc});
      return;
    }
    NamedType* type = nullptr;
    switch (definition.index()) {
      case 3:
        type = add_type<ScalarType>(name.value);
        break;
      case 4:
        type = add_type<ObjectType>(name.value);
        break;
      case 5:
        type = add_type<InterfaceType>(name.value);
        break;
      case 6:
        type = add_type<UnionType>(name.value);
        break;
      case 7:
        type = add_type<EnumType>(name.value);
        break;
      default:
        type = add_type<InputObjectType>(name.value);
        break;
    }
    type->loc_ = name.loc;
    pending_types_.emplace_back(name.value, PendingType{type, &definition, {}, introspection});
    definition_order_.push_back(type);
  }

  void add_extension(const ast::Definition& extension) {
    const ast::Name& name = std::visit(
        [](const auto& node) -> const ast::Name& {
          if constexpr (requires { node.name.value; }) {
            return node.name;
          } else {
            static const ast::Name kNone;
            return kNone;
          }
        },
        extension);
    PendingType* pending = nullptr;
    for (auto& [type_name, candidate] : pending_types_) {
      if (type_name == name.value) {
        pending = &candidate;
      }
    }
    const bool builtin = builtin_scalars_.count(name.value) != 0;
    if (pending == nullptr && !builtin) {
      error(fmt::format("Cannot extend type \"{}\" because it is not defined.", name.value),
            {name.loc});
      return;
    }
    static constexpr std::pair<std::size_t, const char*> kKinds[] = {
        {11, "scalar"}, {12, "object"}, {13, "interface"},
        {14, "union"},  {15, "enum"},   {16, "input object"}};
    const std::size_t expected_definition = extension.index() - 8;  // 11 -> 3 (scalar), ...
    const std::size_t actual = pending != nullptr ? pending->definition->index() : 3;
    if (actual != expected_definition) {
      for (const auto& [index, kind] : kKinds) {
        if (index == extension.index()) {
          error(fmt::format("Cannot extend non-{} type \"{}\".", kind, name.value),
                {pending != nullptr ? pending->definition->loc() : name.loc, name.loc});
        }
      }
      return;
    }
    if (pending != nullptr) {
      pending->extensions.push_back(&extension);
    } else {
      builtin_scalar_extensions_.push_back(&extension);
    }
  }

  const Type* resolve(const ast::Type& node) {
    const Type* type = schema_->type_from_ast(node);
    if (type == nullptr) {
      error(fmt::format("Unknown type \"{}\".", node.named_type()), {named_type_loc(node)});
    }
    return type;
  }

  static ast::Location named_type_loc(const ast::Type& node) {
    const ast::Type* type = &node;
    while (true) {
      if (const auto* named = std::get_if<ast::NamedType>(type)) {
        return named->loc;
      }
      if (const auto* list = std::get_if<ast::ListType>(type)) {
        type = list->type.get();
      } else {
        type = std::get<ast::NonNullType>(*type).type.get();
      }
    }
  }

  // Checks the directives applied at one place, and returns @deprecated's reason if present.
  std::optional<std::string> check_directives(const std::vector<ast::Directive>& directives,
                                              DirectiveLocation location) {
    std::optional<std::string> deprecation;
    std::vector<std::string_view> seen;
    for (const ast::Directive& directive : directives) {
      const DirectiveDefinition* definition = schema_->directive(directive.name.value);
      if (definition == nullptr) {
        error(fmt::format("Unknown directive \"@{}\".", directive.name.value), {directive.loc});
        continue;
      }
      if (!definition->allows(location)) {
        error(fmt::format("Directive \"@{}\" may not be used on {}.", directive.name.value,
                          directive_location_name(location)),
              {directive.loc});
      }
      if (!definition->repeatable) {
        for (std::string_view name : seen) {
          if (name == directive.name.value) {
            error(fmt::format("The directive \"@{}\" can only be used once at this location.",
                              directive.name.value),
                  {directive.loc});
          }
        }
      }
      seen.push_back(directive.name.value);
      if (directive.name.value == "deprecated") {
        // @deprecated(reason: String = "No longer supported"); a null reason means "not
        // deprecated" (graphql-js getDeprecationReason).
        deprecation = "No longer supported";
        for (const ast::Argument& argument : directive.arguments) {
          if (argument.name.value != "reason") {
            continue;
          }
          if (const auto* text = std::get_if<ast::StringValue>(&argument.value)) {
            deprecation = text->value;
          } else {
            deprecation.reset();
          }
        }
      }
    }
    return deprecation;
  }

  std::optional<std::string> directive_string_argument(const std::vector<ast::Directive>& directives,
                                                       std::string_view directive_name,
                                                       std::string_view argument) {
    for (const ast::Directive& directive : directives) {
      if (directive.name.value != directive_name) {
        continue;
      }
      for (const ast::Argument& arg : directive.arguments) {
        if (arg.name.value == argument) {
          if (const auto* text = std::get_if<ast::StringValue>(&arg.value)) {
            return text->value;
          }
        }
      }
    }
    return std::nullopt;
  }

  InputValue make_input_value(const ast::InputValueDefinition& node, DirectiveLocation location,
                              const std::string& owner) {
    InputValue value;
    value.name = node.name.value;
    value.description = description_of(node.description);
    value.type = resolve(node.type);
    value.loc = node.name.loc;
    value.deprecation_reason = check_directives(node.directives, location);
    (void)owner;
    if (node.default_value) {
      value.default_literal = *node.default_value;
    }
    return value;
  }

  std::vector<InputValue> make_arguments(const std::vector<ast::InputValueDefinition>& nodes,
                                         const std::string& owner) {
    std::vector<InputValue> arguments;
    arguments.reserve(nodes.size());
    for (const auto& node : nodes) {
      for (const auto& other : arguments) {
        if (other.name == node.name.value) {
          error(fmt::format("Argument \"{}({}:)\" can only be defined once.", owner,
                            node.name.value),
                {other.loc, node.name.loc});
        }
      }
      arguments.push_back(make_input_value(node, DirectiveLocation::kArgumentDefinition,
                                           owner));
    }
    return arguments;
  }

  void add_fields(FieldsContainer& container, const std::string& type_name,
                  const std::vector<ast::FieldDefinition>& nodes) {
    for (const auto& node : nodes) {
      if (container.index_.count(node.name.value) != 0) {
        error(fmt::format("Field \"{}.{}\" can only be defined once.", type_name, node.name.value),
              {container.fields_[container.index_[node.name.value]].loc, node.name.loc});
        continue;
      }
      FieldDefinition field;
      field.name = node.name.value;
      field.description = description_of(node.description);
      field.type = resolve(node.type);
      field.loc = node.name.loc;
      field.deprecation_reason = check_directives(node.directives, DirectiveLocation::kFieldDefinition);
      field.arguments = make_arguments(node.arguments, type_name + "." + node.name.value);
      container.index_[field.name] = container.fields_.size();
      container.fields_.push_back(std::move(field));
    }
  }

  void add_interfaces(FieldsContainer& container, const std::string& owner,
                      const std::vector<ast::NamedType>& nodes) {
    for (const auto& node : nodes) {
      const NamedType* type = schema_->type(node.name.value);
      if (type == nullptr) {
        error(fmt::format("Unknown type \"{}\".", node.name.value), {node.loc});
        continue;
      }
      if (type->as_interface() == nullptr) {
        error(fmt::format("Type {} must only implement Interface types, it cannot implement {}.",
                          owner, type->name()),
              {node.loc});
        continue;
      }
      container.interfaces_.push_back(type->as_interface());
    }
  }

  void fill(PendingType& pending) {
    NamedType* type = pending.type;
    std::visit(
        [&](const auto& node) {
          if constexpr (requires { node.description; }) {
            type->description_ = description_of(node.description);
          }
        },
        *pending.definition);
    std::vector<const ast::Definition*> parts{pending.definition};
    parts.insert(parts.end(), pending.extensions.begin(), pending.extensions.end());
    for (const ast::Definition* part : parts) {
      std::visit([&](const auto& node) { fill_part(*type, node); }, *part);
    }
  }

  void fill_part(NamedType& type, const ast::ScalarTypeDefinition& node) {
    scalar_directives(type, node.directives);
  }
  void fill_part(NamedType& type, const ast::ScalarTypeExtension& node) {
    scalar_directives(type, node.directives);
  }
  void scalar_directives(NamedType& type, const std::vector<ast::Directive>& directives) {
    check_directives(directives, DirectiveLocation::kScalar);
    if (auto url = directive_string_argument(directives, "specifiedBy", "url")) {
      static_cast<ScalarType&>(type).specified_by_url_ = std::move(url);
    }
  }
  template <class Node>
  void fill_object_like(NamedType& type, const Node& node, DirectiveLocation location) {
    check_directives(node.directives, location);
    FieldsContainer& container =
        type.kind() == TypeKind::kObject
            ? static_cast<FieldsContainer&>(static_cast<ObjectType&>(type))
            : static_cast<FieldsContainer&>(static_cast<InterfaceType&>(type));
    add_interfaces(container, type.name(), node.interfaces);
    add_fields(container, type.name(), node.fields);
  }
  void fill_part(NamedType& type, const ast::ObjectTypeDefinition& node) {
    fill_object_like(type, node, DirectiveLocation::kObject);
  }
  void fill_part(NamedType& type, const ast::ObjectTypeExtension& node) {
    fill_object_like(type, node, DirectiveLocation::kObject);
  }
  void fill_part(NamedType& type, const ast::InterfaceTypeDefinition& node) {
    fill_object_like(type, node, DirectiveLocation::kInterface);
  }
  void fill_part(NamedType& type, const ast::InterfaceTypeExtension& node) {
    fill_object_like(type, node, DirectiveLocation::kInterface);
  }
  template <class Node>
  void fill_union(NamedType& type, const Node& node) {
    check_directives(node.directives, DirectiveLocation::kUnion);
    auto& union_type = static_cast<UnionType&>(type);
    for (const auto& member : node.types) {
      const NamedType* member_type = schema_->type(member.name.value);
      if (member_type == nullptr) {
        error(fmt::format("Unknown type \"{}\".", member.name.value), {member.loc});
        continue;
      }
      if (member_type->as_object() == nullptr) {
        error(fmt::format("Union type {} can only include Object types, it cannot include {}.",
                          type.name(), member_type->name()),
              {member.loc});
        continue;
      }
      for (const ObjectType* existing : union_type.members_) {
        if (existing == member_type) {
          error(fmt::format("Union type {} can only include type {} once.", type.name(),
                            member_type->name()),
                {member.loc});
        }
      }
      union_type.members_.push_back(member_type->as_object());
    }
  }
  void fill_part(NamedType& type, const ast::UnionTypeDefinition& node) { fill_union(type, node); }
  void fill_part(NamedType& type, const ast::UnionTypeExtension& node) { fill_union(type, node); }
  template <class Node>
  void fill_enum(NamedType& type, const Node& node) {
    check_directives(node.directives, DirectiveLocation::kEnum);
    auto& enum_type = static_cast<EnumType&>(type);
    for (const auto& value_node : node.values) {
      if (enum_type.value(value_node.name.value) != nullptr) {
        error(fmt::format("Enum value \"{}.{}\" can only be defined once.", type.name(),
                          value_node.name.value),
              {enum_type.value(value_node.name.value)->loc, value_node.name.loc});
        continue;
      }
      EnumValueDefinition value;
      value.name = value_node.name.value;
      value.description = description_of(value_node.description);
      value.loc = value_node.name.loc;
      value.deprecation_reason = check_directives(value_node.directives, DirectiveLocation::kEnumValue);
      enum_type.values_.push_back(std::move(value));
    }
  }
  void fill_part(NamedType& type, const ast::EnumTypeDefinition& node) { fill_enum(type, node); }
  void fill_part(NamedType& type, const ast::EnumTypeExtension& node) { fill_enum(type, node); }
  template <class Node>
  void fill_input(NamedType& type, const Node& node) {
    check_directives(node.directives, DirectiveLocation::kInputObject);
    auto& input_type = static_cast<InputObjectType&>(type);
    for (const auto& field_node : node.fields) {
      if (const InputValue* existing = input_type.field(field_node.name.value)) {
        error(fmt::format("Field \"{}.{}\" can only be defined once.", type.name(),
                          field_node.name.value),
              {existing->loc, field_node.name.loc});
        continue;
      }
      input_type.fields_.push_back(make_input_value(
          field_node, DirectiveLocation::kInputFieldDefinition, type.name() + "." + field_node.name.value));
    }
  }
  void fill_part(NamedType& type, const ast::InputObjectTypeDefinition& node) {
    fill_input(type, node);
  }
  void fill_part(NamedType& type, const ast::InputObjectTypeExtension& node) {
    fill_input(type, node);
  }
  template <class Node>
  void fill_part(NamedType&, const Node&) {}

  void add_builtin_directives() {
    auto parsed = parse(R"(
      "Includes this field or fragment only when the `if` argument is true."
      directive @include("Included when true." if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
      "Leaves this field or fragment out when the `if` argument is true."
      directive @skip("Skipped when true." if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
      "Marks an element of a GraphQL schema as no longer supported."
      directive @deprecated(
        "Why the element is deprecated and what to use instead, in Markdown."
        reason: String = "No longer supported"
      ) on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
      "Gives a URL for the specification of a custom scalar's behaviour."
      directive @specifiedBy("The URL of the specification." url: String!) on SCALAR
    )");
    builtin_directive_document_ = std::move(parsed).value();
    for (const ast::Definition& definition : builtin_directive_document_.definitions) {
      const auto& node = std::get<ast::DirectiveDefinition>(definition);
      builtin_directive_names_.push_back(node.name.value);
      if (pending_directives_.count(node.name.value) == 0) {
        pending_directives_.emplace(node.name.value, &node);
      }
    }
    // Create every directive before filling anything, so directives can be checked.
    for (auto& [name, node] : pending_directives_) {
      auto directive = std::make_unique<DirectiveDefinition>();
      directive->name = name;
      directive->description = description_of(node->description);
      directive->repeatable = node->repeatable;
      directive->loc = node->name.loc;
      for (const ast::Name& location : node->locations) {
        directive->locations.push_back(*parse_directive_location(location.value));
      }
      schema_->directives_[name] = std::move(directive);
    }
  }

  void fill_directive(const ast::DirectiveDefinition& node) {
    DirectiveDefinition& directive = *schema_->directives_[node.name.value];
    directive.arguments = make_arguments(node.arguments, "@" + node.name.value);
  }

  void finish_directives() {
    for (const ast::Definition& definition : user_document_.definitions) {
      if (const auto* node = std::get_if<ast::DirectiveDefinition>(&definition)) {
        if (schema_->directive_order_.empty() ||
            std::find(schema_->directive_order_.begin(), schema_->directive_order_.end(),
                      schema_->directive(node->name.value)) == schema_->directive_order_.end()) {
          schema_->directive_order_.push_back(schema_->directive(node->name.value));
        }
      }
    }
    for (const std::string& name : builtin_directive_names_) {
      const DirectiveDefinition* directive = schema_->directive(name);
      if (std::find(schema_->directive_order_.begin(), schema_->directive_order_.end(), directive) ==
          schema_->directive_order_.end()) {
        schema_->directive_order_.push_back(directive);
      }
    }
    for (const ast::Definition* extension : builtin_scalar_extensions_) {
      const auto& node = std::get<ast::ScalarTypeExtension>(*extension);
      check_directives(node.directives, DirectiveLocation::kScalar);
    }
  }

  // An input object's own field defaults are coerced before any default that uses the type,
  // since coercion fills in missing fields from them (graphql-js resolves fields lazily).
  void coerce_input_object_defaults(const NamedType* named) {
    if (named == nullptr || named->kind() != TypeKind::kInputObject ||
        !defaults_done_.insert(named).second) {
      return;
    }
    auto* input = const_cast<InputObjectType*>(named->as_input_object());
    for (InputValue& field : input->fields_) {
      coerce_default(field, input->name() + "." + field.name);
    }
  }

  // Default values need every type filled: coerce them last (graphql-js valueFromAST).
  void coerce_default(InputValue& value, const std::string& owner) {
    if (!value.default_literal || value.type == nullptr || value.default_value) {
      return;
    }
    coerce_input_object_defaults(value.type->named_type());
    auto coerced = value_from_ast(*value.default_literal, value.type, nullptr);
    if (!coerced) {
      error(fmt::format("Default value {} of {} is not a valid {}.", print(*value.default_literal),
                        owner, value.type->to_string()),
            {value.default_literal->loc()});
      return;
    }
    value.default_value = std::move(*coerced);
  }

  void coerce_defaults() {
    for (auto& [name, pending] : pending_types_) {
      NamedType* type = pending.type;
      FieldsContainer* container = nullptr;
      if (type->kind() == TypeKind::kObject) {
        container = static_cast<ObjectType*>(type);
      } else if (type->kind() == TypeKind::kInterface) {
        container = static_cast<InterfaceType*>(type);
      } else if (type->kind() == TypeKind::kInputObject) {
        coerce_input_object_defaults(type);
      }
      if (container != nullptr) {
        for (FieldDefinition& field : container->fields_) {
          for (InputValue& argument : field.arguments) {
            coerce_default(argument, name + "." + field.name + "(" + argument.name + ":)");
          }
        }
      }
    }
    for (auto& [name, directive] : schema_->directives_) {
      for (InputValue& argument : directive->arguments) {
        coerce_default(argument, "@" + name + "(" + argument.name + ":)");
      }
    }
  }

  void set_roots() {
    std::vector<const ast::OperationTypeDefinition*> operations;
    if (schema_definition_ != nullptr) {
      schema_->description_ = description_of(schema_definition_->description);
      check_directives(schema_definition_->directives, DirectiveLocation::kSchema);
      for (const auto& operation : schema_definition_->operation_types) {
        operations.push_back(&operation);
      }
    }
    for (const ast::SchemaExtension* extension : schema_extensions_) {
      check_directives(extension->directives, DirectiveLocation::kSchema);
      for (const auto& operation : extension->operation_types) {
        operations.push_back(&operation);
      }
    }
    if (operations.empty()) {
      auto by_name = [&](const char* name) -> const ObjectType* {
        const NamedType* type = schema_->type(name);
        return type == nullptr ? nullptr : type->as_object();
      };
      schema_->query_ = by_name("Query");
      schema_->mutation_ = by_name("Mutation");
      schema_->subscription_ = by_name("Subscription");
      return;
    }
    bool seen[3] = {false, false, false};
    for (const ast::OperationTypeDefinition* operation : operations) {
      const auto index = static_cast<std::size_t>(operation->operation);
      const char* kind = ast::operation_type_name(operation->operation);
      if (seen[index]) {
        error(fmt::format("There can be only one {} type in schema.", kind), {operation->loc});
        continue;
      }
      seen[index] = true;
      const NamedType* type = schema_->type(operation->type.name.value);
      if (type == nullptr) {
        error(fmt::format("Unknown type \"{}\".", operation->type.name.value), {operation->type.loc});
        continue;
      }
      if (type->as_object() == nullptr) {
        std::string capitalized = kind;
        capitalized[0] = static_cast<char>(capitalized[0] - 'a' + 'A');
        const bool query = operation->operation == ast::OperationType::kQuery;
        error(fmt::format("{} root type must be Object type{}, it cannot be {}.", capitalized,
                          query ? "" : " if provided", type->name()),
              {operation->type.loc});
        continue;
      }
      const ObjectType*& slot = operation->operation == ast::OperationType::kQuery ? schema_->query_
                                : operation->operation == ast::OperationType::kMutation
                                    ? schema_->mutation_
                                    : schema_->subscription_;
      slot = type->as_object();
    }
  }

  void make_meta_fields() {
    auto make = [&](const char* name, const char* description, const char* type) {
      auto field = std::make_unique<FieldDefinition>();
      field->name = name;
      field->description = description;
      auto parsed = parse(std::string("query($x: ") + type + ") { a }");
      const auto& operation = std::get<ast::OperationDefinition>(parsed->definitions[0]);
      field->type = schema_->type_from_ast(operation.variable_definitions[0].type);
      return field;
    };
    schema_->meta_fields_[0] = make("__typename", "The name of the current Object type at runtime.",
                                    "String!");
    schema_->meta_fields_[1] = make("__schema", "Access the current type schema of this server.",
                                    "__Schema!");
    schema_->meta_fields_[2] = make("__type", "Request the type information of a single type.",
                                    "__Type");
    InputValue name;
    name.name = "name";
    name.type = schema_->non_null_of(schema_->type("String"));
    schema_->meta_fields_[2]->arguments.push_back(std::move(name));
    schema_->typename_field_ = schema_->meta_fields_[0].get();
    schema_->schema_field_ = schema_->meta_fields_[1].get();
    schema_->type_field_ = schema_->meta_fields_[2].get();
  }

  // graphql-js GraphQLSchema constructor: the type map is an insertion-ordered set filled by a
  // depth-first walk (collectReferencedTypes) from the SDL's types, the roots, the directive
  // arguments and __Schema, where each SDL type is first moved to the end.
  void order_types() {
    std::list<const NamedType*> order;
    std::unordered_map<const NamedType*, std::list<const NamedType*>::iterator> where;
    auto add = [&](const NamedType* type) {
      where[type] = order.insert(order.end(), type);
    };
    std::function<void(const Type*)> collect = [&](const Type* reference) {
      const NamedType* type = reference->named_type();
      if (where.count(type) != 0) {
        return;
      }
      add(type);
      if (const UnionType* union_type = type->as_union()) {
        for (const ObjectType* member : union_type->members()) {
          collect(member);
        }
      } else if (type->kind() == TypeKind::kObject || type->kind() == TypeKind::kInterface) {
        const FieldsContainer& container =
            type->kind() == TypeKind::kObject
                ? static_cast<const FieldsContainer&>(*type->as_object())
                : static_cast<const FieldsContainer&>(*type->as_interface());
        for (const InterfaceType* interface_type : container.interfaces()) {
          collect(interface_type);
        }
        for (const FieldDefinition& field : container.fields()) {
          collect(field.type);
          for (const InputValue& argument : field.arguments) {
            collect(argument.type);
          }
        }
      } else if (const InputObjectType* input = type->as_input_object()) {
        for (const InputValue& field : input->fields()) {
          collect(field.type);
        }
      }
    };
    std::vector<const NamedType*> user_types;
    for (const NamedType* type : definition_order_) {
      if (type->name().rfind("__", 0) != 0) {
        user_types.push_back(type);
      }
    }
    for (const NamedType* type : user_types) {
      add(type);
    }
    for (const NamedType* type : user_types) {
      order.erase(where[type]);
      where.erase(type);
      collect(type);
    }
    for (const ObjectType* root : {schema_->query_, schema_->mutation_, schema_->subscription_}) {
      if (root != nullptr) {
        collect(root);
      }
    }
    for (const DirectiveDefinition* directive : schema_->directive_order_) {
      for (const InputValue& argument : directive->arguments) {
        collect(argument.type);
      }
    }
    collect(schema_->type("__Schema"));
    schema_->type_order_.assign(order.begin(), order.end());
  }

  void compute_possible_types() {
    for (const NamedType* type : schema_->type_order_) {
      if (const UnionType* union_type = type->as_union()) {
        schema_->possible_types_[type] = union_type->members();
      } else if (const ObjectType* object = type->as_object()) {
        schema_->possible_types_[type] = {object};
        for (const InterfaceType* interface_type : object->interfaces()) {
          schema_->possible_types_[interface_type].push_back(object);
        }
      } else if (const InterfaceType* interface_type = type->as_interface()) {
        schema_->possible_types_.try_emplace(type);
        for (const InterfaceType* parent : interface_type->interfaces()) {
          schema_->interface_implementations_[parent].push_back(interface_type);
        }
      }
    }
  }

  std::shared_ptr<Schema> schema_;
  ast::Document user_document_;
  ast::Document introspection_document_;
  ast::Document builtin_directive_document_;
  std::vector<GraphQLError> errors_;
  std::unordered_set<std::string> builtin_scalars_;
  std::unordered_set<const NamedType*> defaults_done_;
  std::vector<std::pair<std::string, PendingType>> pending_types_;
  std::vector<const NamedType*> definition_order_;
  std::map<std::string, const ast::DirectiveDefinition*> pending_directives_;
  std::vector<std::string> builtin_directive_names_;
  const ast::SchemaDefinition* schema_definition_ = nullptr;
  std::vector<const ast::SchemaExtension*> schema_extensions_;
  std::vector<const ast::Definition*> builtin_scalar_extensions_;

};

Result<std::shared_ptr<Schema>, std::vector<GraphQLError>> build_schema(std::string_view sdl) {
  SchemaBuilder builder;
  return builder.build(sdl);
}

}  // namespace cubeauth::graphql
