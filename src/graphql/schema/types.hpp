// The type system of a built schema (spec 3): named types, wrapping types, fields, arguments,
// enum values and directives, with graphql-js's predicates (isInputType, isLeafType, ...).
// Everything is owned by the Schema and immutable once built; compare types by pointer.
#pragma once

#include "graphql/language/ast.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cubeauth::graphql {

class Resolver;  // graphql/execution/resolver.hpp
class NamedType;
class ScalarType;
class ObjectType;
class InterfaceType;
class UnionType;
class EnumType;
class InputObjectType;

enum class TypeKind { kScalar, kObject, kInterface, kUnion, kEnum, kInputObject, kList, kNonNull };

/// A type reference: a named type, or a list / non-null wrapper around another reference.
/// The schema interns references, so equal types are the same pointer.
class Type {
 public:
  TypeKind kind() const { return kind_; }
  bool is_list() const { return kind_ == TypeKind::kList; }
  bool is_non_null() const { return kind_ == TypeKind::kNonNull; }
  bool is_named() const { return kind_ != TypeKind::kList && kind_ != TypeKind::kNonNull; }
  /// The wrapped type of a list or non-null type; nullptr for a named type.
  const Type* of_type() const { return of_type_; }
  /// The innermost named type (graphql-js getNamedType).
  const NamedType* named_type() const { return named_; }
  /// This type without its outer non-null (graphql-js getNullableType).
  const Type* nullable() const { return is_non_null() ? of_type_ : this; }

  /// graphql-js isInputType / isOutputType / isLeafType / isCompositeType / isAbstractType,
  /// applied to the named type (so `[Int!]` is an input type and a leaf-wrapping type).
  bool is_input_type() const;
  bool is_output_type() const;
  bool is_leaf_type() const;
  bool is_composite_type() const;
  bool is_abstract_type() const;

  /// The type as written in SDL: "[String!]!".
  std::string to_string() const;

  Type(const Type&) = delete;
  Type& operator=(const Type&) = delete;
  virtual ~Type() = default;

 protected:
  Type(TypeKind kind, const Type* of_type, const NamedType* named)
      : kind_(kind), of_type_(of_type), named_(named) {}

 private:
  friend class Schema;
  friend class SchemaBuilder;
  TypeKind kind_;
  const Type* of_type_;
  const NamedType* named_;
};

/// A wrapping type: list or non-null. Made only by the schema.
class WrappingType final : public Type {
 public:
  WrappingType(TypeKind kind, const Type* of_type) : Type(kind, of_type, of_type->named_type()) {}
};

/// An argument, an input object field or a directive argument.
struct InputValue {
  std::string name;
  std::optional<std::string> description;
  const Type* type = nullptr;
  /// The default value as written in SDL, and coerced to `type` (enum values as strings).
  std::optional<ast::Value> default_literal;
  std::optional<boost::json::value> default_value;
  std::optional<std::string> deprecation_reason;  // set: deprecated
  ast::Location loc;
};

/// A field of an object or interface type.
struct FieldDefinition {
  std::string name;
  std::optional<std::string> description;
  std::vector<InputValue> arguments;
  const Type* type = nullptr;
  std::optional<std::string> deprecation_reason;  // set: deprecated
  ast::Location loc;
  /// Bound with Schema::bind("Type.field", ...); null: read the parent's property.
  std::shared_ptr<const Resolver> resolver;
  /// Introspection fields without arguments only (set by bind_introspection, never by
  /// Schema::bind): writes the field's value for `parent` into `out` (null, in the response's
  /// storage) with no resolver call. For a leaf type `out` is the response's slot and gets the
  /// serialized value; otherwise `out` is the value its sub-selections read.
  void (*write_value)(const boost::json::value& parent, boost::json::value& out) = nullptr;

  const InputValue* argument(std::string_view name) const;
};

struct EnumValueDefinition {
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> deprecation_reason;
  ast::Location loc;
};

class NamedType : public Type {
 public:
  const std::string& name() const { return name_; }
  const std::optional<std::string>& description() const { return description_; }
  ast::Location loc() const { return loc_; }

  const ScalarType* as_scalar() const;
  const ObjectType* as_object() const;
  const InterfaceType* as_interface() const;
  const UnionType* as_union() const;
  const EnumType* as_enum() const;
  const InputObjectType* as_input_object() const;

 protected:
  NamedType(TypeKind kind, std::string name) : Type(kind, nullptr, this), name_(std::move(name)) {}

 private:
  friend class SchemaBuilder;
  std::string name_;
  std::optional<std::string> description_;
  ast::Location loc_;
};

// Inline: the executor asks these for every field it completes.
inline bool Type::is_input_type() const {
  const TypeKind kind = named_->kind();
  return kind == TypeKind::kScalar || kind == TypeKind::kEnum || kind == TypeKind::kInputObject;
}
inline bool Type::is_output_type() const { return named_->kind() != TypeKind::kInputObject; }
inline bool Type::is_leaf_type() const {
  const TypeKind kind = named_->kind();
  return kind == TypeKind::kScalar || kind == TypeKind::kEnum;
}
inline bool Type::is_composite_type() const {
  const TypeKind kind = named_->kind();
  return kind == TypeKind::kObject || kind == TypeKind::kInterface || kind == TypeKind::kUnion;
}
inline bool Type::is_abstract_type() const {
  const TypeKind kind = named_->kind();
  return kind == TypeKind::kInterface || kind == TypeKind::kUnion;
}

class ScalarType final : public NamedType {
 public:
  explicit ScalarType(std::string name) : NamedType(TypeKind::kScalar, std::move(name)) {}
  /// One of Int, Float, String, Boolean, ID.
  bool is_builtin() const { return builtin_; }
  const std::optional<std::string>& specified_by_url() const { return specified_by_url_; }

 private:
  friend class SchemaBuilder;
  bool builtin_ = false;
  std::optional<std::string> specified_by_url_;
};

/// Fields in definition order plus a name index; shared by objects and interfaces.
class FieldsContainer {
 public:
  const std::vector<FieldDefinition>& fields() const { return fields_; }
  /// The field named `name`, or nullptr. Does not know the __typename-like meta fields;
  /// use Schema::field_definition for those.
  const FieldDefinition* field(std::string_view name) const;
  const std::vector<const InterfaceType*>& interfaces() const { return interfaces_; }

 private:
  friend class SchemaBuilder;
  friend class Schema;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  std::vector<FieldDefinition> fields_;
  std::unordered_map<std::string, std::size_t, Hash, std::equal_to<>> index_;
  std::vector<const InterfaceType*> interfaces_;
};

class ObjectType final : public NamedType, public FieldsContainer {
 public:
  explicit ObjectType(std::string name) : NamedType(TypeKind::kObject, std::move(name)) {}
};

class InterfaceType final : public NamedType, public FieldsContainer {
 public:
  explicit InterfaceType(std::string name) : NamedType(TypeKind::kInterface, std::move(name)) {}
};

class UnionType final : public NamedType {
 public:
  explicit UnionType(std::string name) : NamedType(TypeKind::kUnion, std::move(name)) {}
  const std::vector<const ObjectType*>& members() const { return members_; }

 private:
  friend class SchemaBuilder;
  std::vector<const ObjectType*> members_;
};

class EnumType final : public NamedType {
 public:
  explicit EnumType(std::string name) : NamedType(TypeKind::kEnum, std::move(name)) {}
  const std::vector<EnumValueDefinition>& values() const { return values_; }
  const EnumValueDefinition* value(std::string_view name) const;

 private:
  friend class SchemaBuilder;
  std::vector<EnumValueDefinition> values_;
};

class InputObjectType final : public NamedType {
 public:
  explicit InputObjectType(std::string name) : NamedType(TypeKind::kInputObject, std::move(name)) {}
  const std::vector<InputValue>& fields() const { return fields_; }
  const InputValue* field(std::string_view name) const;

 private:
  friend class SchemaBuilder;
  std::vector<InputValue> fields_;
};

/// Where a directive may appear (spec 3.13).
enum class DirectiveLocation {
  kQuery,
  kMutation,
  kSubscription,
  kField,
  kFragmentDefinition,
  kFragmentSpread,
  kInlineFragment,
  kVariableDefinition,
  kSchema,
  kScalar,
  kObject,
  kFieldDefinition,
  kArgumentDefinition,
  kInterface,
  kUnion,
  kEnum,
  kEnumValue,
  kInputObject,
  kInputFieldDefinition,
};
/// "FIELD_DEFINITION" and back.
std::string_view directive_location_name(DirectiveLocation location);
std::optional<DirectiveLocation> parse_directive_location(std::string_view name);

struct DirectiveDefinition {
  std::string name;  // without "@"
  std::optional<std::string> description;
  std::vector<InputValue> arguments;
  bool repeatable = false;
  std::vector<DirectiveLocation> locations;
  ast::Location loc;

  const InputValue* argument(std::string_view name) const;
  bool allows(DirectiveLocation location) const;
};

/// graphql-js isEqualType: the same type (interning makes this pointer equality).
inline bool is_equal_type(const Type* a, const Type* b) { return a == b; }

}  // namespace cubeauth::graphql
