#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "FragmentsOnCompositeTypes";

TEST(FragmentsOnCompositeTypes, AcceptsObjectsInterfacesUnionsAndNoCondition) {
  EXPECT_TRUE(passes(kRule, "fragment A on Dog { name } fragment B on Pet { name }"
                            " fragment C on CatOrDog { ... on Dog { name } ... { __typename } }"));
}

TEST(FragmentsOnCompositeTypes, ReportsScalarEnumAndInputConditions) {
  EXPECT_TRUE(fails(kRule, "fragment A on Boolean { x }\nfragment B on FurColor { x }\nfragment C on ComplexInput { x }",
                    {{"Fragment \"A\" cannot condition on non composite type \"Boolean\".", {{1, 15}}},
                     {"Fragment \"B\" cannot condition on non composite type \"FurColor\".", {{2, 15}}},
                     {"Fragment \"C\" cannot condition on non composite type \"ComplexInput\".", {{3, 15}}}}));
}

TEST(FragmentsOnCompositeTypes, ReportsInlineFragmentOnScalar) {
  EXPECT_TRUE(fails(kRule, "fragment A on Dog { ... on String { x } }",
                    {{"Fragment cannot condition on non composite type \"String\".", {{1, 28}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
