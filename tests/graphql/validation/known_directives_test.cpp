#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "KnownDirectives";

TEST(KnownDirectives, AcceptsKnownDirectivesInTheirLocations) {
  EXPECT_TRUE(passes(kRule, "query Q @onQuery { dog @include(if: true) { name @onField ...F @skip(if: false) } }"
                            " fragment F on Dog { name }"));
}

TEST(KnownDirectives, ReportsUnknownDirectives) {
  EXPECT_TRUE(fails(kRule, "{ dog @unknown(x: 1) { name } }", {{"Unknown directive \"@unknown\".", {{1, 7}}}}));
}

TEST(KnownDirectives, ReportsMisplacedDirectivesWithTheLocationName) {
  EXPECT_TRUE(fails(kRule,
                    "query Q($v: Int @onField) @onField { dog @onQuery { ... @onField { name } } }\n"
                    "fragment F on Dog @include(if: true) { name }",
                    {{"Directive \"@onField\" may not be used on VARIABLE_DEFINITION.", {{1, 17}}},
                     {"Directive \"@onField\" may not be used on QUERY.", {{1, 27}}},
                     {"Directive \"@onQuery\" may not be used on FIELD.", {{1, 42}}},
                     {"Directive \"@onField\" may not be used on INLINE_FRAGMENT.", {{1, 57}}},
                     {"Directive \"@include\" may not be used on FRAGMENT_DEFINITION.", {{2, 19}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
