#include "graphql/introspection/introspection.hpp"

#include "graphql/execution/resolver.hpp"
#include "graphql/execution/values.hpp"
#include "graphql/schema/schema.hpp"

#include <boost/json/array.hpp>

#include <cassert>
#include <cstdint>

namespace cubeauth::graphql {
namespace json = boost::json;
namespace {

// Introspection objects travel between resolvers as references to the schema's own objects,
// held in an unsigned JSON number. Only these resolvers ever see them.
json::value ref(const void* pointer) {
  return json::value(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(pointer)));
}
json::value ref_or_null(const void* pointer) { return pointer == nullptr ? json::value() : ref(pointer); }
template <class T>
const T& deref(const json::value& value) {
  // The number is a pointer that ref() stored and only these resolvers read back: turning it
  // into a pointer again is the point, not an accident the optimiser should be spared.
  // NOLINTNEXTLINE(performance-no-int-to-ptr)
  return *reinterpret_cast<const T*>(static_cast<std::uintptr_t>(value.to_number<std::uint64_t>()));
}

json::value optional_string(const std::optional<std::string>& text, const ResolveParams& p) {
  return text ? json::value(*text, p.storage) : json::value();
}

bool include_deprecated(const ResolveParams& params) {
  const json::value& flag = params.arg("includeDeprecated");
  return flag.is_bool() && flag.get_bool();
}

const char* kind_name(TypeKind kind) {
  switch (kind) {
    case TypeKind::kScalar:
      return "SCALAR";
    case TypeKind::kObject:
      return "OBJECT";
    case TypeKind::kInterface:
      return "INTERFACE";
    case TypeKind::kUnion:
      return "UNION";
    case TypeKind::kEnum:
      return "ENUM";
    case TypeKind::kInputObject:
      return "INPUT_OBJECT";
    case TypeKind::kList:
      return "LIST";
    case TypeKind::kNonNull:
      return "NON_NULL";
  }
  return "SCALAR";
}

const FieldsContainer* fields_of(const Type& type) {
  if (!type.is_named()) {
    return nullptr;
  }
  if (const ObjectType* object = type.named_type()->as_object()) {
    return object;
  }
  if (const InterfaceType* interface_type = type.named_type()->as_interface()) {
    return interface_type;
  }
  return nullptr;
}

json::value input_values(const std::vector<InputValue>& values, bool with_deprecated,
                         const ResolveParams& p) {
  json::array out(p.storage);
  out.reserve(values.size());
  for (const InputValue& value : values) {
    if (with_deprecated || !value.deprecation_reason) {
      out.push_back(ref(&value));
    }
  }
  return out;
}


}  // namespace

std::string_view introspection_sdl() {
  return R"(
"A GraphQL service's types and directives, and the entry points of its operations."
type __Schema {
  description: String
  "Every type this server knows."
  types: [__Type!]!
  "The type whose fields are the entry points of queries."
  queryType: __Type!
  "The type of mutation entry points, if mutations are supported."
  mutationType: __Type
  "The type of subscription entry points, if subscriptions are supported."
  subscriptionType: __Type
  "Every directive this server knows."
  directives: [__Directive!]!
}

"""
Any GraphQL type, named or wrapping (list, non-null); `kind` tells which fields apply.
"""
type __Type {
  kind: __TypeKind!
  name: String
  description: String
  specifiedByURL: String
  fields(includeDeprecated: Boolean = false): [__Field!]
  interfaces: [__Type!]
  possibleTypes: [__Type!]
  enumValues(includeDeprecated: Boolean = false): [__EnumValue!]
  inputFields(includeDeprecated: Boolean = false): [__InputValue!]
  ofType: __Type
}

"The kinds of types."
enum __TypeKind {
  "A leaf value: Int, String, a custom scalar..."
  SCALAR
  "A type with fields; it may implement interfaces."
  OBJECT
  "A set of fields that object types and interfaces implement."
  INTERFACE
  "One of several object types."
  UNION
  "One of a fixed set of names."
  ENUM
  "A set of named input values, for arguments."
  INPUT_OBJECT
  "A list of another type; `ofType` names it."
  LIST
  "A type that cannot be null; `ofType` names it."
  NON_NULL
}

"A field of an object type or interface."
type __Field {
  name: String!
  description: String
  args(includeDeprecated: Boolean = false): [__InputValue!]!
  type: __Type!
  isDeprecated: Boolean!
  deprecationReason: String
}

"An argument, an input object field or a directive argument, with its default value as GraphQL text."
type __InputValue {
  name: String!
  description: String
  type: __Type!
  "The default value, written as a GraphQL literal."
  defaultValue: String
  isDeprecated: Boolean!
  deprecationReason: String
}

"One value of an enum type."
type __EnumValue {
  name: String!
  description: String
  isDeprecated: Boolean!
  deprecationReason: String
}

"A directive: where it may be used and which arguments it takes."
type __Directive {
  name: String!
  description: String
  isRepeatable: Boolean!
  locations: [__DirectiveLocation!]!
  args(includeDeprecated: Boolean = false): [__InputValue!]!
}

"The places a directive may be used."
enum __DirectiveLocation {
  "On a query operation."
  QUERY
  "On a mutation operation."
  MUTATION
  "On a subscription operation."
  SUBSCRIPTION
  "On a field."
  FIELD
  "On a fragment definition."
  FRAGMENT_DEFINITION
  "On a fragment spread."
  FRAGMENT_SPREAD
  "On an inline fragment."
  INLINE_FRAGMENT
  "On a variable definition."
  VARIABLE_DEFINITION
  "On a schema definition."
  SCHEMA
  "On a scalar definition."
  SCALAR
  "On an object type definition."
  OBJECT
  "On a field definition."
  FIELD_DEFINITION
  "On an argument definition."
  ARGUMENT_DEFINITION
  "On an interface definition."
  INTERFACE
  "On a union definition."
  UNION
  "On an enum definition."
  ENUM
  "On an enum value definition."
  ENUM_VALUE
  "On an input object type definition."
  INPUT_OBJECT
  "On an input object field definition."
  INPUT_FIELD_DEFINITION
}
)";
}

void bind_introspection(Schema& schema) {
  // Schema::bind refuses introspection coordinates; only this friend sets them.
  auto bind_or_die = [](Schema& target, std::string_view coordinate, Resolver resolver) {
    FieldDefinition* field = target.mutable_field(coordinate);
    assert(field != nullptr);
    field->resolver = std::make_shared<const Resolver>(std::move(resolver));
  };
  // The meta fields: __schema and __type on the query root (__typename is the executor's).
  schema.meta_fields_[1]->resolver = std::make_shared<const Resolver>(
      [](const ResolveParams& p) -> ResolverResult { return ref(&p.schema); });
  schema.meta_fields_[2]->resolver =
      std::make_shared<const Resolver>([](const ResolveParams& p) -> ResolverResult {
        const json::value& name = p.arg("name");
        const NamedType* type = name.is_string() ? p.schema.type(name.get_string()) : nullptr;
        return type == nullptr ? json::value() : ref(static_cast<const Type*>(type));
      });
  // __Schema
  bind_or_die(schema, "__Schema.description", [](const ResolveParams& p) -> ResolverResult {
    return optional_string(deref<Schema>(p.parent).description(), p);
  });
  bind_or_die(schema, "__Schema.types", [](const ResolveParams& p) -> ResolverResult {
    json::array out(p.storage);
    for (const NamedType* type : deref<Schema>(p.parent).types()) {
      out.push_back(ref(static_cast<const Type*>(type)));
    }
    return json::value(std::move(out));
  });
  bind_or_die(schema, "__Schema.queryType", [](const ResolveParams& p) -> ResolverResult {
    return ref_or_null(static_cast<const Type*>(deref<Schema>(p.parent).query_type()));
  });
  bind_or_die(schema, "__Schema.mutationType", [](const ResolveParams& p) -> ResolverResult {
    const ObjectType* type = deref<Schema>(p.parent).mutation_type();
    return type == nullptr ? json::value() : ref(static_cast<const Type*>(type));
  });
  bind_or_die(schema, "__Schema.subscriptionType", [](const ResolveParams& p) -> ResolverResult {
    const ObjectType* type = deref<Schema>(p.parent).subscription_type();
    return type == nullptr ? json::value() : ref(static_cast<const Type*>(type));
  });
  bind_or_die(schema, "__Schema.directives", [](const ResolveParams& p) -> ResolverResult {
    json::array out(p.storage);
    for (const DirectiveDefinition* directive : deref<Schema>(p.parent).directives()) {
      out.push_back(ref(directive));
    }
    return json::value(std::move(out));
  });

  // __Type
  bind_or_die(schema, "__Type.kind", [](const ResolveParams& p) -> ResolverResult {
    return json::value(kind_name(deref<Type>(p.parent).kind()), p.storage);
  });
  bind_or_die(schema, "__Type.name", [](const ResolveParams& p) -> ResolverResult {
    const Type& type = deref<Type>(p.parent);
    return type.is_named() ? json::value(type.named_type()->name(), p.storage) : json::value();
  });
  bind_or_die(schema, "__Type.description", [](const ResolveParams& p) -> ResolverResult {
    const Type& type = deref<Type>(p.parent);
    return type.is_named() ? optional_string(type.named_type()->description(), p) : json::value();
  });
  bind_or_die(schema, "__Type.specifiedByURL", [](const ResolveParams& p) -> ResolverResult {
    const Type& type = deref<Type>(p.parent);
    const ScalarType* scalar = type.is_named() ? type.named_type()->as_scalar() : nullptr;
    return scalar == nullptr ? json::value() : optional_string(scalar->specified_by_url(), p);
  });
  bind_or_die(schema, "__Type.fields", [](const ResolveParams& p) -> ResolverResult {
    const FieldsContainer* container = fields_of(deref<Type>(p.parent));
    if (container == nullptr) {
      return json::value();
    }
    const bool with_deprecated = include_deprecated(p);
    json::array out(p.storage);
    for (const FieldDefinition& field : container->fields()) {
      if (with_deprecated || !field.deprecation_reason) {
        out.push_back(ref(&field));
      }
    }
    return json::value(std::move(out));
  });
  bind_or_die(schema, "__Type.interfaces", [](const ResolveParams& p) -> ResolverResult {
    const FieldsContainer* container = fields_of(deref<Type>(p.parent));
    if (container == nullptr) {
      return json::value();
    }
    json::array out(p.storage);
    for (const InterfaceType* interface_type : container->interfaces()) {
      out.push_back(ref(static_cast<const Type*>(interface_type)));
    }
    return json::value(std::move(out));
  });
  bind_or_die(schema, "__Type.possibleTypes", [](const ResolveParams& p) -> ResolverResult {
    const Type& type = deref<Type>(p.parent);
    if (!type.is_named() || !type.is_abstract_type()) {
      return json::value();
    }
    json::array out(p.storage);
    for (const ObjectType* object : p.schema.possible_types(type.named_type())) {
      out.push_back(ref(static_cast<const Type*>(object)));
    }
    return json::value(std::move(out));
  });
  bind_or_die(schema, "__Type.enumValues", [](const ResolveParams& p) -> ResolverResult {
    const Type& type = deref<Type>(p.parent);
    const EnumType* enum_type = type.is_named() ? type.named_type()->as_enum() : nullptr;
    if (enum_type == nullptr) {
      return json::value();
    }
    const bool with_deprecated = include_deprecated(p);
    json::array out(p.storage);
    for (const EnumValueDefinition& value : enum_type->values()) {
      if (with_deprecated || !value.deprecation_reason) {
        out.push_back(ref(&value));
      }
    }
    return json::value(std::move(out));
  });
  bind_or_die(schema, "__Type.inputFields", [](const ResolveParams& p) -> ResolverResult {
    const Type& type = deref<Type>(p.parent);
    const InputObjectType* input = type.is_named() ? type.named_type()->as_input_object() : nullptr;
    if (input == nullptr) {
      return json::value();
    }
    return input_values(input->fields(), include_deprecated(p), p);
  });
  bind_or_die(schema, "__Type.ofType", [](const ResolveParams& p) -> ResolverResult {
    return ref_or_null(deref<Type>(p.parent).of_type());
  });

  // __Field
  bind_or_die(schema, "__Field.name", [](const ResolveParams& p) -> ResolverResult {
    return json::value(deref<FieldDefinition>(p.parent).name, p.storage);
  });
  bind_or_die(schema, "__Field.description", [](const ResolveParams& p) -> ResolverResult {
    return optional_string(deref<FieldDefinition>(p.parent).description, p);
  });
  bind_or_die(schema, "__Field.args", [](const ResolveParams& p) -> ResolverResult {
    return input_values(deref<FieldDefinition>(p.parent).arguments, include_deprecated(p), p);
  });
  bind_or_die(schema, "__Field.type", [](const ResolveParams& p) -> ResolverResult {
    return ref(deref<FieldDefinition>(p.parent).type);
  });
  bind_or_die(schema, "__Field.isDeprecated", [](const ResolveParams& p) -> ResolverResult {
    return deref<FieldDefinition>(p.parent).deprecation_reason.has_value();
  });
  bind_or_die(schema, "__Field.deprecationReason", [](const ResolveParams& p) -> ResolverResult {
    return optional_string(deref<FieldDefinition>(p.parent).deprecation_reason, p);
  });

  // __InputValue
  bind_or_die(schema, "__InputValue.name", [](const ResolveParams& p) -> ResolverResult {
    return json::value(deref<InputValue>(p.parent).name, p.storage);
  });
  bind_or_die(schema, "__InputValue.description", [](const ResolveParams& p) -> ResolverResult {
    return optional_string(deref<InputValue>(p.parent).description, p);
  });
  bind_or_die(schema, "__InputValue.type", [](const ResolveParams& p) -> ResolverResult {
    return ref(deref<InputValue>(p.parent).type);
  });
  bind_or_die(schema, "__InputValue.defaultValue", [](const ResolveParams& p) -> ResolverResult {
    const InputValue& value = deref<InputValue>(p.parent);
    if (!value.default_value) {
      return json::value();
    }
    auto printed = print_input_value(*value.default_value, value.type);
    return printed ? json::value(*printed, p.storage) : json::value();
  });
  bind_or_die(schema, "__InputValue.isDeprecated", [](const ResolveParams& p) -> ResolverResult {
    return deref<InputValue>(p.parent).deprecation_reason.has_value();
  });
  bind_or_die(schema, "__InputValue.deprecationReason", [](const ResolveParams& p) -> ResolverResult {
    return optional_string(deref<InputValue>(p.parent).deprecation_reason, p);
  });

  // __EnumValue
  bind_or_die(schema, "__EnumValue.name", [](const ResolveParams& p) -> ResolverResult {
    return json::value(deref<EnumValueDefinition>(p.parent).name, p.storage);
  });
  bind_or_die(schema, "__EnumValue.description", [](const ResolveParams& p) -> ResolverResult {
    return optional_string(deref<EnumValueDefinition>(p.parent).description, p);
  });
  bind_or_die(schema, "__EnumValue.isDeprecated", [](const ResolveParams& p) -> ResolverResult {
    return deref<EnumValueDefinition>(p.parent).deprecation_reason.has_value();
  });
  bind_or_die(schema, "__EnumValue.deprecationReason", [](const ResolveParams& p) -> ResolverResult {
    return optional_string(deref<EnumValueDefinition>(p.parent).deprecation_reason, p);
  });

  // __Directive
  bind_or_die(schema, "__Directive.name", [](const ResolveParams& p) -> ResolverResult {
    return json::value(deref<DirectiveDefinition>(p.parent).name, p.storage);
  });
  bind_or_die(schema, "__Directive.description", [](const ResolveParams& p) -> ResolverResult {
    return optional_string(deref<DirectiveDefinition>(p.parent).description, p);
  });
  bind_or_die(schema, "__Directive.isRepeatable", [](const ResolveParams& p) -> ResolverResult {
    return deref<DirectiveDefinition>(p.parent).repeatable;
  });
  bind_or_die(schema, "__Directive.locations", [](const ResolveParams& p) -> ResolverResult {
    json::array out(p.storage);
    for (DirectiveLocation location : deref<DirectiveDefinition>(p.parent).locations) {
      out.emplace_back(json::string_view(directive_location_name(location)));
    }
    return json::value(std::move(out));
  });
  bind_or_die(schema, "__Directive.args", [](const ResolveParams& p) -> ResolverResult {
    return input_values(deref<DirectiveDefinition>(p.parent).arguments, include_deprecated(p), p);
  });
}

}  // namespace cubeauth::graphql
