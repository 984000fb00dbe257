#include "graphql/schema/schema.hpp"

#include "graphql/execution/resolver.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace cubeauth::graphql {
namespace {

std::shared_ptr<Schema> build_ok(std::string_view sdl) {
  auto schema = build_schema(sdl);
  if (!schema) {
    for (const auto& error : schema.error()) {
      ADD_FAILURE() << error.message;
    }
    return nullptr;
  }
  return *schema;
}

std::vector<std::string> build_errors(std::string_view sdl) {
  auto schema = build_schema(sdl);
  std::vector<std::string> messages;
  if (schema) {
    ADD_FAILURE() << "built: " << sdl;
    return messages;
  }
  for (const auto& error : schema.error()) {
    messages.push_back(error.message);
  }
  return messages;
}

constexpr std::string_view kSdl = R"(
  """The test schema"""
  schema { query: Root mutation: Change }
  interface Node { id: ID! }
  interface Named implements Node { id: ID! name(upper: Boolean = false): String }
  type User implements Node & Named {
    id: ID!
    name(upper: Boolean = false): String
    old: Int @deprecated
    older: Int @deprecated(reason: "use age")
    pets(first: Int = 10, order: Order = ASC, filter: Filter = {kind: "cat"}): [Pet!]!
  }
  type Pet { kind: String }
  union Thing = User | Pet
  enum Order { ASC DESC @deprecated }
  input Filter { kind: String, tags: [String!] = "x", legacy: Int @deprecated }
  scalar Date @specifiedBy(url: "https://example.com/date")
  directive @cost(weight: Int = 1) repeatable on FIELD_DEFINITION | FIELD
  type Root { user(id: ID!): User things: [Thing] date: Date node: Node }
  type Change { touch(at: Date): Boolean }
  extend type Pet { age: Int }
  extend enum Order { RANDOM }
  extend union Thing = Extra
  type Extra { x: Int @cost(weight: 2) @cost }
)";

TEST(BuildSchema, BuildsEveryKindOfType) {
  auto schema = build_ok(kSdl);
  ASSERT_TRUE(schema);
  EXPECT_EQ(*schema->description(), "The test schema");
  EXPECT_EQ(schema->query_type()->name(), "Root");
  EXPECT_EQ(schema->mutation_type()->name(), "Change");
  EXPECT_EQ(schema->subscription_type(), nullptr);

  const ObjectType* user = schema->type("User")->as_object();
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->interfaces().size(), 2u);
  EXPECT_EQ(user->field("id")->type->to_string(), "ID!");
  EXPECT_EQ(*user->field("old")->deprecation_reason, "No longer supported");
  EXPECT_EQ(*user->field("older")->deprecation_reason, "use age");
  const FieldDefinition* pets = user->field("pets");
  EXPECT_EQ(pets->type->to_string(), "[Pet!]!");
  EXPECT_EQ(pets->argument("first")->default_value->as_int64(), 10);
  EXPECT_EQ(pets->argument("order")->default_value->as_string(), "ASC");
  EXPECT_EQ(pets->argument("filter")->default_value->as_object().at("kind").as_string(), "cat");

  const InputObjectType* filter = schema->type("Filter")->as_input_object();
  ASSERT_EQ(filter->fields().size(), 3u);
  EXPECT_EQ(filter->field("tags")->default_value->as_array().size(), 1u);  // "x" -> ["x"]
  EXPECT_TRUE(filter->field("legacy")->deprecation_reason);

  EXPECT_EQ(*schema->type("Date")->as_scalar()->specified_by_url(), "https://example.com/date");
  EXPECT_EQ(schema->type("Order")->as_enum()->values().size(), 3u);
  EXPECT_EQ(schema->type("Thing")->as_union()->members().size(), 3u);
  EXPECT_EQ(schema->type("Pet")->as_object()->fields().size(), 2u);
  EXPECT_TRUE(schema->directive("cost")->repeatable);
  EXPECT_NE(schema->directive("skip"), nullptr);
  EXPECT_NE(schema->directive("include"), nullptr);
  EXPECT_EQ(schema->directives().front()->name, "cost");
  EXPECT_EQ(schema->directives().size(), 5u);
}

TEST(BuildSchema, AnswersTypeQuestionsForValidation) {
  auto schema = build_ok(kSdl);
  ASSERT_TRUE(schema);
  const NamedType* node = schema->type("Node");
  const NamedType* named = schema->type("Named");
  const NamedType* thing = schema->type("Thing");
  const ObjectType* user = schema->type("User")->as_object();
  const ObjectType* pet = schema->type("Pet")->as_object();
  EXPECT_EQ(schema->possible_types(node).size(), 1u);
  EXPECT_TRUE(schema->is_possible_type(thing, pet));
  EXPECT_FALSE(schema->is_possible_type(node, pet));
  EXPECT_TRUE(schema->is_sub_type(node, named));
  EXPECT_EQ(schema->interface_implementations(node->as_interface()).size(), 1u);
  EXPECT_TRUE(schema->do_types_overlap(node, thing));
  EXPECT_FALSE(schema->do_types_overlap(pet, node));
  EXPECT_EQ(schema->field_definition(user, "__typename"), schema->typename_field());
  EXPECT_EQ(schema->field_definition(schema->query_type(), "__schema"), schema->schema_field());
  EXPECT_EQ(schema->field_definition(user, "__schema"), nullptr);
  EXPECT_EQ(schema->field_definition(thing, "id"), nullptr);
  EXPECT_NE(schema->field_definition(node, "id"), nullptr);

  const Type* string_type = schema->type("String");
  const Type* list = schema->list_of(schema->non_null_of(string_type));
  EXPECT_EQ(list, schema->list_of(schema->non_null_of(string_type)));
  EXPECT_EQ(list->to_string(), "[String!]");
  EXPECT_TRUE(list->is_input_type());
  EXPECT_TRUE(list->is_leaf_type());
  EXPECT_TRUE(schema->is_type_sub_type_of(schema->non_null_of(user), node));
  EXPECT_FALSE(schema->is_type_sub_type_of(string_type, schema->non_null_of(string_type)));
  EXPECT_TRUE(schema->type("Filter")->is_input_type());
  EXPECT_FALSE(schema->type("Filter")->is_output_type());
  EXPECT_TRUE(thing->is_abstract_type());
}

TEST(BuildSchema, OrdersTypesLikeGraphqlJs) {
  auto schema = build_ok("type Query { b: B a: String } type B { c: Int } type A { x: Boolean }");
  ASSERT_TRUE(schema);
  std::vector<std::string> names;
  for (const NamedType* type : schema->types()) {
    names.push_back(type->name());
  }
  const std::vector<std::string> expected = {
      "Query", "String", "B", "Int", "A", "Boolean", "__Schema", "__Type", "__TypeKind",
      "__Field", "__InputValue", "__EnumValue", "__Directive", "__DirectiveLocation"};
  EXPECT_EQ(names, expected);
}

TEST(BuildSchema, ReportsSchemaErrorsClearly) {
  EXPECT_EQ(build_errors("type Query { a: Missing }"),
            std::vector<std::string>{"Unknown type \"Missing\"."});
  EXPECT_EQ(build_errors("type Query { a: Int a: String }"),
            std::vector<std::string>{"Field \"Query.a\" can only be defined once."});
  EXPECT_EQ(build_errors("type Query { a: Int } type Query { b: Int }"),
            std::vector<std::string>{"There can be only one type named \"Query\"."});
  EXPECT_EQ(build_errors("type Query { a: In } input In { x: Int }"),
            std::vector<std::string>{"The type of Query.a must be Output Type but got: In."});
  EXPECT_EQ(build_errors("type Query { a(x: Query): Int }"),
            std::vector<std::string>{
                "The type of Query.a(x:) must be Input Type but got: Query."});
  EXPECT_EQ(build_errors("type T { a: Int }"),
            std::vector<std::string>{"Query root type must be provided."});
  EXPECT_EQ(build_errors("type Query { a: Int @nope }"),
            std::vector<std::string>{"Unknown directive \"@nope\"."});
  EXPECT_EQ(build_errors("interface I { id: ID! } type Query implements I { a: Int }"),
            std::vector<std::string>{"Interface field I.id expected but Query does not provide it."});
  EXPECT_EQ(build_errors("interface I { id: ID! } type Query implements I { id: String }"),
            std::vector<std::string>{
                "Interface field I.id expects type ID! but Query.id is type String."});
  EXPECT_EQ(build_errors("type Query { a: U } union U = Query | I interface I { a: Int }"),
            std::vector<std::string>{
                "Union type U can only include Object types, it cannot include I."});
  EXPECT_EQ(build_errors("extend type Nope { a: Int } type Query { a: Int }"),
            std::vector<std::string>{"Cannot extend type \"Nope\" because it is not defined."});
  EXPECT_EQ(build_errors("type Query { __a: Int }"),
            std::vector<std::string>{"Name \"__a\" must not begin with \"__\", which is reserved "
                                     "by GraphQL introspection."});
  EXPECT_EQ(build_errors("type Query { a(x: Int! @deprecated): Int }"),
            std::vector<std::string>{"Required argument Query.a(x:) cannot be deprecated."});
  EXPECT_EQ(build_errors("type Query { a(x: Int = \"no\"): Int }"),
            std::vector<std::string>{"Default value \"no\" of Query.a(x:) is not a valid Int."});
  EXPECT_EQ(build_errors("type Query { a(x: A): Int } input A { b: B! } input B { a: A! }"),
            std::vector<std::string>{"Cannot reference Input Object \"A\" within itself through a "
                                     "series of non-null fields: \"b.a\"."});
  EXPECT_EQ(build_errors("type Query { a: Int") [0], "Syntax Error: Expected Name, found <EOF>.");
  EXPECT_EQ(build_errors("type Query { a: Int } interface I implements I2 { a: Int } "
                         "interface I2 implements I3 { a: Int } interface I3 { a: Int }"),
            std::vector<std::string>{"Type I must implement I3 because it is implemented by I2."});
}

TEST(BuildSchema, BindsResolversByCoordinate) {
  auto schema = build_ok("type Query { hello: String }");
  ASSERT_TRUE(schema);
  EXPECT_TRUE(schema->bind("Query.hello", [](const ResolveParams&) -> ResolverResult {
    return "world";
  }));
  EXPECT_NE(schema->query_type()->field("hello")->resolver, nullptr);
  auto missing = schema->bind("Query.nope", [](const ResolveParams&) -> ResolverResult {
    return nullptr;
  });
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("Query.nope"), std::string::npos);
  EXPECT_FALSE(schema->bind("Nope.x", [](const ResolveParams&) -> ResolverResult { return 1; }));
}

TEST(BuildSchema, LoadsTheProductSchema) {
  std::ifstream file(CUBEAUTH_SEED_SCHEMA);
  ASSERT_TRUE(file) << CUBEAUTH_SEED_SCHEMA;
  std::stringstream text;
  text << file.rdbuf();
  auto schema = build_ok(text.str());
  ASSERT_TRUE(schema);
  EXPECT_EQ(schema->mutation_type()->field("login")->type->to_string(), "LoginResponse!");
  EXPECT_NE(schema->type("UserResgisterResponse"), nullptr);
}

}  // namespace
}  // namespace cubeauth::graphql
