#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "NoUndefinedVariables";

TEST(NoUndefinedVariables, AcceptsDefinedVariablesInFragmentsAndDirectives) {
  EXPECT_TRUE(passes(kRule, "query Q($a: Boolean, $b: Boolean) { dog { ...F @include(if: $b) } }"
                            " fragment F on Dog { isHouseTrained(atOtherHomes: $a) }"));
}

TEST(NoUndefinedVariables, ReportsUsageAndOperation) {
  EXPECT_TRUE(fails(kRule, "query Q { dog { isHouseTrained(atOtherHomes: $a) } }",
                    {{"Variable \"$a\" is not defined by operation \"Q\".", {{1, 46}, {1, 1}}}}));
}

TEST(NoUndefinedVariables, ReportsPerOperationThroughSharedFragments) {
  EXPECT_TRUE(fails(kRule,
                    "query A($a: Boolean) { dog { ...F } }\n{ dog { ...F } }\n"
                    "fragment F on Dog { isHouseTrained(atOtherHomes: $a) }",
                    {{"Variable \"$a\" is not defined.", {{3, 50}, {2, 1}}}}));
}

TEST(NoUndefinedVariables, ReportsVariablesNestedInListsAndObjects) {
  EXPECT_TRUE(fails(kRule, "{ complicatedArgs { complexArgField(complexArg: { requiredField: $r, stringListField: [$s] }) } }",
                    {{"Variable \"$r\" is not defined.", {{1, 66}, {1, 1}}},
                     {"Variable \"$s\" is not defined.", {{1, 88}, {1, 1}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
