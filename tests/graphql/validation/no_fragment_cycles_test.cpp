#include "graphql/validation/harness.hpp"

#include <string>

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "NoFragmentCycles";

TEST(NoFragmentCycles, AcceptsDiamondsAndRepeatedSpreads) {
  EXPECT_TRUE(passes(kRule, "fragment A on Dog { ...B ...C ...B } fragment B on Dog { ...D }"
                            " fragment C on Dog { ...D } fragment D on Dog { name }"));
}

TEST(NoFragmentCycles, ReportsSpreadOfItself) {
  EXPECT_TRUE(fails(kRule, "fragment A on Dog { ...A }", {{"Cannot spread fragment \"A\" within itself.", {{1, 21}}}}));
}

TEST(NoFragmentCycles, ReportsCycleOnceWithEverySpreadOnIt) {
  EXPECT_TRUE(fails(kRule,
                    "fragment A on Dog { ...B }\nfragment B on Dog { ...C }\nfragment C on Dog { mother { ...A } }",
                    {{"Cannot spread fragment \"A\" within itself via \"B\", \"C\".", {{1, 21}, {2, 21}, {3, 30}}}}));
}

TEST(NoFragmentCycles, HandlesLongChainsWithoutRecursion) {
  std::string document;
  for (int i = 0; i < 5000; ++i) {
    document += "fragment F" + std::to_string(i) + " on Dog { ...F" + std::to_string(i + 1) + " }\n";
  }
  document += "fragment F5000 on Dog { ...F0 }\n";
  auto errors = run_rule(kRule, document);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].locations.size(), 5001u);
}

}  // namespace
}  // namespace cubeauth::graphql::testing
