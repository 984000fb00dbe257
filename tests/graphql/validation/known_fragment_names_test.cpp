#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "KnownFragmentNames";

TEST(KnownFragmentNames, AcceptsSpreadsOfDefinedFragments) {
  EXPECT_TRUE(passes(kRule, "{ dog { ...A ... on Dog { ...A } } } fragment A on Dog { name }"));
}

TEST(KnownFragmentNames, ReportsEachUnknownSpread) {
  EXPECT_TRUE(fails(kRule, "{ dog { ...Unknown } }\nfragment A on Dog { ...AlsoUnknown ... { ...Nope } }",
                    {{"Unknown fragment \"Unknown\".", {{1, 12}}},
                     {"Unknown fragment \"AlsoUnknown\".", {{2, 24}}},
                     {"Unknown fragment \"Nope\".", {{2, 45}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
