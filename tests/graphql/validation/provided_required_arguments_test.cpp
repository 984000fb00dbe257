#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "ProvidedRequiredArguments";

TEST(ProvidedRequiredArguments, AcceptsGivenRequiredAndDefaultedArguments) {
  EXPECT_TRUE(passes(kRule, "{ complicatedArgs { multipleReqs(req2: 1, req1: 2) nonNullFieldWithDefault"
                            " multipleOpts } dog { name @include(if: true) } }"));
}

TEST(ProvidedRequiredArguments, ReportsEachMissingFieldArgumentAtTheField) {
  EXPECT_TRUE(fails(kRule, "{ complicatedArgs { multipleReqs } }",
                    {{"Field \"multipleReqs\" argument \"req1\" of type \"Int!\" is required, but it was not provided.", {{1, 21}}},
                     {"Field \"multipleReqs\" argument \"req2\" of type \"Int!\" is required, but it was not provided.", {{1, 21}}}}));
}

TEST(ProvidedRequiredArguments, ReportsMissingDirectiveArguments) {
  EXPECT_TRUE(fails(kRule, "{ dog { name @skip @tag } }",
                    {{"Directive \"@skip\" argument \"if\" of type \"Boolean!\" is required, but it was not provided.", {{1, 14}}},
                     {"Directive \"@tag\" argument \"name\" of type \"String!\" is required, but it was not provided.", {{1, 20}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
