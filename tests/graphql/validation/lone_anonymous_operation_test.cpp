#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "LoneAnonymousOperation";

TEST(LoneAnonymousOperation, AcceptsOneAnonymousOperationWithFragments) {
  EXPECT_TRUE(passes(kRule, "{ ...Frag } fragment Frag on QueryRoot { dog { name } }"));
}

TEST(LoneAnonymousOperation, ReportsAnonymousOperationBesideNamedOne) {
  EXPECT_TRUE(fails(kRule, "{ dog { name } }\nquery Foo { dog { name } }",
                    {{"This anonymous operation must be the only defined operation.", {{1, 1}}}}));
}

TEST(LoneAnonymousOperation, ReportsEachOfTwoAnonymousOperations) {
  EXPECT_TRUE(fails(kRule, "{ dog { name } }\n{ cat { name } }",
                    {{"This anonymous operation must be the only defined operation.", {{1, 1}}},
                     {"This anonymous operation must be the only defined operation.", {{2, 1}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
