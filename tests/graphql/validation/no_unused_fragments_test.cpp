#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "NoUnusedFragments";

TEST(NoUnusedFragments, AcceptsFragmentsReachedDirectlyOrTransitively) {
  EXPECT_TRUE(passes(kRule, "{ dog { ...A } } fragment A on Dog { ...B } fragment B on Dog { name }"));
}

TEST(NoUnusedFragments, ReportsFragmentsNoOperationReaches) {
  EXPECT_TRUE(fails(kRule,
                    "{ dog { ...A } }\nfragment A on Dog { name }\nfragment Lonely on Dog { ...Chained }\n"
                    "fragment Chained on Dog { name }",
                    {{"Fragment \"Lonely\" is never used.", {{3, 1}}},
                     {"Fragment \"Chained\" is never used.", {{4, 1}}}}));
}

TEST(NoUnusedFragments, DoesNotLoopOnCycles) {
  EXPECT_TRUE(fails(kRule, "{ dog { name } }\nfragment A on Dog { ...B }\nfragment B on Dog { ...A }",
                    {{"Fragment \"A\" is never used.", {{2, 1}}}, {"Fragment \"B\" is never used.", {{3, 1}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
