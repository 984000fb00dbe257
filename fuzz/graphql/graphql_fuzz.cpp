// libFuzzer target for the GraphQL front end: lexer and parser on arbitrary bytes, then every
// validation rule on whatever parses, against a schema with every kind of type.
#include "graphql/language/parser.hpp"
#include "graphql/schema/schema.hpp"
#include "graphql/validation/validate.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

namespace {

constexpr std::string_view kSchema = R"(
directive @tag(name: String!) repeatable on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT | QUERY
scalar Date
enum Color { RED GREEN BLUE OLD @deprecated }
interface Named { name: String }
interface Pet implements Named { name: String owner: Human }
type Dog implements Pet & Named { name: String owner: Human barkVolume: Int
  doesKnowCommand(command: Color!): Boolean mother: Dog }
type Cat implements Pet & Named { name: String owner: Human lives: Int! color: Color }
type Human implements Named { name: String pets: [Pet!]! friends: [Human] born: Date }
union Animal = Dog | Cat
input Filter { name: String! colors: [Color!] = [RED] nested: Filter limit: Int = 10 }
type Query { dog: Dog pets(filter: Filter, first: Int = 5): [Pet] animal(id: ID!): Animal
  human(id: ID): Human echo(a: Int, b: Float, c: [String], d: Filter, e: Boolean!): String }
type Mutation { rename(id: ID!, name: String!): Pet }
type Subscription { barked: Dog }
)";

const cubeauth::graphql::Schema& schema() {
  static const std::shared_ptr<cubeauth::graphql::Schema> built = [] {
    auto result = cubeauth::graphql::build_schema(kSchema);
    if (!result) {
      std::abort();
    }
    return *std::move(result);
  }();
  return *built;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  cubeauth::graphql::ParseOptions options;
  options.max_tokens = 20'000;
  auto document = cubeauth::graphql::parse(source, options);
  if (document) {
    auto errors = cubeauth::graphql::validate(schema(), *document);
    (void)errors;
  }
  return 0;
}
