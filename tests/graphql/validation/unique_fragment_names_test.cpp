#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "UniqueFragmentNames";

TEST(UniqueFragmentNames, AcceptsDistinctFragmentNames) {
  EXPECT_TRUE(passes(kRule, "{ dog { ...A ...B } } fragment A on Dog { name } fragment B on Dog { name }"));
}

TEST(UniqueFragmentNames, ReportsRepeatedNameAtBothNames) {
  EXPECT_TRUE(fails(kRule, "{ dog { ...A } }\nfragment A on Dog { name }\nfragment A on Dog { barks }",
                    {{"There can be only one fragment named \"A\".", {{2, 10}, {3, 10}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
