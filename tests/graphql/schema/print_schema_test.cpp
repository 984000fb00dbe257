#include "graphql/schema/print_schema.hpp"

#include "graphql/schema/schema.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace cubeauth::graphql {
namespace {

std::string round_trip(std::string_view sdl) {
  auto schema = build_schema(sdl);
  if (!schema) {
    return "error: " + schema.error()[0].message;
  }
  return print_schema(**schema);
}

TEST(PrintSchema, PrintsWhatItLoadedInGraphqlJsLayout) {
  const std::string sdl = R"(directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT

"""The root."""
type Query implements Node {
  """The id."""
  id: ID!
  hello(name: String = "you", style: Style = LOUD): String @deprecated(reason: "Use greet")
  greet(
    """Who to greet."""
    name: String!

    """How."""
    opts: Opts = {times: 2, list: [1, 2]}
  ): [String!]!
}

interface Node {
  id: ID!
}

enum Style {
  LOUD
  QUIET @deprecated
}

input Opts {
  times: Int = 1
  list: [Int] = [1, 2]
}

union Thing = Query

scalar Url @specifiedBy(url: "https://example.com"))";
  EXPECT_EQ(round_trip(sdl), sdl);
}

TEST(PrintSchema, PrintsASchemaDefinitionForUncommonRootNames) {
  EXPECT_EQ(round_trip("schema { query: Root } type Root { a: Int }"),
            "schema {\n  query: Root\n}\n\ntype Root {\n  a: Int\n}");
}

TEST(PrintSchema, PrintsTheProductSchema) {
  std::ifstream file(CUBEAUTH_SEED_SCHEMA);
  std::stringstream text;
  text << file.rdbuf();
  const std::string printed = round_trip(text.str());
  EXPECT_NE(printed.find("type Mutation {\n  login(body: LoginUserDto!): LoginResponse!\n"),
            std::string::npos)
      << printed;
  EXPECT_EQ(round_trip(printed), printed);
}

}  // namespace
}  // namespace cubeauth::graphql
