#include "graphql/language/parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cubeauth::graphql {
namespace {

using namespace ast;

Document parse_ok(std::string_view source) {
  auto result = parse(source);
  if (!result) {
    ADD_FAILURE() << result.error().message << " in " << source;
    return {};
  }
  return std::move(result).value();
}

GraphQLError parse_error(std::string_view source, const ParseOptions& options = {}) {
  auto result = parse(source, options);
  if (result) {
    ADD_FAILURE() << "parsed: " << source;
    return {};
  }
  return result.error();
}

TEST(Parser, ParsesAShorthandQuery) {
  Document document = parse_ok("{ hello }");
  ASSERT_EQ(document.definitions.size(), 1u);
  const auto& operation = std::get<OperationDefinition>(document.definitions[0]);
  EXPECT_EQ(operation.operation, OperationType::kQuery);
  EXPECT_FALSE(operation.name);
  const auto& field = std::get<Field>(operation.selection_set.selections[0]);
  EXPECT_EQ(field.name.value, "hello");
  EXPECT_EQ(field.loc, (Location{1, 3}));
}

TEST(Parser, ParsesOperationsWithVariablesDirectivesAndAliases) {
  Document document = parse_ok(R"(
    mutation Login($body: LoginUserDto!, $n: [Int!] = [1, 2] @dir) @op {
      first: login(body: $body, opts: {a: [1.5, "x", ENUM, null, true]}) @include(if: true) {
        token
        ... on LoginResponse { message }
        ...Frag @skip(if: false)
        ... @include(if: $n) { user { id } }
      }
    }
    fragment Frag on LoginResponse { ccUserId }
  )");
  ASSERT_EQ(document.definitions.size(), 2u);
  const auto& operation = std::get<OperationDefinition>(document.definitions[0]);
  EXPECT_EQ(operation.operation, OperationType::kMutation);
  EXPECT_EQ(operation.name->value, "Login");
  ASSERT_EQ(operation.variable_definitions.size(), 2u);
  const auto& body = operation.variable_definitions[0];
  EXPECT_EQ(body.variable.name.value, "body");
  ASSERT_TRUE(std::holds_alternative<NonNullType>(body.type));
  EXPECT_EQ(body.type.named_type(), "LoginUserDto");
  const auto& n = operation.variable_definitions[1];
  EXPECT_TRUE(std::holds_alternative<ListType>(n.type));
  ASSERT_TRUE(n.default_value);
  EXPECT_EQ(std::get<ListValue>(*n.default_value).values.size(), 2u);
  EXPECT_EQ(n.directives[0].name.value, "dir");
  EXPECT_EQ(operation.directives[0].name.value, "op");

  const auto& login = std::get<Field>(operation.selection_set.selections[0]);
  EXPECT_EQ(login.alias->value, "first");
  EXPECT_EQ(login.response_key(), "first");
  ASSERT_EQ(login.arguments.size(), 2u);
  EXPECT_EQ(std::get<Variable>(login.arguments[0].value).name.value, "body");
  const auto& opts = std::get<ObjectValue>(login.arguments[1].value);
  const auto& list = std::get<ListValue>(opts.fields[0].value);
  EXPECT_EQ(std::get<FloatValue>(list.values[0]).value, "1.5");
  EXPECT_EQ(std::get<StringValue>(list.values[1]).value, "x");
  EXPECT_EQ(std::get<EnumValue>(list.values[2]).value, "ENUM");
  EXPECT_TRUE(std::holds_alternative<NullValue>(list.values[3]));
  EXPECT_TRUE(std::get<BooleanValue>(list.values[4]).value);
  const auto& selections = login.selection_set->selections;
  ASSERT_EQ(selections.size(), 4u);
  EXPECT_EQ(std::get<InlineFragment>(selections[1]).type_condition->name.value, "LoginResponse");
  EXPECT_EQ(std::get<FragmentSpread>(selections[2]).name.value, "Frag");
  EXPECT_FALSE(std::get<InlineFragment>(selections[3]).type_condition);

  const auto& fragment = std::get<FragmentDefinition>(document.definitions[1]);
  EXPECT_EQ(fragment.name.value, "Frag");
  EXPECT_EQ(fragment.type_condition.name.value, "LoginResponse");
}

TEST(Parser, ParsesTypeSystemDefinitionsAndExtensions) {
  Document document = parse_ok(R"(
    """The schema"""
    schema @dir { query: Query mutation: Mutation }
    "A scalar" scalar Date @specifiedBy(url: "https://example.com")
    interface Node { id: ID! }
    interface Named implements Node & Other { id: ID! name(upper: Boolean = false): String }
    type User implements & Node & Named @key {
      "the id" id: ID!
      name(upper: Boolean = false @deprecated(reason: "no")): String @deprecated
    }
    union Result = | User | Error
    enum Color { RED @deprecated GREEN "b" BLUE }
    input Filter { name: String = "x", ids: [ID!]! }
    directive @key(fields: String) repeatable on OBJECT | INTERFACE
    extend schema @dir
    extend scalar Date @dir
    extend type User { age: Int }
    extend interface Node @dir
    extend union Result = Other
    extend enum Color { ALPHA }
    extend input Filter { more: Int }
  )");
  ASSERT_EQ(document.definitions.size(), 16u);
  const auto& schema = std::get<SchemaDefinition>(document.definitions[0]);
  EXPECT_EQ(schema.description->value, "The schema");
  EXPECT_TRUE(schema.description->block);
  EXPECT_EQ(schema.operation_types[1].operation, OperationType::kMutation);
  EXPECT_EQ(std::get<ScalarTypeDefinition>(document.definitions[1]).description->value, "A scalar");
  const auto& named = std::get<InterfaceTypeDefinition>(document.definitions[3]);
  EXPECT_EQ(named.interfaces.size(), 2u);
  const auto& user = std::get<ObjectTypeDefinition>(document.definitions[4]);
  EXPECT_EQ(user.interfaces.size(), 2u);
  EXPECT_EQ(user.fields[0].description->value, "the id");
  EXPECT_EQ(user.fields[1].arguments[0].directives[0].name.value, "deprecated");
  EXPECT_EQ(std::get<UnionTypeDefinition>(document.definitions[5]).types.size(), 2u);
  EXPECT_EQ(std::get<EnumTypeDefinition>(document.definitions[6]).values[2].description->value, "b");
  const auto& filter = std::get<InputObjectTypeDefinition>(document.definitions[7]);
  EXPECT_EQ(std::get<StringValue>(*filter.fields[0].default_value).value, "x");
  const auto& directive = std::get<DirectiveDefinition>(document.definitions[8]);
  EXPECT_TRUE(directive.repeatable);
  EXPECT_EQ(directive.locations.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<SchemaExtension>(document.definitions[9]));
  EXPECT_TRUE(std::holds_alternative<ObjectTypeExtension>(document.definitions[11]));
  EXPECT_EQ(std::get<InputObjectTypeExtension>(document.definitions[15]).fields[0].name.value, "more");
  EXPECT_FALSE(document.definitions[15].is_executable());
}

TEST(Parser, ReportsSyntaxErrorsLikeGraphqlJs) {
  EXPECT_EQ(parse_error("{").message, "Syntax Error: Expected Name, found <EOF>.");
  EXPECT_EQ(parse_error("{").locations[0], (Location{1, 2}));
  EXPECT_EQ(parse_error("").message, "Syntax Error: Unexpected <EOF>.");
  EXPECT_EQ(parse_error("{ ...MissingOn }\nfragment MissingOn Type").message,
            "Syntax Error: Expected \"on\", found Name \"Type\".");
  EXPECT_EQ(parse_error("{ field: {} }").message, "Syntax Error: Expected Name, found \"{\".");
  EXPECT_EQ(parse_error("notAnOperation Foo { field }").message,
            "Syntax Error: Unexpected Name \"notAnOperation\".");
  EXPECT_EQ(parse_error("...").message, "Syntax Error: Unexpected \"...\".");
  EXPECT_EQ(parse_error("{ ...on }").message, "Syntax Error: Expected Name, found \"}\".");
  EXPECT_EQ(parse_error("fragment on on T { a }").message, "Syntax Error: Unexpected Name \"on\".");
  EXPECT_EQ(parse_error("query Foo($a: Int = $b) { a }").message,
            "Syntax Error: Unexpected variable \"$b\" in constant value.");
  EXPECT_EQ(parse_error("query Foo($a: Int = $b) { a }").locations[0], (Location{1, 21}));
  EXPECT_EQ(parse_error("\"desc\" query { a }").message,
            "Syntax Error: Unexpected description, descriptions are supported only on type "
            "definitions.");
  EXPECT_EQ(parse_error("enum E { true }").message,
            "Syntax Error: Name \"true\" is reserved and cannot be used for an enum value.");
  EXPECT_EQ(parse_error("extend type T").message, "Syntax Error: Unexpected <EOF>.");
  EXPECT_EQ(parse_error("directive @d on NOWHERE").message,
            "Syntax Error: Unexpected Name \"NOWHERE\".");
  EXPECT_EQ(parse_error("query ($a: Int) { a(x: \"s\" }").message,
            "Syntax Error: Expected Name, found \"}\".");
  EXPECT_EQ(parse_error("{ a(b: \"x\") c }\n{ d(e: ) }").locations[0], (Location{2, 8}));
  EXPECT_EQ(parse_error("{ a(b: \"x\") c }\n{ d(e: ) }").message,
            "Syntax Error: Unexpected \")\".");
}

TEST(Parser, StopsAtTheTokenLimit) {
  ParseOptions options;
  options.max_tokens = 4;
  EXPECT_TRUE(parse("{ a b }", options));
  GraphQLError error = parse_error("{ a b c }", options);
  EXPECT_EQ(error.message, "Syntax Error: Document contains more than 4 tokens. Parsing aborted.");
  EXPECT_EQ(error.locations[0], (Location{1, 9}));
}

TEST(Parser, StopsAtTheSizeLimit) {
  ParseOptions options;
  options.max_document_bytes = 8;
  GraphQLError error = parse_error("{ hello }", options);
  EXPECT_EQ(error.message, "Syntax Error: Document is larger than 8 bytes. Parsing aborted.");
}

TEST(Parser, SurvivesHugeNestingWithoutOverflow) {
  ParseOptions options = ParseOptions::unlimited();
  options.max_depth = 100;
  std::string braces(10 * 1024 * 1024, '{');
  EXPECT_EQ(parse_error(braces, options).message, "Syntax Error: Expected Name, found \"{\".");
  std::string nested;
  for (int i = 0; i < 100'000; ++i) {
    nested += "{ a ";
  }
  EXPECT_EQ(parse_error(nested, options).message,
            "Syntax Error: Document nesting is deeper than 100 levels. Parsing aborted.");
  std::string brackets = "{ a(x: " + std::string(100'000, '[') + std::string(100'000, ']') + ") }";
  EXPECT_NE(parse_error(brackets, options).message.find("nesting"), std::string::npos);
  std::string types = "query ($x: " + std::string(100'000, '[') + "Int" +
                      std::string(100'000, ']') + ") { a }";
  EXPECT_NE(parse_error(types, options).message.find("nesting"), std::string::npos);
  std::string fields;
  for (int i = 0; i < 90; ++i) {
    fields += "{ a ";
  }
  fields += std::string(90, '}');
  EXPECT_TRUE(parse(fields, options));
}

TEST(Parser, ParsesSingleValues) {
  auto value = parse_value("{a: [1, 2.5, \"\"\"x\"\"\"]}");
  ASSERT_TRUE(value);
  const auto& object = std::get<ObjectValue>(*value);
  EXPECT_EQ(object.fields[0].name.value, "a");
  EXPECT_FALSE(parse_value("1 2"));
}

}  // namespace
}  // namespace cubeauth::graphql
