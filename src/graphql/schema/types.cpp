#include "graphql/schema/types.hpp"

#include <array>

namespace cubeauth::graphql {

std::string Type::to_string() const {
  switch (kind_) {
    case TypeKind::kList:
      return '[' + of_type_->to_string() + ']';
    case TypeKind::kNonNull:
      return of_type_->to_string() + '!';
    default:
      return named_->name();
  }
}

const ScalarType* NamedType::as_scalar() const {
  return kind() == TypeKind::kScalar ? static_cast<const ScalarType*>(this) : nullptr;
}
const ObjectType* NamedType::as_object() const {
  return kind() == TypeKind::kObject ? static_cast<const ObjectType*>(this) : nullptr;
}
const InterfaceType* NamedType::as_interface() const {
  return kind() == TypeKind::kInterface ? static_cast<const InterfaceType*>(this) : nullptr;
}
const UnionType* NamedType::as_union() const {
  return kind() == TypeKind::kUnion ? static_cast<const UnionType*>(this) : nullptr;
}
const EnumType* NamedType::as_enum() const {
  return kind() == TypeKind::kEnum ? static_cast<const EnumType*>(this) : nullptr;
}
const InputObjectType* NamedType::as_input_object() const {
  return kind() == TypeKind::kInputObject ? static_cast<const InputObjectType*>(this) : nullptr;
}

const InputValue* FieldDefinition::argument(std::string_view name) const {
  for (const auto& argument : arguments) {
    if (argument.name == name) {
      return &argument;
    }
  }
  return nullptr;
}

const FieldDefinition* FieldsContainer::field(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &fields_[it->second];
}

const EnumValueDefinition* EnumType::value(std::string_view name) const {
  for (const auto& value : values_) {
    if (value.name == name) {
      return &value;
    }
  }
  return nullptr;
}

const InputValue* InputObjectType::field(std::string_view name) const {
  for (const auto& field : fields_) {
    if (field.name == name) {
      return &field;
    }
  }
  return nullptr;
}

namespace {
constexpr std::array<std::string_view, 19> kLocationNames = {
    "QUERY",
    "MUTATION",
    "SUBSCRIPTION",
    "FIELD",
    "FRAGMENT_DEFINITION",
    "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION",
    "SCHEMA",
    "SCALAR",
    "OBJECT",
    "FIELD_DEFINITION",
    "ARGUMENT_DEFINITION",
    "INTERFACE",
    "UNION",
    "ENUM",
    "ENUM_VALUE",
    "INPUT_OBJECT",
    "INPUT_FIELD_DEFINITION",
};
}  // namespace

std::string_view directive_location_name(DirectiveLocation location) {
  return kLocationNames[static_cast<std::size_t>(location)];
}

std::optional<DirectiveLocation> parse_directive_location(std::string_view name) {
  for (std::size_t i = 0; i < kLocationNames.size(); ++i) {
    if (kLocationNames[i] == name) {
      return static_cast<DirectiveLocation>(i);
    }
  }
  return std::nullopt;
}

const InputValue* DirectiveDefinition::argument(std::string_view name) const {
  for (const auto& argument : arguments) {
    if (argument.name == name) {
      return &argument;
    }
  }
  return nullptr;
}

bool DirectiveDefinition::allows(DirectiveLocation location) const {
  for (DirectiveLocation allowed : locations) {
    if (allowed == location) {
      return true;
    }
  }
  return false;
}

}  // namespace cubeauth::graphql
