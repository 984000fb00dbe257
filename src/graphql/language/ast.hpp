// The GraphQL syntax tree: one struct per node kind, as graphql-js src/language/ast.ts.
// Executable nodes (operations, fragments, selections) come first; type-system (SDL) nodes
// are kept in their own section. Every node carries the source location of its first token.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cubeauth::graphql::ast {

/// 1-based line and column of a token (columns count UTF-16 code units, like graphql-js).
struct Location {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  friend bool operator==(const Location&, const Location&) = default;
};

/// A copyable owning pointer, for the recursive nodes (list and non-null types).
template <class T>
class Box {
 public:
  Box() = default;
  explicit Box(T value) : ptr_(std::make_unique<T>(std::move(value))) {}
  Box(const Box& other) : ptr_(other.ptr_ ? std::make_unique<T>(*other.ptr_) : nullptr) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& other) {
    if (this != &other) {
      ptr_ = other.ptr_ ? std::make_unique<T>(*other.ptr_) : nullptr;
    }
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  T& operator*() const { return *ptr_; }
  T* operator->() const { return ptr_.get(); }
  T* get() const { return ptr_.get(); }

 private:
  std::unique_ptr<T> ptr_;
};

struct Name {
  Location loc;
  std::string value;
};

// ---------------------------------------------------------------------------------------------
// Values (spec 2.9)

struct Value;
struct ObjectField;

struct Variable {
  Location loc;
  Name name;
};
struct IntValue {
  Location loc;
  std::string value;  // the literal text, e.g. "-12"
};
struct FloatValue {
  Location loc;
  std::string value;  // the literal text, e.g. "1.5e3"
};
struct StringValue {
  Location loc;
  std::string value;  // escapes resolved; block strings dedented
  bool block = false;
};
struct BooleanValue {
  Location loc;
  bool value = false;
};
struct NullValue {
  Location loc;
};
struct EnumValue {
  Location loc;
  std::string value;
};
struct ListValue {
  Location loc;
  std::vector<Value> values;
};
struct ObjectValue {
  Location loc;
  std::vector<ObjectField> fields;
};

/// Any value literal. Derives from std::variant, so std::visit / std::get work on it.
struct Value : std::variant<Variable, IntValue, FloatValue, StringValue, BooleanValue, NullValue,
                            EnumValue, ListValue, ObjectValue> {
  using variant::variant;
  Location loc() const;
};

struct ObjectField {
  Location loc;
  Name name;
  Value value;
};

// ---------------------------------------------------------------------------------------------
// Type references (spec 2.11)

struct Type;
struct NamedType {
  Location loc;
  Name name;
};
struct ListType {
  Location loc;
  Box<Type> type;
};
struct NonNullType {
  Location loc;
  Box<Type> type;  // a NamedType or a ListType
};
struct Type : std::variant<NamedType, ListType, NonNullType> {
  using variant::variant;
  Location loc() const;
  /// The innermost named type's name.
  const std::string& named_type() const;
};

// ---------------------------------------------------------------------------------------------
// Directives and arguments (spec 2.6, 2.12)

struct Argument {
  Location loc;
  Name name;
  Value value;
};
struct Directive {
  Location loc;
  Name name;
  std::vector<Argument> arguments;
};

// ---------------------------------------------------------------------------------------------
// Executable definitions (spec 2.3 - 2.8)

enum class OperationType { kQuery, kMutation, kSubscription };
const char* operation_type_name(OperationType type);

struct Selection;
struct SelectionSet {
  Location loc;
  std::vector<Selection> selections;
};
struct Field {
  Location loc;
  std::optional<Name> alias;
  Name name;
  std::vector<Argument> arguments;
  std::vector<Directive> directives;
  std::optional<SelectionSet> selection_set;
  /// The key of this field in the response: the alias if any, else the name.
  const std::string& response_key() const { return alias ? alias->value : name.value; }
};
struct FragmentSpread {
  Location loc;
  Name name;
  std::vector<Directive> directives;
};
struct InlineFragment {
  Location loc;
  std::optional<NamedType> type_condition;
  std::vector<Directive> directives;
  SelectionSet selection_set;
};
struct Selection : std::variant<Field, FragmentSpread, InlineFragment> {
  using variant::variant;
  Location loc() const;
};

struct VariableDefinition {
  Location loc;
  Variable variable;
  Type type;
  std::optional<Value> default_value;
  std::vector<Directive> directives;
};
struct OperationDefinition {
  Location loc;
  OperationType operation = OperationType::kQuery;
  std::optional<Name> name;
  std::vector<VariableDefinition> variable_definitions;
  std::vector<Directive> directives;
  SelectionSet selection_set;
};
struct FragmentDefinition {
  Location loc;
  Name name;
  NamedType type_condition;
  std::vector<Directive> directives;
  SelectionSet selection_set;
};

// ---------------------------------------------------------------------------------------------
// Type-system definitions and extensions (spec 3)

struct InputValueDefinition {
  Location loc;
  std::optional<StringValue> description;
  Name name;
  Type type;
  std::optional<Value> default_value;
  std::vector<Directive> directives;
};
struct FieldDefinition {
  Location loc;
  std::optional<StringValue> description;
  Name name;
  std::vector<InputValueDefinition> arguments;
  Type type;
  std::vector<Directive> directives;
};
struct EnumValueDefinition {
  Location loc;
  std::optional<StringValue> description;
  Name name;
  std::vector<Directive> directives;
};
struct OperationTypeDefinition {
  Location loc;
  OperationType operation = OperationType::kQuery;
  NamedType type;
};

struct SchemaDefinition {
  Location loc;
  std::optional<StringValue> description;
  std::vector<Directive> directives;
  std::vector<OperationTypeDefinition> operation_types;
};
struct ScalarTypeDefinition {
  Location loc;
  std::optional<StringValue> description;
  Name name;
  std::vector<Directive> directives;
};
struct ObjectTypeDefinition {
  Location loc;
  std::optional<StringValue> description;
  Name name;
  std::vector<NamedType> interfaces;
  std::vector<Directive> directives;
  std::vector<FieldDefinition> fields;
};
struct InterfaceTypeDefinition {
  Location loc;
  std::optional<StringValue> description;
  Name name;
  std::vector<NamedType> interfaces;
  std::vector<Directive> directives;
  std::vector<FieldDefinition> fields;
};
struct UnionTypeDefinition {
  Location loc;
  std::optional<StringValue> description;
  Name name;
  std::vector<Directive> directives;
  std::vector<NamedType> types;
};
struct EnumTypeDefinition {
  Location loc;
  std::optional<StringValue> description;
  Name name;
  std::vector<Directive> directives;
  std::vector<EnumValueDefinition> values;
};
struct InputObjectTypeDefinition {
  Location loc;
  std::optional<StringValue> description;
  Name name;
  std::vector<Directive> directives;
  std::vector<InputValueDefinition> fields;
};
struct DirectiveDefinition {
  Location loc;
  std::optional<StringValue> description;
  Name name;
  std::vector<InputValueDefinition> arguments;
  bool repeatable = false;
  std::vector<Name> locations;  // e.g. "FIELD", "QUERY" (checked by the parser)
};

struct SchemaExtension {
  Location loc;
  std::vector<Directive> directives;
  std::vector<OperationTypeDefinition> operation_types;
};
struct ScalarTypeExtension {
  Location loc;
  Name name;
  std::vector<Directive> directives;
};
struct ObjectTypeExtension {
  Location loc;
  Name name;
  std::vector<NamedType> interfaces;
  std::vector<Directive> directives;
  std::vector<FieldDefinition> fields;
};
struct InterfaceTypeExtension {
  Location loc;
  Name name;
  std::vector<NamedType> interfaces;
  std::vector<Directive> directives;
  std::vector<FieldDefinition> fields;
};
struct UnionTypeExtension {
  Location loc;
  Name name;
  std::vector<Directive> directives;
  std::vector<NamedType> types;
};
struct EnumTypeExtension {
  Location loc;
  Name name;
  std::vector<Directive> directives;
  std::vector<EnumValueDefinition> values;
};
struct InputObjectTypeExtension {
  Location loc;
  Name name;
  std::vector<Directive> directives;
  std::vector<InputValueDefinition> fields;
};

// ---------------------------------------------------------------------------------------------
// Documents (spec 2.2)

/// Any top-level definition. The first two alternatives are the executable ones.
struct Definition
    : std::variant<OperationDefinition, FragmentDefinition, SchemaDefinition, ScalarTypeDefinition,
                   ObjectTypeDefinition, InterfaceTypeDefinition, UnionTypeDefinition,
                   EnumTypeDefinition, InputObjectTypeDefinition, DirectiveDefinition,
                   SchemaExtension, ScalarTypeExtension, ObjectTypeExtension,
                   InterfaceTypeExtension, UnionTypeExtension, EnumTypeExtension,
                   InputObjectTypeExtension> {
  using variant::variant;
  Location loc() const;
  bool is_executable() const { return index() <= 1; }
};

struct Document {
  std::vector<Definition> definitions;
  /// Number of lexical tokens read (for limits and statistics).
  std::size_t token_count = 0;
};

}  // namespace cubeauth::graphql::ast
