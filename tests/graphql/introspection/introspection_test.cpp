#include "graphql/introspection/introspection.hpp"

#include "graphql/support/introspection_query.hpp"
#include "graphql/support/run_query.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace cubeauth::graphql {
namespace {

namespace json = boost::json;
using testing::make_schema;
using testing::run;

constexpr std::string_view kSdl = R"(
  "The schema."
  schema { query: Query }
  "Root."
  type Query {
    "Says hello."
    hello(name: String = "you", style: Style = LOUD, opts: Opts = {n: 2, f: 1.5}): String
    old: Int @deprecated(reason: "gone")
    node: Node
  }
  enum Style { LOUD QUIET @deprecated }
  input Opts { n: Int, f: Float, legacy: ID = 7 @deprecated, list: [Int] = [1, 2] }
  interface Node { id: ID! }
  type Thing implements Node { id: ID! tags: [[String!]]! }
  scalar Url @specifiedBy(url: "https://url.spec.whatwg.org/")
  directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT
)";

json::value data_of(const std::string& response) {
  json::value parsed = json::parse(response);
  EXPECT_FALSE(parsed.as_object().contains("errors")) << response;
  return parsed.at("data");
}

TEST(Introspection, AnswersTypename) {
  auto schema = make_schema(kSdl);
  EXPECT_EQ(run(*schema, "{ __typename }"), R"({"data":{"__typename":"Query"}})");
}

TEST(Introspection, DescribesATypeWithDeprecationsAndDefaults) {
  auto schema = make_schema(kSdl);
  json::value data = data_of(run(*schema, R"({
    __type(name: "Query") {
      kind name description
      fields { name }
      all: fields(includeDeprecated: true) {
        name description isDeprecated deprecationReason
        args { name defaultValue type { kind name } }
      }
    }
  })"));
  const json::value& type = data.at("__type");
  EXPECT_EQ(type.at("kind"), "OBJECT");
  EXPECT_EQ(type.at("description"), "Root.");
  EXPECT_EQ(type.at("fields").as_array().size(), 2u);
  const json::array& all = type.at("all").as_array();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].at("description"), "Says hello.");
  const json::array& args = all[0].at("args").as_array();
  EXPECT_EQ(args[0].at("defaultValue"), "\"you\"");
  EXPECT_EQ(args[1].at("defaultValue"), "LOUD");
  EXPECT_EQ(args[2].at("defaultValue"), "{n: 2, f: 1.5, legacy: 7, list: [1, 2]}");
  EXPECT_EQ(all[1].at("isDeprecated"), true);
  EXPECT_EQ(all[1].at("deprecationReason"), "gone");
  EXPECT_EQ(run(*schema, R"({ __type(name: "Nope") { name } })"), R"({"data":{"__type":null}})");
}

TEST(Introspection, DescribesWrappingTypesEnumsInputsAndScalars) {
  auto schema = make_schema(kSdl);
  json::value data = data_of(run(*schema, R"({
    thing: __type(name: "Thing") {
      interfaces { name }
      fields { name type { kind name ofType { kind ofType { kind ofType { kind ofType { name } } } } } }
    }
    node: __type(name: "Node") { kind possibleTypes { name } }
    style: __type(name: "Style") {
      enumValues { name }
      all: enumValues(includeDeprecated: true) { name isDeprecated }
    }
    opts: __type(name: "Opts") {
      inputFields { name }
      all: inputFields(includeDeprecated: true) { name isDeprecated defaultValue }
    }
    url: __type(name: "Url") { kind specifiedByURL }
  })"));
  EXPECT_EQ(json::serialize(data.at("thing")),
            R"({"interfaces":[{"name":"Node"}],"fields":[)"
            R"({"name":"id","type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"SCALAR","ofType":null}}},)"
            R"({"name":"tags","type":{"kind":"NON_NULL","name":null,"ofType":{"kind":"LIST","ofType":)"
            R"({"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"name":"String"}}}}}}]})");
  EXPECT_EQ(json::serialize(data.at("node")),
            R"({"kind":"INTERFACE","possibleTypes":[{"name":"Thing"}]})");
  EXPECT_EQ(data.at("style").at("enumValues").as_array().size(), 1u);
  EXPECT_EQ(data.at("style").at("all").as_array().size(), 2u);
  EXPECT_EQ(data.at("opts").at("inputFields").as_array().size(), 3u);
  EXPECT_EQ(data.at("opts").at("all").as_array()[2].at("defaultValue"), "7");
  EXPECT_EQ(json::serialize(data.at("url")),
            R"({"kind":"SCALAR","specifiedByURL":"https://url.spec.whatwg.org/"})");
}

TEST(Introspection, AnswersTheFullGraphqlJsIntrospectionQuery) {
  auto schema = make_schema(kSdl);
  json::value data = data_of(run(*schema, testing::kIntrospectionQuery));
  const json::object& root = data.at("__schema").as_object();
  EXPECT_EQ(root.at("description"), "The schema.");
  EXPECT_EQ(root.at("queryType").at("name"), "Query");
  EXPECT_TRUE(root.at("mutationType").is_null());
  std::vector<std::string> names;
  for (const auto& type : root.at("types").as_array()) {
    names.push_back(std::string(type.at("name").as_string()));
  }
  const std::vector<std::string> expected = {
      "Query", "String", "Int", "Style", "Opts", "Float", "ID", "Node", "Thing", "Url",
      "Boolean", "__Schema", "__Type", "__TypeKind", "__Field", "__InputValue", "__EnumValue",
      "__Directive", "__DirectiveLocation"};
  EXPECT_EQ(names, expected);
  std::vector<std::string> directives;
  for (const auto& directive : root.at("directives").as_array()) {
    directives.push_back(std::string(directive.at("name").as_string()));
  }
  EXPECT_EQ(directives,
            (std::vector<std::string>{"tag", "include", "skip", "deprecated", "specifiedBy"}));
  const json::value& tag = root.at("directives").as_array()[0];
  EXPECT_EQ(tag.at("isRepeatable"), true);
  EXPECT_EQ(json::serialize(tag.at("locations")), R"(["FIELD_DEFINITION","OBJECT"])");
  const json::value& deprecated = root.at("directives").as_array()[3];
  EXPECT_EQ(deprecated.at("args").as_array()[0].at("defaultValue"), "\"No longer supported\"");
}

}  // namespace
}  // namespace cubeauth::graphql
