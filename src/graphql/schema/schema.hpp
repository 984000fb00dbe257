// A built schema (spec 3): the type lookup API used by validation, execution and
// introspection, and the place resolvers are bound to "Type.field" names.
#pragma once

#include "common/result.hpp"
#include "graphql/error/graphql_error.hpp"
#include "graphql/execution/subscribe.hpp"
#include "graphql/schema/types.hpp"

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cubeauth::graphql {

class Schema;
void bind_introspection(Schema& schema);

class Schema {
 public:
  Schema();
  ~Schema();
  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;

  const std::optional<std::string>& description() const { return description_; }
  const ObjectType* query_type() const { return query_; }
  const ObjectType* mutation_type() const { return mutation_; }
  const ObjectType* subscription_type() const { return subscription_; }
  /// The root type of an operation kind, or nullptr when the schema has none.
  const ObjectType* root_type(ast::OperationType operation) const;

  /// Any named type, including built-in scalars and the introspection types (__Schema, ...).
  const NamedType* type(std::string_view name) const;
  /// All named types in graphql-js's getTypeMap() order (introspection lists them so).
  const std::vector<const NamedType*>& types() const { return type_order_; }

  /// User directives first, then the built-in ones missing from the SDL (graphql-js order).
  const std::vector<const DirectiveDefinition*>& directives() const { return directive_order_; }
  const DirectiveDefinition* directive(std::string_view name) const;

  /// graphql-js getPossibleTypes: a union's members, an interface's object implementations,
  /// an object itself.
  const std::vector<const ObjectType*>& possible_types(const NamedType* type) const;
  bool is_possible_type(const NamedType* abstract_type, const ObjectType* object) const;
  /// graphql-js isSubType: `maybe_sub` is a member of union `abstract_type`, or implements
  /// interface `abstract_type` (objects and interfaces).
  bool is_sub_type(const NamedType* abstract_type, const NamedType* maybe_sub) const;
  /// Interfaces that declare they implement `interface_type`.
  const std::vector<const InterfaceType*>& interface_implementations(
      const InterfaceType* interface_type) const;

  /// graphql-js getFieldDef: a field of an object or interface, or a meta field:
  /// __schema and __type on the query root, __typename on any composite type.
  const FieldDefinition* field_definition(const NamedType* parent, std::string_view name) const;
  const FieldDefinition* typename_field() const { return typename_field_; }
  const FieldDefinition* schema_field() const { return schema_field_; }
  const FieldDefinition* type_field() const { return type_field_; }

  /// graphql-js typeFromAST: nullptr when the named type is unknown.
  const Type* type_from_ast(const ast::Type& node) const;
  /// The interned `[of]` and `of!` types.
  const Type* list_of(const Type* of) const;
  const Type* non_null_of(const Type* of) const;

  /// graphql-js isTypeSubTypeOf(schema, maybeSubType, superType).
  bool is_type_sub_type_of(const Type* maybe_sub, const Type* super) const;
  /// graphql-js doTypesOverlap for two composite types.
  bool do_types_overlap(const NamedType* a, const NamedType* b) const;

  /// Binds a resolver to "Type.field". Fails (with a readable reason) for an unknown type or
  /// field, and for the introspection types (__Schema, __Type...), whose resolvers are the
  /// engine's own: their answers depend on the schema alone, which lets the Service remember
  /// them. Bind before the schema is shared between threads.
  Result<void, std::string> bind(std::string_view coordinate, Resolver resolver);
  /// Binds the Subscriber (the source event stream, spec 6.2.3.1) of "Subscription.field", a
  /// field of the subscription root type. Fails (with a readable reason) for any other
  /// coordinate, like bind. The field's resolver, if bound, maps each event.
  Result<void, std::string> bind_subscriber(std::string_view coordinate, Subscriber subscriber);
  /// The Subscriber bound to a field of the subscription root type, or nullptr.
  const Subscriber* subscriber(const FieldDefinition& field) const;

  /// The field a coordinate names, or nullptr.
  FieldDefinition* mutable_field(std::string_view coordinate);

 private:
  friend class SchemaBuilder;
  friend void bind_introspection(Schema& schema);

  std::optional<std::string> description_;
  const ObjectType* query_ = nullptr;
  const ObjectType* mutation_ = nullptr;
  const ObjectType* subscription_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<NamedType>> types_;
  std::vector<const NamedType*> type_order_;
  std::unordered_map<std::string, std::unique_ptr<DirectiveDefinition>> directives_;
  std::vector<const DirectiveDefinition*> directive_order_;
  std::unordered_map<const NamedType*, std::vector<const ObjectType*>> possible_types_;
  std::unordered_map<const NamedType*, std::vector<const InterfaceType*>> interface_implementations_;
  std::unordered_map<const FieldDefinition*, Subscriber> subscribers_;
  std::unique_ptr<FieldDefinition> meta_fields_[3];
  const FieldDefinition* typename_field_ = nullptr;
  const FieldDefinition* schema_field_ = nullptr;
  const FieldDefinition* type_field_ = nullptr;
  // Interned wrapping types; created on demand (type_from_ast may meet new ones).
  mutable std::mutex wrappers_mutex_;
  mutable std::map<std::pair<const Type*, bool>, std::unique_ptr<WrappingType>> wrappers_;
};

/// Builds a schema from SDL text (graphql-js buildSchema): built-in scalars and directives,
/// extensions, @deprecated and @specifiedBy, and the schema checks of graphql-js's
/// assertValidSDL / assertValidSchema. All errors found are returned, each located.
Result<std::shared_ptr<Schema>, std::vector<GraphQLError>> build_schema(std::string_view sdl);

}  // namespace cubeauth::graphql
