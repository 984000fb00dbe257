#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "UniqueVariableNames";

TEST(UniqueVariableNames, AcceptsDistinctNamesAndReuseAcrossOperations) {
  EXPECT_TRUE(passes(kRule, "query A($x: Int, $y: Int) { dog { name } } query B($x: Int) { dog { name } }"));
}

TEST(UniqueVariableNames, ReportsEachRepeatedNameOnceAtEveryDefinition) {
  EXPECT_TRUE(fails(kRule, "query A($x: Int, $x: Int, $y: Int, $x: String, $y: Int) { dog { name } }",
                    {{"There can be only one variable named \"$x\".", {{1, 10}, {1, 19}, {1, 37}}},
                     {"There can be only one variable named \"$y\".", {{1, 28}, {1, 49}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
