#include "graphql/validation/harness.hpp"

namespace cubeauth::graphql::testing {
namespace {

constexpr const char* kRule = "ValuesOfCorrectType";

TEST(ValuesOfCorrectType, AcceptsGoodLiteralsIncludingIntForFloatAndSingleForList) {
  EXPECT_TRUE(passes(kRule, "{ complicatedArgs { intArgField(intArg: -2147483648) floatArgField(floatArg: 1)"
                            " idArgField(idArg: 12) stringListArgField(stringListArg: \"one\")"
                            " enumArgField(enumArg: SPOTTED) complexArgField(complexArg: { requiredField: true }) } }"));
}

TEST(ValuesOfCorrectType, ReportsScalarMismatchesInGraphqlJsWords) {
  EXPECT_TRUE(fails(kRule,
                    "{ complicatedArgs { intArgField(intArg: 2147483648) a: intArgField(intArg: 1.0)"
                    " stringArgField(stringArg: 1) booleanArgField(booleanArg: \"true\") idArgField(idArg: 1.5)"
                    " floatArgField(floatArg: X) } }",
                    {{"Int cannot represent non 32-bit signed integer value: 2147483648", {{1, 41}}},
                     {"Int cannot represent non-integer value: 1.0", {{1, 76}}},
                     {"String cannot represent a non string value: 1", {{1, 107}}},
                     {"Boolean cannot represent a non boolean value: \"true\"", {{1, 138}}},
                     {"ID cannot represent a non-string and non-integer value: 1.5", {{1, 164}}},
                     {"Float cannot represent non numeric value: X", {{1, 193}}}}));
}

TEST(ValuesOfCorrectType, ReportsEnumMistakesWithSuggestions) {
  EXPECT_TRUE(fails(kRule, "{ complicatedArgs { a: enumArgField(enumArg: \"BROWN\") b: enumArgField(enumArg: brown) } }",
                    {{"Enum \"FurColor\" cannot represent non-enum value: \"BROWN\". Did you mean the enum value \"BROWN\"?", {{1, 46}}},
                     {"Value \"brown\" does not exist in \"FurColor\" enum. Did you mean the enum value \"BROWN\"?", {{1, 80}}}}));
}

TEST(ValuesOfCorrectType, ReportsNullForNonNullAndMissingRequiredInputFields) {
  EXPECT_TRUE(fails(kRule,
                    "{ complicatedArgs { nonNullIntArgField(nonNullIntArg: null) complexArgField(complexArg: { intField: 4 }) } }",
                    {{"Expected value of type \"Int!\", found null.", {{1, 55}}},
                     {"Field \"ComplexInput.requiredField\" of required type \"Boolean!\" was not provided.", {{1, 89}}}}));
}

TEST(ValuesOfCorrectType, ReportsUnknownInputFieldsAndWrongShapes) {
  EXPECT_TRUE(fails(kRule,
                    "{ complicatedArgs { complexArgField(complexArg: { requiredField: true, intFeld: 4 })"
                    " a: complexArgField(complexArg: [1]) intArgField(intArg: { a: 1 }) } }",
                    {{"Field \"intFeld\" is not defined by type \"ComplexInput\". Did you mean \"intField\"?", {{1, 72}}},
                     {"Expected value of type \"ComplexInput\", found [1].", {{1, 117}}},
                     {"Int cannot represent non-integer value: {a: 1}", {{1, 142}}}}));
}

TEST(ValuesOfCorrectType, ChecksListItemsAndVariableDefaults) {
  EXPECT_TRUE(fails(kRule, "query Q($a: Int = \"one\", $b: [String!] = [\"x\", null]) { dog { name } }",
                    {{"Int cannot represent non-integer value: \"one\"", {{1, 19}}},
                     {"Expected value of type \"String!\", found null.", {{1, 48}}}}));
}

}  // namespace
}  // namespace cubeauth::graphql::testing
