#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "VariablesInAllowedPosition";

TEST(VariablesInAllowedPosition, AcceptsMatchingAndNarrowerTypes) {
  EXPECT_TRUE(passes(kRule, "query Q($a: Int!, $b: [String!]!, $c: Boolean) { complicatedArgs {"
                            " intArgField(intArg: $a) nonNullIntArgField(nonNullIntArg: $a)"
                            " stringListArgField(stringListArg: $b) } dog { isHouseTrained(atOtherHomes: $c) } }"));
}

TEST(VariablesInAllowedPosition, AcceptsNullableVariableWithDefaultOrDefaultedArgument) {
  EXPECT_TRUE(passes(kRule, "query Q($a: Int = 1, $b: Int) { complicatedArgs {"
                            " nonNullIntArgField(nonNullIntArg: $a) nonNullFieldWithDefault(arg: $b) } }"));
}

TEST(VariablesInAllowedPosition, ReportsNullableIntoNonNullAndWrongTypes) {
  EXPECT_TRUE(fails(kRule,
                    "query Q($a: Int, $b: [String], $c: String = null) { complicatedArgs {"
                    " nonNullIntArgField(nonNullIntArg: $a) stringListNonNullArgField(stringListNonNullArg: $b)"
                    " booleanArgField(booleanArg: $c) } }",
                    {{"Variable \"$a\" of type \"Int\" used in position expecting type \"Int!\".", {{1, 9}, {1, 105}}},
                     {"Variable \"$b\" of type \"[String]\" used in position expecting type \"[String!]\".", {{1, 18}, {1, 157}}},
                     {"Variable \"$c\" of type \"String\" used in position expecting type \"Boolean\".", {{1, 32}, {1, 189}}}}));
}

TEST(VariablesInAllowedPosition, ChecksUsagesInsideFragmentsAndListItems) {
  EXPECT_TRUE(fails(kRule,
                    "query Q($s: String) { complicatedArgs { ...F } }\n"
                    "fragment F on ComplicatedArgs { stringListNonNullArgField(stringListNonNullArg: [$s]) }",
                    {{"Variable \"$s\" of type \"String\" used in position expecting type \"String!\".", {{1, 9}, {2, 82}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
