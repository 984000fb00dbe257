#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "KnownArgumentNames";

TEST(KnownArgumentNames, AcceptsKnownFieldAndDirectiveArguments) {
  EXPECT_TRUE(passes(kRule, "{ dog { isAtLocation(y: 1, x: 2) doesKnowCommand(dogCommand: SIT) @skip(if: false) } }"));
}

TEST(KnownArgumentNames, ReportsUnknownFieldArgumentWithSuggestion) {
  EXPECT_TRUE(fails(kRule, "{ dog { doesKnowCommand(dogcommand: SIT) name(unknown: true) } }",
                    {{"Unknown argument \"dogcommand\" on field \"Dog.doesKnowCommand\". Did you mean \"dogCommand\"?", {{1, 25}}},
                     {"Unknown argument \"unknown\" on field \"Dog.name\".", {{1, 47}}}}));
}

TEST(KnownArgumentNames, ReportsUnknownDirectiveArgumentOnlyOnce) {
  EXPECT_TRUE(fails(kRule, "{ dog { name @skip(iff: true) } }",
                    {{"Unknown argument \"iff\" on directive \"@skip\". Did you mean \"if\"?", {{1, 20}}}}));
}

TEST(KnownArgumentNames, IgnoresArgumentsOfUnknownFieldsAndDirectives) {
  EXPECT_TRUE(passes(kRule, "{ dog { nope(x: 1) name @nope(y: 2) } }"));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
