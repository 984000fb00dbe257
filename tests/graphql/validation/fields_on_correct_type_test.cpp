#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "FieldsOnCorrectType";

TEST(FieldsOnCorrectType, AcceptsFieldsOfObjectsInterfacesAndTypenameOnUnions) {
  EXPECT_TRUE(passes(kRule, "{ dog { name tn: __typename } pet { name } catOrDog { __typename } __typename }"));
}

TEST(FieldsOnCorrectType, SuggestsSimilarFieldNames) {
  EXPECT_TRUE(fails(kRule, "{ dog { nmae barkVolum } }",
                    {{"Cannot query field \"nmae\" on type \"Dog\". Did you mean \"name\"?", {{1, 9}}},
                     {"Cannot query field \"barkVolum\" on type \"Dog\". Did you mean \"barkVolume\"?", {{1, 14}}}}));
}

TEST(FieldsOnCorrectType, SuggestsInlineFragmentsOnTypesThatHaveTheField) {
  EXPECT_TRUE(fails(kRule, "{ pet { nickname } catOrDog { name } }",
                    {{"Cannot query field \"nickname\" on type \"Pet\". Did you mean to use an inline fragment on \"Cat\" or \"Dog\"?", {{1, 9}}},
                     {"Cannot query field \"name\" on type \"CatOrDog\". Did you mean to use an inline fragment on \"Pet\", \"Canine\", \"Cat\", or \"Dog\"?", {{1, 31}}}}));
}

TEST(FieldsOnCorrectType, ReportsWithoutHintWhenNothingIsClose) {
  EXPECT_TRUE(fails(kRule, "{ dog { unrelatedThing } }",
                    {{"Cannot query field \"unrelatedThing\" on type \"Dog\".", {{1, 9}}}}));
}

TEST(FieldsOnCorrectType, KnowsSchemaMetaFieldsOnlyOnTheQueryRoot) {
  EXPECT_TRUE(passes(kRule, "{ __schema { queryType { name } } __type(name: \"Dog\") { name } }"));
  EXPECT_TRUE(fails(kRule, "{ dog { __schema { queryType { name } } } }",
                    {{"Cannot query field \"__schema\" on type \"Dog\".", {{1, 9}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
