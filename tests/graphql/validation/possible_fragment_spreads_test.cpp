#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "PossibleFragmentSpreads";

TEST(PossibleFragmentSpreads, AcceptsOverlappingTypes) {
  EXPECT_TRUE(passes(kRule, "{ dog { ...P ... on CatOrDog { __typename } } pet { ... on Dog { barks } } }"
                            " fragment P on Pet { name }"));
}

TEST(PossibleFragmentSpreads, ReportsDisjointNamedFragment) {
  EXPECT_TRUE(fails(kRule, "{ dog { ...C } }\nfragment C on Cat { meows }",
                    {{"Fragment \"C\" cannot be spread here as objects of type \"Dog\" can never be of type \"Cat\".", {{1, 9}}}}));
}

TEST(PossibleFragmentSpreads, ReportsDisjointInlineFragments) {
  EXPECT_TRUE(fails(kRule, "{ human { ... on Pet { name } } catOrDog { ... on Human { iq } } }",
                    {{"Fragment cannot be spread here as objects of type \"Human\" can never be of type \"Pet\".", {{1, 11}}},
                     {"Fragment cannot be spread here as objects of type \"CatOrDog\" can never be of type \"Human\".", {{1, 44}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
