#include "graphql/introspection/introspection.hpp"

#include "graphql/execution/resolver.hpp"
#include "graphql/execution/values.hpp"
#include "graphql/schema/schema.hpp"

#include <boost/json/array.hpp>

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace cubeauth::graphql {
namespace json = boost::json;
namespace {

// Introspection objects travel between resolvers as references to the schema's own objects,
// held in an unsigned JSON number. Only these resolvers ever see them.
json::value ref(const void* pointer) {
  return json::value(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(pointer)));
}
template <class T>
const T& deref(const json::value& value) {
  // The number is a pointer that ref() stored and only these resolvers read back: turning it
  // into a pointer again is the point, not an accident the optimiser should be spared.
  // NOLINTNEXTLINE(performance-no-int-to-ptr)
  return *reinterpret_cast<const T*>(static_cast<std::uintptr_t>(value.get_uint64()));
}


// Leaf writers (FieldDefinition::write_leaf): the serialized value, in the slot's storage.
void write_string(json::value& slot, std::string_view text) { slot.emplace_string().assign(text); }
void write_ref(json::value& out, const void* pointer) {
  if (pointer != nullptr) {
    out.emplace_uint64() = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(pointer));
  }
}
template <class Range>
void write_refs(json::value& out, const Range& items) {
  json::array& array = out.emplace_array();
  array.reserve(items.size());
  for (const auto* item : items) {
    array.emplace_back(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(item)));
  }
}
void write_optional(json::value& slot, const std::optional<std::string>& text) {
  if (text) {
    write_string(slot, *text);
  }
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
  // Fields without arguments are written in place (FieldDefinition::write_value): leaves go
  // straight into the response, which is most of an introspection answer.
  using Writer = void (*)(const json::value& parent, json::value& slot);
  auto write_or_die = [](Schema& target, std::string_view coordinate, Writer writer) {
    FieldDefinition* field = target.mutable_field(coordinate);
    assert(field != nullptr);
    field->write_value = writer;
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
  write_or_die(schema, "__Schema.description", [](const json::value& parent, json::value& slot) {
    write_optional(slot, deref<Schema>(parent).description());
  });
  write_or_die(schema, "__Schema.types", [](const json::value& parent, json::value& out) {
    const auto& types = deref<Schema>(parent).types();
    json::array& array = out.emplace_array();
    array.reserve(types.size());
    for (const NamedType* type : types) {
      array.emplace_back(static_cast<std::uint64_t>(
          reinterpret_cast<std::uintptr_t>(static_cast<const Type*>(type))));
    }
  });
  write_or_die(schema, "__Schema.queryType", [](const json::value& parent, json::value& out) {
    write_ref(out, static_cast<const Type*>(deref<Schema>(parent).query_type()));
  });
  write_or_die(schema, "__Schema.mutationType", [](const json::value& parent, json::value& out) {
    write_ref(out, static_cast<const Type*>(deref<Schema>(parent).mutation_type()));
  });
  write_or_die(schema, "__Schema.subscriptionType", [](const json::value& parent, json::value& out) {
    write_ref(out, static_cast<const Type*>(deref<Schema>(parent).subscription_type()));
  });
  write_or_die(schema, "__Schema.directives", [](const json::value& parent, json::value& out) {
    write_refs(out, deref<Schema>(parent).directives());
  });

  // __Type
  write_or_die(schema, "__Type.kind", [](const json::value& parent, json::value& slot) {
    write_string(slot, kind_name(deref<Type>(parent).kind()));
  });
  write_or_die(schema, "__Type.name", [](const json::value& parent, json::value& slot) {
    const Type& type = deref<Type>(parent);
    if (type.is_named()) {
      write_string(slot, type.named_type()->name());
    }
  });
  write_or_die(schema, "__Type.description", [](const json::value& parent, json::value& slot) {
    const Type& type = deref<Type>(parent);
    if (type.is_named()) {
      write_optional(slot, type.named_type()->description());
    }
  });
  write_or_die(schema, "__Type.specifiedByURL", [](const json::value& parent, json::value& slot) {
    const Type& type = deref<Type>(parent);
    if (const ScalarType* scalar = type.is_named() ? type.named_type()->as_scalar() : nullptr) {
      write_optional(slot, scalar->specified_by_url());
    }
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
  write_or_die(schema, "__Type.interfaces", [](const json::value& parent, json::value& out) {
    if (const FieldsContainer* container = fields_of(deref<Type>(parent))) {
      json::array& array = out.emplace_array();
      array.reserve(container->interfaces().size());
      for (const InterfaceType* interface_type : container->interfaces()) {
        array.emplace_back(static_cast<std::uint64_t>(
            reinterpret_cast<std::uintptr_t>(static_cast<const Type*>(interface_type))));
      }
    }
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
  write_or_die(schema, "__Type.ofType", [](const json::value& parent, json::value& out) {
    write_ref(out, deref<Type>(parent).of_type());
  });

  // name, description, isDeprecated and deprecationReason: the same members of the definitions
  // behind __Field, __InputValue and __EnumValue.
  auto write_deprecatable = [&](auto definition, std::string_view type_name) {
    using Definition = typename decltype(definition)::type;
    const std::string type(type_name);
    write_or_die(schema, type + ".name", [](const json::value& parent, json::value& slot) {
      write_string(slot, deref<Definition>(parent).name);
    });
    write_or_die(schema, type + ".description", [](const json::value& parent, json::value& slot) {
      write_optional(slot, deref<Definition>(parent).description);
    });
    write_or_die(schema, type + ".isDeprecated", [](const json::value& parent, json::value& slot) {
      slot = deref<Definition>(parent).deprecation_reason.has_value();
    });
    write_or_die(schema, type + ".deprecationReason",
                 [](const json::value& parent, json::value& slot) {
                   write_optional(slot, deref<Definition>(parent).deprecation_reason);
                 });
  };

  // __Field
  write_deprecatable(std::type_identity<FieldDefinition>{}, "__Field");
  bind_or_die(schema, "__Field.args", [](const ResolveParams& p) -> ResolverResult {
    return input_values(deref<FieldDefinition>(p.parent).arguments, include_deprecated(p), p);
  });
  write_or_die(schema, "__Field.type", [](const json::value& parent, json::value& out) {
    write_ref(out, deref<FieldDefinition>(parent).type);
  });

  // __InputValue
  write_deprecatable(std::type_identity<InputValue>{}, "__InputValue");
  write_or_die(schema, "__InputValue.type", [](const json::value& parent, json::value& out) {
    write_ref(out, deref<InputValue>(parent).type);
  });
  write_or_die(schema, "__InputValue.defaultValue",
               [](const json::value& parent, json::value& slot) {
                 const InputValue& value = deref<InputValue>(parent);
                 if (value.default_value) {
                   if (auto printed = print_input_value(*value.default_value, value.type)) {
                     write_string(slot, *printed);
                   }
                 }
               });

  // __EnumValue
  write_deprecatable(std::type_identity<EnumValueDefinition>{}, "__EnumValue");

  // __Directive
  write_or_die(schema, "__Directive.name", [](const json::value& parent, json::value& slot) {
    write_string(slot, deref<DirectiveDefinition>(parent).name);
  });
  write_or_die(schema, "__Directive.description", [](const json::value& parent, json::value& slot) {
    write_optional(slot, deref<DirectiveDefinition>(parent).description);
  });
  write_or_die(schema, "__Directive.isRepeatable", [](const json::value& parent, json::value& slot) {
    slot = deref<DirectiveDefinition>(parent).repeatable;
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
