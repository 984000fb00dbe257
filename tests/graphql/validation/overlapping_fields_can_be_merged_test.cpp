#include "graphql/validation/harness.hpp"

#include <chrono>
#include <string>

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "OverlappingFieldsCanBeMerged";

TEST(OverlappingFieldsCanBeMerged, AcceptsIdenticalFieldsAndArguments) {
  EXPECT_TRUE(passes(kRule, "{ dog { name name n: name doesKnowCommand(dogCommand: SIT)"
                            " doesKnowCommand(dogCommand: SIT) isAtLocation(x: 1, y: 2) isAtLocation(y: 2, x: 1) } }"));
}

TEST(OverlappingFieldsCanBeMerged, AcceptsDifferentFieldsOnDisjointObjectTypes) {
  EXPECT_TRUE(passes(kRule, "{ pet { ... on Dog { v: barkVolume } ... on Cat { v: meowsVolume } } }"));
}

TEST(OverlappingFieldsCanBeMerged, ReportsAliasOfTwoFields) {
  EXPECT_TRUE(fails(kRule, "{ dog { name: nickname name } }",
                    {{"Fields \"name\" conflict because \"nickname\" and \"name\" are different fields. Use "
                      "different aliases on the fields to fetch both if this was intentional.",
                      {{1, 9}, {1, 24}}}}));
}

TEST(OverlappingFieldsCanBeMerged, ReportsDifferingArgumentsAcrossFragments) {
  EXPECT_TRUE(fails(kRule, "{ dog { ...A ...B } }\nfragment A on Dog { doesKnowCommand(dogCommand: SIT) }\n"
                           "fragment B on Dog { doesKnowCommand(dogCommand: HEEL) }",
                    {{"Fields \"doesKnowCommand\" conflict because they have differing arguments. Use "
                      "different aliases on the fields to fetch both if this was intentional.",
                      {{2, 21}, {3, 21}}}}));
}

TEST(OverlappingFieldsCanBeMerged, ReportsConflictingTypesEvenOnDisjointTypes) {
  EXPECT_TRUE(fails(kRule, "{ pet { ... on Dog { v: barkVolume } ... on Cat { v: nickname } } }",
                    {{"Fields \"v\" conflict because they return conflicting types \"Int\" and \"String\". "
                      "Use different aliases on the fields to fetch both if this was intentional.",
                      {{1, 22}, {1, 51}}}}));
}

TEST(OverlappingFieldsCanBeMerged, ExplainsNestedConflictsThroughSubfields) {
  EXPECT_TRUE(fails(kRule, "{ dog { mother { x: name } mother { x: barks } } }",
                    {{"Fields \"mother\" conflict because subfields \"x\" conflict because \"name\" and "
                      "\"barks\" are different fields. Use different aliases on the fields to fetch both "
                      "if this was intentional.",
                      {{1, 9}, {1, 18}, {1, 28}, {1, 37}}}}));
}

TEST(OverlappingFieldsCanBeMerged, StaysFastOnRepeatedNestedFields) {
  // Twelve levels of two identical fields: 4^12 comparisons without the pair cache.
  std::string document = "{ dog { x: name } }";
  std::string nested = "name";
  for (int depth = 0; depth < 12; ++depth) {
    nested = "mother { " + nested + " } mother { " + nested + " }";
  }
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(passes(kRule, "{ dog { " + nested + " } }"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// graphql-js reports this pair once from each fragment's side; so do we.
TEST(OverlappingFieldsCanBeMerged, DoesNotLoopOnRecursiveFragments) {
  EXPECT_TRUE(fails(kRule, "{ dog { ...A } }\nfragment A on Dog { x: name mother { ...A } ...B }\n"
                           "fragment B on Dog { x: barks ...A }",
                    {{"Fields \"x\" conflict because \"name\" and \"barks\" are different fields. Use "
                      "different aliases on the fields to fetch both if this was intentional.",
                      {{2, 21}, {3, 21}}},
                     {"Fields \"x\" conflict because \"barks\" and \"name\" are different fields. Use "
                      "different aliases on the fields to fetch both if this was intentional.",
                      {{3, 21}, {2, 21}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
