#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "UniqueDirectivesPerLocation";

TEST(UniqueDirectivesPerLocation, AcceptsRepeatableAndSeparateLocations) {
  EXPECT_TRUE(passes(kRule, "{ dog @onField { name @onField @tag(name: \"a\") @tag(name: \"b\") } }"));
}

TEST(UniqueDirectivesPerLocation, ReportsRepeatedNonRepeatableDirective) {
  EXPECT_TRUE(fails(kRule, "{ dog { name @onField @skip(if: false) @onField @onField } }",
                    {{"The directive \"@onField\" can only be used once at this location.", {{1, 14}, {1, 40}}},
                     {"The directive \"@onField\" can only be used once at this location.", {{1, 14}, {1, 49}}}}));
}

TEST(UniqueDirectivesPerLocation, IgnoresUnknownDirectives) {
  EXPECT_TRUE(passes(kRule, "{ dog @nope @nope { name } }"));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
