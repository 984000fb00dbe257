#include "graphql/execution/execute.hpp"

#include "graphql/support/run_query.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <stdexcept>

namespace cubeauth::graphql {
namespace {

namespace json = boost::json;
using testing::bind;
using testing::make_schema;
using testing::run;

constexpr std::string_view kSdl = R"(
  type Query {
    hello: String!
    user(id: ID!): User
    users: [User!]
    maybeUsers: [User]
    echo(text: String = "default", times: Int = 1): String
    float(value: Float!): Float
    list(values: [Int]): [Int]
    input(filter: Filter): String
    color(c: Color = RED): Color
    things: [Thing]
    node: Node
    failing: String
    failingStrict: String!
    number: Int
  }
  type Mutation { step(n: Int!): Int! }
  type User implements Node { id: ID! name: String! friends: [User!]! best: User }
  interface Node { id: ID! }
  type Pet implements Node { id: ID! kind: String }
  union Thing = User | Pet
  enum Color { RED GREEN }
  input Filter { name: String! limit: Int = 10 tags: [String] }
)";

json::value user_json(std::string_view id, std::string_view name) {
  return json::object{{"id", id}, {"name", name}, {"friends", json::array{}}};
}

class ExecuteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = make_schema(kSdl);
    ASSERT_TRUE(schema_);
    bind(*schema_, "Query.hello", [](const ResolveParams&) -> ResolverResult { return "world"; });
    bind(*schema_, "Query.user", [](const ResolveParams& p) -> ResolverResult {
      const auto& id = p.arg("id").as_string();
      if (id == "404") {
        return nullptr;
      }
      return user_json(id, "Ann");
    });
    bind(*schema_, "Query.echo", [](const ResolveParams& p) -> ResolverResult {
      std::string out;
      for (std::int64_t i = 0; i < p.arg("times").as_int64(); ++i) {
        out += p.arg("text").as_string();
      }
      return json::value(out);
    });
    bind(*schema_, "Query.float", [](const ResolveParams& p) -> ResolverResult {
      return p.arg("value");
    });
    bind(*schema_, "Query.list", [](const ResolveParams& p) -> ResolverResult {
      return p.arg("values");
    });
    bind(*schema_, "Query.input", [](const ResolveParams& p) -> ResolverResult {
      return json::serialize(p.arg("filter"));
    });
    bind(*schema_, "Query.color", [](const ResolveParams& p) -> ResolverResult {
      return p.arg("c");
    });
    bind(*schema_, "Query.failing", [](const ResolveParams&) -> ResolverResult {
      return FieldError("Email is taken", "BAD_USER_INPUT", json::object{{"field", "email"}});
    });
    bind(*schema_, "Query.failingStrict", [](const ResolveParams&) -> ResolverResult {
      throw std::runtime_error("secret database detail");
    });
  }

  std::string query(std::string_view text, std::string_view variables = "{}",
                    const json::value& root = {}) {
    return run(*schema_, text, variables, root);
  }

  std::shared_ptr<Schema> schema_;
};

TEST_F(ExecuteTest, ResolvesHello) {
  EXPECT_EQ(query("{ hello }"), R"({"data":{"hello":"world"}})");
}

TEST_F(ExecuteTest, BuildsTheResponseInItsOwnArena) {
  auto document = parse(R"({ user(id: "1") { id name friends { id } } hello })");
  ASSERT_TRUE(document);
  const json::object variables;
  const json::value root;
  RequestContext context;
  Response response = execute_blocking(ExecutionArgs{*schema_, *document, "", variables, context, root});
  ASSERT_TRUE(response.data);
  // Every value of the answer is in one arena (freed at once), none on the default heap.
  const json::storage_ptr& storage = response.data->storage();
  EXPECT_TRUE(storage.is_deallocate_trivial());
  const json::object& user = response.data->at("user").as_object();
  EXPECT_EQ(user.storage().get(), storage.get());
  EXPECT_EQ(user.at("name").as_string().storage().get(), storage.get());
  // The data owns its arena: it outlives the Response it came in.
  std::shared_ptr<const json::value> kept = response.data;
  response = Response{};
  EXPECT_EQ(kept->at("user").at("name").as_string(), "Ann");
  EXPECT_EQ(kept->storage().get(), storage.get());
  EXPECT_EQ(json::serialize(*kept),
            R"({"user":{"id":"1","name":"Ann","friends":[]},"hello":"world"})");
}

TEST_F(ExecuteTest, ReadsPropertiesOfTheParentWithoutAResolver) {
  EXPECT_EQ(query("{ user(id: \"1\") { id name best { id } } }"),
            R"({"data":{"user":{"id":"1","name":"Ann","best":null}}})");
  json::value root = json::object{{"number", 7}};
  EXPECT_EQ(query("{ number }", "{}", root), R"({"data":{"number":7}})");
}

TEST_F(ExecuteTest, KeepsSelectionOrderAliasesAndFragments) {
  EXPECT_EQ(query(R"(
    query { b: hello, ...F, a: hello, ... on Query { user(id: "2") { name } }, __typename }
    fragment F on Query { hello echo(text: "x") }
  )"),
            R"({"data":{"b":"world","hello":"world","echo":"x","a":"world",)"
            R"("user":{"name":"Ann"},"__typename":"Query"}})");
}

TEST_F(ExecuteTest, MergesFieldsOfTheSameResponseKey) {
  EXPECT_EQ(query(R"({ user(id: "1") { id } user(id: "1") { name } })"),
            R"({"data":{"user":{"id":"1","name":"Ann"}}})");
}

TEST_F(ExecuteTest, AppliesSkipAndInclude) {
  EXPECT_EQ(query(R"(query ($yes: Boolean!) {
      a: hello @skip(if: true)
      b: hello @include(if: $yes)
      c: hello @include(if: false)
      ... @skip(if: $yes) { d: hello }
      ...F @include(if: $yes)
    }
    fragment F on Query { e: hello })",
                  R"({"yes":true})"),
            R"({"data":{"b":"world","e":"world"}})");
}

TEST_F(ExecuteTest, CoercesArgumentsAndDefaults) {
  EXPECT_EQ(query(R"({ echo echo2: echo(text: "ab", times: 2) color c2: color(c: GREEN) })"),
            R"({"data":{"echo":"default","echo2":"abab","color":"RED","c2":"GREEN"}})");
  EXPECT_EQ(query(R"({ input(filter: {name: "n", tags: "one"}) })"),
            R"({"data":{"input":"{\"name\":\"n\",\"limit\":10,\"tags\":[\"one\"]}"}})");
}

TEST_F(ExecuteTest, CoercesVariablesAsTheSpecSays) {
  // Int -> Float, single value -> list, defaults, null versus missing.
  EXPECT_EQ(query("query ($v: Float!) { float(value: $v) }", R"({"v":3})"),
            R"({"data":{"float":3}})");
  EXPECT_EQ(query("query ($v: [Int]) { list(values: $v) }", R"({"v":5})"),
            R"({"data":{"list":[5]}})");
  EXPECT_EQ(query("query ($t: String = \"vd\") { echo(text: $t) }"), R"({"data":{"echo":"vd"}})");
  EXPECT_EQ(query("query ($t: String) { echo(text: $t) }"), R"({"data":{"echo":"default"}})");
  EXPECT_EQ(query("query ($v: [Int]) { list(values: $v) }", R"({"v":null})"),
            R"({"data":{"list":null}})");
  EXPECT_EQ(query("query ($f: Filter) { input(filter: $f) }", R"({"f":{"name":"x"}})"),
            R"({"data":{"input":"{\"name\":\"x\",\"limit\":10}"}})");
}

TEST_F(ExecuteTest, ReportsVariableErrorsWithoutData) {
  EXPECT_EQ(query("query ($x: String!) { echo(text: $x) }"),
            R"({"errors":[{"message":"Variable \"$x\" of required type \"String!\" was not )"
            R"(provided.","locations":[{"line":1,"column":8}]}]})");
  EXPECT_EQ(query("query ($x: String!) { echo(text: $x) }", R"({"x":null})"),
            R"({"errors":[{"message":"Variable \"$x\" of non-null type \"String!\" must not be )"
            R"(null.","locations":[{"line":1,"column":8}]}]})");
  EXPECT_EQ(query("query ($n: Int) { echo(times: $n) }", R"({"n":"abc"})"),
            R"({"errors":[{"message":"Variable \"$n\" got invalid value \"abc\"; Int cannot )"
            R"(represent non-integer value: \"abc\"","locations":[{"line":1,"column":8}]}]})");
  EXPECT_EQ(query("query ($f: Filter) { input(filter: $f) }", R"({"f":{"limit":1,"x":2}})"),
            R"({"errors":[{"message":"Variable \"$f\" got invalid value { limit: 1, x: 2 }; )"
            R"(Field \"name\" of required type \"String!\" was not provided.",)"
            R"("locations":[{"line":1,"column":8}]},)"
            R"({"message":"Variable \"$f\" got invalid value { limit: 1, x: 2 }; Field \"x\" is )"
            R"(not defined by type \"Filter\".","locations":[{"line":1,"column":8}]}]})");
  EXPECT_EQ(query("query ($l: [Int!]) { list(values: $l) }", R"({"l":[1,null]})"),
            R"({"errors":[{"message":"Variable \"$l\" got invalid value null at \"l[1]\"; )"
            R"(Expected non-nullable type \"Int!\" not to be null.",)"
            R"("locations":[{"line":1,"column":8}]}]})");
}

TEST_F(ExecuteTest, ReportsArgumentErrorsAsFieldErrors) {
  EXPECT_EQ(query("query ($id: ID) { user(id: $id) { id } }"),
            R"({"errors":[{"message":"Argument \"id\" of required type \"ID!\" was provided the )"
            R"(variable \"$id\" which was not provided a runtime value.",)"
            R"("locations":[{"line":1,"column":28}],"path":["user"]}],"data":{"user":null}})");
}

TEST_F(ExecuteTest, ReturnsTypedFieldErrorsWithExtensions) {
  EXPECT_EQ(query("{ hello failing }"),
            R"({"errors":[{"message":"Email is taken","locations":[{"line":1,"column":9}],)"
            R"("path":["failing"],"extensions":{"code":"BAD_USER_INPUT","field":"email"}}],)"
            R"("data":{"hello":"world","failing":null}})");
}

TEST_F(ExecuteTest, HidesExceptionTextAndPropagatesNullToTheRoot) {
  EXPECT_EQ(query("{ hello failingStrict }"),
            R"({"errors":[{"message":"Internal server error","locations":[{"line":1,"column":9}],)"
            R"("path":["failingStrict"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],)"
            R"("data":null})");
}

TEST_F(ExecuteTest, PropagatesNullToTheNearestNullableParent) {
  bind(*schema_, "Query.users", [](const ResolveParams&) -> ResolverResult {
    return json::array{user_json("1", "a"), json::object{{"id", "2"}, {"friends", json::array{}}}};
  });
  bind(*schema_, "Query.maybeUsers", [](const ResolveParams&) -> ResolverResult {
    return json::array{user_json("1", "a"), json::object{{"id", "2"}, {"friends", json::array{}}}};
  });
  // [User!] : the bad item nulls the whole list.
  EXPECT_EQ(query("{ users { id name } }"),
            R"({"errors":[{"message":"Cannot return null for non-nullable field User.name.",)"
            R"("locations":[{"line":1,"column":14}],"path":["users",1,"name"]}],)"
            R"("data":{"users":null}})");
  // [User] : only the bad item becomes null.
  EXPECT_EQ(query("{ maybeUsers { id name } }"),
            R"({"errors":[{"message":"Cannot return null for non-nullable field User.name.",)"
            R"("locations":[{"line":1,"column":19}],"path":["maybeUsers",1,"name"]}],)"
            R"("data":{"maybeUsers":[{"id":"1","name":"a"},null]}})");
}

TEST_F(ExecuteTest, SerializesLeavesAndReportsBadOnes) {
  json::value root = json::object{{"number", "abc"}};
  EXPECT_EQ(query("{ number }", "{}", root),
            R"({"errors":[{"message":"Int cannot represent non-integer value: \"abc\"",)"
            R"("locations":[{"line":1,"column":3}],"path":["number"]}],"data":{"number":null}})");
  root = json::object{{"number", 2.0}};
  EXPECT_EQ(query("{ number }", "{}", root), R"({"data":{"number":2}})");
}

TEST_F(ExecuteTest, ResolvesAbstractTypesByTypename) {
  bind(*schema_, "Query.things", [](const ResolveParams&) -> ResolverResult {
    return json::array{json::object{{"__typename", "Pet"}, {"id", "p"}, {"kind", "cat"}},
                       json::object{{"__typename", "User"}, {"id", "u"}, {"name", "Bo"}},
                       json::object{{"id", "?"}}};
  });
  EXPECT_EQ(query("{ things { __typename ... on Pet { kind } ... on Node { id } } }"),
            R"({"errors":[{"message":"Abstract type \"Thing\" must resolve to an Object type at )"
            R"(runtime for field \"Query.things\". Either the \"Thing\" type should provide a )"
            R"(\"resolveType\" function or each possible type should provide an \"isTypeOf\" )"
            R"(function.","locations":[{"line":1,"column":3}],"path":["things",2]}],)"
            R"("data":{"things":[{"__typename":"Pet","kind":"cat","id":"p"},)"
            R"({"__typename":"User","id":"u"},null]}})");
}

/// The response of `text` executed with plan_execution's plan; fails the test when the plan
/// is missing or when the response differs from an execution without it.
std::string run_planned(const Schema& schema, std::string_view text,
                        std::string_view variables_json = "{}") {
  auto document = parse(text);
  EXPECT_TRUE(document) << text;
  if (!document) {
    return {};
  }
  const json::object variables = json::parse(variables_json).as_object();
  const json::value root;
  auto plan = plan_execution(schema, *document);
  EXPECT_NE(plan, nullptr) << text;
  RequestContext context;
  const std::string unplanned =
      write_response(execute_blocking({schema, *document, "", variables, context, root}));
  const std::string planned = write_response(
      execute_blocking({schema, *document, "", variables, context, root, plan.get()}));
  EXPECT_EQ(planned, unplanned) << text;
  return planned;
}

TEST_F(ExecuteTest, APlannedExecutionAnswersLikeAnUnplannedOne) {
  bind(*schema_, "Query.things", [](const ResolveParams&) -> ResolverResult {
    return json::array{json::object{{"__typename", "Pet"}, {"id", "p"}, {"kind", "cat"}},
                       json::object{{"__typename", "User"}, {"id", "u"}, {"name", "Bo"}}};
  });
  // Abstract types (a sub-selection planned per possible type), fragments merging into one
  // key, literal @skip/@include, and arguments coerced once at planning.
  EXPECT_EQ(run_planned(*schema_,
                        "{ things { __typename ... on Pet { kind } ... on Node { id } "
                        "...on User { name @skip(if: true) id } } }"),
            R"({"data":{"things":[{"__typename":"Pet","kind":"cat","id":"p"},)"
            R"({"__typename":"User","id":"u"}]}})");
  EXPECT_EQ(run_planned(*schema_,
                        "{ a: echo(text: \"x\", times: 2) echo user(id: \"1\") { ...F id "
                        "best { id } } hello @include(if: false) } "
                        "fragment F on User { name id friends { id } }"),
            R"({"data":{"a":"xx","echo":"default","user":{"name":"Ann","id":"1","friends":[],)"
            R"("best":null}}})");
  EXPECT_EQ(run_planned(*schema_, "{ float(value: 2) list(values: 3) color(c: GREEN) }"),
            R"({"data":{"float":2,"list":[3],"color":"GREEN"}})");
  // An argument that fails coercion is not planned: the execution reports it at its field.
  EXPECT_EQ(run_planned(*schema_, R"({ float(value: "two") hello })"),
            R"({"errors":[{"message":"Argument \"value\" has invalid value \"two\".",)"
            R"("locations":[{"line":1,"column":16}],"path":["float"]}],)"
            R"("data":{"float":null,"hello":"world"}})");
  // Variables still reach arguments of a planned document.
  EXPECT_EQ(run_planned(*schema_, "query($t: String) { echo(text: $t) }", R"({"t":"hi"})"),
            R"({"data":{"echo":"hi"}})");
}

TEST(ExecutePlan, LeavesWhatIsPastItsSizeLimitToTheExecutor) {
  // 60 types behind one interface, three levels deep: 60 + 3,600 + ... planned groups, past the
  // plan's limit, so the deepest sub-selections are collected during execution instead.
  std::string sdl = "type Query { node: Node } interface Node { id: ID! next: Node }";
  for (int i = 0; i < 60; ++i) {
    sdl += " type T" + std::to_string(i) + " implements Node { id: ID! next: Node }";
  }
  auto schema = make_schema(sdl);
  ASSERT_TRUE(schema);
  bind(*schema, "Query.node", [](const ResolveParams&) -> ResolverResult {
    return json::object{
        {"__typename", "T7"},
        {"id", "a"},
        {"next", json::object{{"__typename", "T59"},
                              {"id", "b"},
                              {"next", json::object{{"__typename", "T0"}, {"id", "c"}}}}}};
  });
  EXPECT_EQ(run_planned(*schema, "{ node { id next { __typename id next { id next { id } } } } }"),
            R"({"data":{"node":{"id":"a","next":{"__typename":"T59","id":"b",)"
            R"("next":{"id":"c","next":null}}}}})");
}

TEST_F(ExecuteTest, DoesNotPlanADocumentWhoseSkipOrIncludeReadsAVariable) {
  for (const char* text :
       {"query($s: Boolean!) { hello @skip(if: $s) }",
        "query($s: Boolean!) { ...F } fragment F on Query { hello @include(if: $s) }",
        "query($s: Boolean!) { user(id: 1) { ... @skip(if: $s) { id } } }"}) {
    auto document = parse(text);
    ASSERT_TRUE(document) << text;
    EXPECT_EQ(plan_execution(*schema_, *document), nullptr) << text;
  }
}

TEST_F(ExecuteTest, ChoosesTheOperation) {
  const char* document = "query A { hello } query B { echo }";
  EXPECT_EQ(run(*schema_, document, "{}", {}, nullptr, "B"), R"({"data":{"echo":"default"}})");
  EXPECT_EQ(run(*schema_, document),
            R"({"errors":[{"message":"Must provide operation name if query contains multiple )"
            R"(operations."}]})");
  EXPECT_EQ(run(*schema_, document, "{}", {}, nullptr, "C"),
            R"({"errors":[{"message":"Unknown operation named \"C\"."}]})");
  EXPECT_EQ(run(*schema_, "fragment F on Query { hello }"),
            R"({"errors":[{"message":"Must provide an operation."}]})");
  auto no_mutation = make_schema("type Query { a: Int }");
  EXPECT_EQ(run(*no_mutation, "mutation { a }"),
            R"({"errors":[{"message":"Schema is not configured to execute mutation operation.",)"
            R"("locations":[{"line":1,"column":1}]}]})");
}

TEST_F(ExecuteTest, PassesTheRequestContextToResolvers) {
  struct User {
    std::string name;
  };
  bind(*schema_, "Query.hello", [](const ResolveParams& p) -> ResolverResult {
    const User* user = p.context.get<User>();
    return user == nullptr ? json::value("nobody") : json::value(user->name);
  });
  RequestContext context;
  EXPECT_EQ(run(*schema_, "{ hello }", "{}", {}, &context), R"({"data":{"hello":"nobody"}})");
  context.set(User{"ann"});
  EXPECT_EQ(run(*schema_, "{ hello }", "{}", {}, &context), R"({"data":{"hello":"ann"}})");
}

// --- asynchronous resolvers -----------------------------------------------------------------

boost::asio::awaitable<FieldOutcome> traced(std::vector<std::string>& trace, std::string name,
                                            json::value result) {
  trace.push_back(name + ">");
  co_await boost::asio::post(co_await boost::asio::this_coro::executor, boost::asio::use_awaitable);
  trace.push_back("<" + name);
  co_return result;
}

TEST_F(ExecuteTest, RunsIndependentAsyncFieldsConcurrently) {
  std::vector<std::string> trace;
  bind(*schema_, "Query.hello", [&](const ResolveParams&) -> ResolverResult {
    return traced(trace, "hello", "async world");
  });
  bind(*schema_, "Query.echo", [&](const ResolveParams& p) -> ResolverResult {
    return traced(trace, "echo", p.arg("text"));
  });
  bind(*schema_, "Query.user", [&](const ResolveParams& p) -> ResolverResult {
    return traced(trace, "user", user_json(p.arg("id").as_string(), "Async"));
  });
  EXPECT_EQ(query(R"({ hello echo(text: "e") user(id: "7") { id name } })"),
            R"({"data":{"hello":"async world","echo":"e","user":{"id":"7","name":"Async"}}})");
  EXPECT_EQ(trace, (std::vector<std::string>{"hello>", "echo>", "user>", "<hello", "<echo", "<user"}));
}

TEST_F(ExecuteTest, RunsMutationRootFieldsSerially) {
  std::vector<std::string> trace;
  bind(*schema_, "Mutation.step", [&](const ResolveParams& p) -> ResolverResult {
    return traced(trace, std::to_string(p.arg("n").as_int64()), p.arg("n"));
  });
  EXPECT_EQ(query("mutation { a: step(n: 1) b: step(n: 2) c: step(n: 3) }"),
            R"({"data":{"a":1,"b":2,"c":3}})");
  EXPECT_EQ(trace, (std::vector<std::string>{"1>", "<1", "2>", "<2", "3>", "<3"}));
}

TEST_F(ExecuteTest, TurnsAsyncFailuresIntoLocatedErrors) {
  bind(*schema_, "Query.failing", [](const ResolveParams&) -> ResolverResult {
    return []() -> boost::asio::awaitable<FieldOutcome> {
      co_return unexpected(FieldError("No such user", "NOT_FOUND"));
    }();
  });
  bind(*schema_, "Query.failingStrict", [](const ResolveParams&) -> ResolverResult {
    return []() -> boost::asio::awaitable<FieldOutcome> {
      throw std::runtime_error("connection refused to 10.0.0.1");
      co_return json::value();
    }();
  });
  EXPECT_EQ(query("{ failing }"),
            R"({"errors":[{"message":"No such user","locations":[{"line":1,"column":3}],)"
            R"("path":["failing"],"extensions":{"code":"NOT_FOUND"}}],"data":{"failing":null}})");
  EXPECT_EQ(query("{ hello failingStrict }"),
            R"({"errors":[{"message":"Internal server error","locations":[{"line":1,"column":9}],)"
            R"("path":["failingStrict"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],)"
            R"("data":null})");
}

TEST_F(ExecuteTest, CompletesNestedAsyncValuesWaveAfterWave) {
  std::vector<std::string> trace;
  bind(*schema_, "Query.users", [&](const ResolveParams&) -> ResolverResult {
    return traced(trace, "users", json::array{user_json("1", "a"), user_json("2", "b")});
  });
  bind(*schema_, "User.best", [&](const ResolveParams& p) -> ResolverResult {
    std::string id(p.parent.at("id").as_string());
    return traced(trace, "best" + id, user_json("b" + id, "best of " + id));
  });
  EXPECT_EQ(query("{ users { id best { name } } }"),
            R"({"data":{"users":[{"id":"1","best":{"name":"best of 1"}},)"
            R"({"id":"2","best":{"name":"best of 2"}}]}})");
  EXPECT_EQ(trace, (std::vector<std::string>{"users>", "<users", "best1>", "best2>", "<best1",
                                             "<best2"}));
}

}  // namespace
}  // namespace cubeauth::graphql
