#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "ScalarLeafs";

TEST(ScalarLeafs, AcceptsLeavesWithoutAndObjectsWithSelections) {
  EXPECT_TRUE(passes(kRule, "{ dog { barks furless: name } human { pets { name } } }"));
}

TEST(ScalarLeafs, ReportsObjectFieldsWithoutSelection) {
  EXPECT_TRUE(fails(kRule, "{ dog human(id: 1) { pets } }",
                    {{"Field \"dog\" of type \"Dog\" must have a selection of subfields. Did you mean \"dog { ... }\"?", {{1, 3}}},
                     {"Field \"pets\" of type \"[Pet]\" must have a selection of subfields. Did you mean \"pets { ... }\"?", {{1, 22}}}}));
}

TEST(ScalarLeafs, ReportsSelectionsOnScalarsAndEnumsAtTheBrace) {
  EXPECT_TRUE(fails(kRule, "{ dog { barks { sinceWhen } } cat { furColor { x } } }",
                    {{"Field \"barks\" must not have a selection since type \"Boolean\" has no subfields.", {{1, 15}}},
                     {"Field \"furColor\" must not have a selection since type \"FurColor\" has no subfields.", {{1, 46}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
