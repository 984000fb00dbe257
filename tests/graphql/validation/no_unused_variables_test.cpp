#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "NoUnusedVariables";

TEST(NoUnusedVariables, AcceptsVariablesUsedDirectlyOrInFragments) {
  EXPECT_TRUE(passes(kRule, "query Q($a: Boolean, $b: Boolean) { dog { ...F @skip(if: $b) } }"
                            " fragment F on Dog { ...G } fragment G on Dog { isHouseTrained(atOtherHomes: $a) }"));
}

TEST(NoUnusedVariables, ReportsUnusedVariableDefinitions) {
  EXPECT_TRUE(fails(kRule, "query Q($a: Boolean, $b: Int) { dog { isHouseTrained(atOtherHomes: $a) } }",
                    {{"Variable \"$b\" is never used in operation \"Q\".", {{1, 22}}}}));
}

TEST(NoUnusedVariables, JudgesEachOperationByTheFragmentsItReaches) {
  EXPECT_TRUE(fails(kRule,
                    "query A($a: Boolean) { dog { ...F } }\nquery B($a: Boolean) { dog { name } }\n"
                    "fragment F on Dog { isHouseTrained(atOtherHomes: $a) }",
                    {{"Variable \"$a\" is never used in operation \"B\".", {{2, 9}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
