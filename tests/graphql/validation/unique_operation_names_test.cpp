#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "UniqueOperationNames";

TEST(UniqueOperationNames, AcceptsDistinctNamesAndAnonymousOperations) {
  EXPECT_TRUE(passes(kRule, "query Foo { dog { name } } query Bar { dog { name } }"));
  EXPECT_TRUE(passes(kRule, "{ dog { name } }"));
}

TEST(UniqueOperationNames, ReportsRepeatedNameAtBothNames) {
  EXPECT_TRUE(fails(kRule, "query Foo { dog { name } }\nmutation Foo { dog { name } }",
                    {{"There can be only one operation named \"Foo\".", {{1, 7}, {2, 10}}}}));
}

TEST(UniqueOperationNames, ReportsEveryRepetitionAgainstTheFirst) {
  EXPECT_TRUE(fails(kRule, "query A { dog } query A { dog } query A { dog }",
                    {{"There can be only one operation named \"A\".", {{1, 7}, {1, 23}}},
                     {"There can be only one operation named \"A\".", {{1, 7}, {1, 39}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
