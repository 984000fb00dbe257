#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "SingleFieldSubscriptions";

TEST(SingleFieldSubscriptions, AcceptsOneFieldDirectlyOrThroughFragments) {
  EXPECT_TRUE(passes(kRule, "subscription S { importantEmails }"));
  EXPECT_TRUE(passes(kRule, "subscription S { ...F } fragment F on SubscriptionRoot { importantEmails }"));
  EXPECT_TRUE(passes(kRule, "subscription S { importantEmails notImportantEmails @skip(if: true) }"));
}

TEST(SingleFieldSubscriptions, ReportsTheExtraFields) {
  EXPECT_TRUE(fails(kRule, "subscription S { importantEmails notImportantEmails a: importantEmails }",
                    {{"Subscription \"S\" must select only one top level field.", {{1, 34}, {1, 53}}}}));
}

TEST(SingleFieldSubscriptions, ReportsFieldsComingFromFragmentsAndAnonymousOperations) {
  EXPECT_TRUE(fails(kRule,
                    "subscription { ...F }\nfragment F on SubscriptionRoot { importantEmails notImportantEmails }",
                    {{"Anonymous Subscription must select only one top level field.", {{2, 50}}}}));
}

TEST(SingleFieldSubscriptions, ReportsIntrospectionRootField) {
  EXPECT_TRUE(fails(kRule, "subscription S { __typename }",
                    {{"Subscription \"S\" must not select an introspection top level field.", {{1, 18}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
