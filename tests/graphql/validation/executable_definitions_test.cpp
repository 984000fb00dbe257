#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "ExecutableDefinitions";

TEST(ExecutableDefinitions, AcceptsOperationsAndFragments) {
  EXPECT_TRUE(passes(kRule, "query Foo { dog { ...Frag } } fragment Frag on Dog { name }"));
}

TEST(ExecutableDefinitions, ReportsEachTypeDefinitionByName) {
  EXPECT_TRUE(fails(kRule, "{ dog { name } }\ntype Cow { name: String }\nextend type Dog { color: String }",
                    {{"The \"Cow\" definition is not executable.", {{2, 1}}},
                     {"The \"Dog\" definition is not executable.", {{3, 1}}}}));
}

TEST(ExecutableDefinitions, CallsSchemaDefinitionsSchema) {
  EXPECT_TRUE(fails(kRule, "schema { query: QueryRoot }\n{ dog { name } }",
                    {{"The schema definition is not executable.", {{1, 1}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
