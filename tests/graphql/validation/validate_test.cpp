#include "graphql/validation/validate.hpp"

#include "graphql/validation/harness.hpp"
#include "graphql/validation/specified_rules.hpp"

#include <set>
#include <string>

namespace cubeauth::graphql::testing {
namespace {

TEST(Validate, RegistryNamesEveryRuleOnceWithItsSpecSection) {
  std::set<std::string_view> names;
  for (const RuleSpec& rule : specified_rules()) {
    EXPECT_TRUE(names.insert(rule.name).second) << rule.name;
    EXPECT_TRUE(rule.section.starts_with("5.")) << rule.name;
    EXPECT_EQ(find_rule(rule.name), &rule);
  }
  EXPECT_EQ(names.size(), 26u);
  EXPECT_EQ(find_rule("NoSuchRule"), nullptr);
}

TEST(Validate, AcceptsAValidDocumentWithEveryRule) {
  EXPECT_TRUE(passes("", "query Q($cmd: DogCommand!, $withName: Boolean = true) {\n"
                         "  dog { ...DogFields name @include(if: $withName) }\n"
                         "  catOrDog { __typename ... on Cat { meows } }\n"
                         "}\n"
                         "fragment DogFields on Dog { doesKnowCommand(dogCommand: $cmd) mother { name } }"));
}

TEST(Validate, CollectsErrorsOfSeveralRulesInOneWalk) {
  EXPECT_TRUE(fails("", "query Q($unused: Int) { dog { nope ...Missing } }",
                    {{"Cannot query field \"nope\" on type \"Dog\". Did you mean \"name\"?", {{1, 31}}},
                     {"Unknown fragment \"Missing\".", {{1, 39}}},
                     {"Variable \"$unused\" is never used in operation \"Q\".", {{1, 9}}}}));
}

TEST(Validate, StopsAfterMaxErrorsWithGraphqlJsMessage) {
  std::string document = "{ dog {";
  for (int i = 0; i < 150; ++i) {
    document += " f" + std::to_string(i);
  }
  document += " } }";
  auto errors = run_rule("", document);
  ASSERT_EQ(errors.size(), 101u);
  EXPECT_EQ(errors.back().message,
            "Too many validation errors, error limit reached. Validation aborted.");
  EXPECT_TRUE(errors.back().locations.empty());
}

}  // namespace
}  // namespace cubeauth::graphql::testing
