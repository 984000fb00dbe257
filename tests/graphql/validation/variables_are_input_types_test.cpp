#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "VariablesAreInputTypes";

TEST(VariablesAreInputTypes, AcceptsScalarsEnumsAndInputObjects) {
  EXPECT_TRUE(passes(kRule, "query Q($a: String, $b: [Boolean!]!, $c: ComplexInput, $d: FurColor) { dog { name } }"));
}

TEST(VariablesAreInputTypes, ReportsOutputTypesAsWritten) {
  EXPECT_TRUE(fails(kRule, "query Q($a: Dog, $b: [[CatOrDog!]]!, $c: Pet) { dog { name } }",
                    {{"Variable \"$a\" cannot be non-input type \"Dog\".", {{1, 13}}},
                     {"Variable \"$b\" cannot be non-input type \"[[CatOrDog!]]!\".", {{1, 22}}},
                     {"Variable \"$c\" cannot be non-input type \"Pet\".", {{1, 42}}}}));
}

TEST(VariablesAreInputTypes, LeavesUnknownTypesToKnownTypeNames) {
  EXPECT_TRUE(passes(kRule, "query Q($a: Nope) { dog { name } }"));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
