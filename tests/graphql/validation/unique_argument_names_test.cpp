#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "UniqueArgumentNames";

TEST(UniqueArgumentNames, AcceptsDistinctArgumentsOnFieldsAndDirectives) {
  EXPECT_TRUE(passes(kRule, "{ dog { isAtLocation(x: 1, y: 2) @tag(name: \"a\") } }"));
}

TEST(UniqueArgumentNames, ReportsRepeatedArgumentAtEveryUse) {
  EXPECT_TRUE(fails(kRule, "{ dog { isAtLocation(x: 1, x: 2, x: 3) name @skip(if: true, if: false) } }",
                    {{"There can be only one argument named \"x\".", {{1, 22}, {1, 28}, {1, 34}}},
                     {"There can be only one argument named \"if\".", {{1, 51}, {1, 61}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
