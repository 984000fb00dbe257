#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "KnownTypeNames";

TEST(KnownTypeNames, AcceptsKnownTypesInVariablesAndConditions) {
  EXPECT_TRUE(passes(kRule, "query Q($a: [String!], $b: ComplexInput) { dog { ... on Pet { name } ...F } }"
                            " fragment F on Dog { name }"));
}

TEST(KnownTypeNames, ReportsUnknownTypesWithSuggestions) {
  EXPECT_TRUE(fails(kRule, "query Q($a: JumbledUpLetters) { dog { ... on Dgo { name } ...F } }\n"
                           "fragment F on Peat { name }",
                    {{"Unknown type \"JumbledUpLetters\".", {{1, 13}}},
                     {"Unknown type \"Dgo\". Did you mean \"Dog\"?", {{1, 46}}},
                     {"Unknown type \"Peat\". Did you mean \"Pet\" or \"Cat\"?", {{2, 15}}}}));
}

TEST(KnownTypeNames, LooksThroughListAndNonNullWrappers) {
  EXPECT_TRUE(fails(kRule, "query Q($a: [Nope!]!) { dog { name } }", {{"Unknown type \"Nope\".", {{1, 14}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
