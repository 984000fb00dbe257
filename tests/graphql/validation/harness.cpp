#include "graphql/validation/harness.hpp"

#include "graphql/language/parser.hpp"
#include "graphql/schema/schema.hpp"
#include "graphql/validation/specified_rules.hpp"
#include "graphql/validation/validate.hpp"

#include <memory>
#include <sstream>
#include <stdexcept>

namespace cubeauth::graphql::testing {

namespace {

constexpr std::string_view kSchema = R"(
schema { query: QueryRoot subscription: SubscriptionRoot }

directive @onField on FIELD
directive @onQuery on QUERY
directive @tag(name: String!) repeatable on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT

interface Mammal { mother: Mammal father: Mammal }
interface Pet { name(surname: Boolean): String }
interface Canine implements Mammal { name(surname: Boolean): String mother: Canine father: Canine }

enum DogCommand { SIT HEEL DOWN }

type Dog implements Pet & Mammal & Canine {
  name(surname: Boolean): String
  nickname: String
  barkVolume: Int
  barks: Boolean
  doesKnowCommand(dogCommand: DogCommand): Boolean
  isHouseTrained(atOtherHomes: Boolean = true): Boolean
  isAtLocation(x: Int, y: Int): Boolean
  mother: Dog
  father: Dog
}

type Cat implements Pet {
  name(surname: Boolean): String
  nickname: String
  meows: Boolean
  meowsVolume: Int
  furColor: FurColor
}

union CatOrDog = Cat | Dog

type Human {
  name(surname: Boolean): String
  pets: [Pet]
  relatives: [Human]!
  iq: Int
}

enum FurColor { BROWN BLACK TAN SPOTTED NO_FUR UNKNOWN }

input ComplexInput {
  requiredField: Boolean!
  nonNullField: Boolean! = false
  intField: Int
  stringField: String
  booleanField: Boolean
  stringListField: [String]
}

type ComplicatedArgs {
  intArgField(intArg: Int): String
  nonNullIntArgField(nonNullIntArg: Int!): String
  stringArgField(stringArg: String): String
  booleanArgField(booleanArg: Boolean): String
  enumArgField(enumArg: FurColor): String
  floatArgField(floatArg: Float): String
  idArgField(idArg: ID): String
  stringListArgField(stringListArg: [String]): String
  stringListNonNullArgField(stringListNonNullArg: [String!]): String
  complexArgField(complexArg: ComplexInput): String
  multipleReqs(req1: Int!, req2: Int!): String
  nonNullFieldWithDefault(arg: Int! = 0): String
  multipleOpts(opt1: Int = 0, opt2: Int = 0): String
}

type QueryRoot {
  human(id: ID): Human
  dog: Dog
  cat: Cat
  pet: Pet
  catOrDog: CatOrDog
  complicatedArgs: ComplicatedArgs
}

type SubscriptionRoot {
  importantEmails: [String]
  notImportantEmails: [String]
}
)";

const Schema& test_schema() {
  static const std::shared_ptr<Schema> schema = [] {
    auto built = build_schema(kSchema);
    if (!built) {
      throw std::runtime_error("validation test schema: " + built.error().front().message);
    }
    return *std::move(built);
  }();
  return *schema;
}

std::string describe(const std::vector<ExpectedError>& errors) {
  std::ostringstream out;
  for (const ExpectedError& error : errors) {
    out << "\n  " << error;
  }
  return errors.empty() ? "(no errors)" : out.str();
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const ExpectedError& error) {
  out << '"' << error.message << '"';
  for (const auto& [line, column] : error.locations) {
    out << " @" << line << ':' << column;
  }
  return out;
}

std::vector<ExpectedError> run_rule(std::string_view rule, std::string_view document) {
  auto parsed = parse(document);
  if (!parsed) {
    return {{"(syntax) " + parsed.error().message, {}}};
  }
  std::vector<GraphQLError> errors;
  if (rule.empty()) {
    errors = validate(test_schema(), *parsed);
  } else {
    const RuleSpec* spec = find_rule(rule);
    if (spec == nullptr) {
      return {{"(no rule named " + std::string(rule) + ")", {}}};
    }
    errors = validate(test_schema(), *parsed, std::span(spec, 1));
  }
  std::vector<ExpectedError> out;
  for (const GraphQLError& error : errors) {
    ExpectedError simple{error.message, {}};
    for (const ast::Location& location : error.locations) {
      simple.locations.emplace_back(location.line, location.column);
    }
    out.push_back(std::move(simple));
  }
  return out;
}

::testing::AssertionResult passes(std::string_view rule, std::string_view document) {
  return fails(rule, document, {});
}

::testing::AssertionResult fails(std::string_view rule, std::string_view document,
                                 const std::vector<ExpectedError>& errors) {
  std::vector<ExpectedError> actual = run_rule(rule, document);
  if (actual == errors) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "expected:" << describe(errors)
                                       << "\nactual:" << describe(actual);
}

}  // namespace cubeauth::graphql::testing
