#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "UniqueInputFieldNames";

TEST(UniqueInputFieldNames, AcceptsSameNamesInNestedObjects) {
  EXPECT_TRUE(passes(kRule, "{ dog(a: { x: 1, y: { x: 2 } }) { name } }"));
}

TEST(UniqueInputFieldNames, ReportsEachRepetitionAgainstTheFirst) {
  EXPECT_TRUE(fails(kRule, "{ dog(a: { x: 1, x: 2, x: 3 }) { name } }",
                    {{"There can be only one input field named \"x\".", {{1, 12}, {1, 18}}},
                     {"There can be only one input field named \"x\".", {{1, 12}, {1, 24}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
