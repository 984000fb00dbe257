#include "graphql/request/service.hpp"

#include "graphql/response/write_response.hpp"
#include "graphql/support/run_query.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

namespace cubeauth::graphql {
namespace {

namespace json = boost::json;

std::shared_ptr<Schema> hello_schema() {
  auto schema = testing::make_schema("type Query { hello: String! me: Me } type Me { a: Me b: Int }");
  testing::bind(*schema, "Query.hello", [](const ResolveParams&) -> ResolverResult {
    return "world";
  });
  return schema;
}

std::string run(const Service& service, std::string_view query, std::string_view variables = "{}") {
  RequestContext context;
  json::object parsed = json::parse(variables).as_object();
  return write_response(service.execute_request_blocking(query, parsed, {}, context));
}

TEST(Service, AnswersARequest) {
  Service service(hello_schema());
  EXPECT_EQ(run(service, "{ hello }"), R"({"data":{"hello":"world"}})");
}

TEST(Service, AnswersFromItsCoroutineApi) {
  Service service(hello_schema());
  boost::asio::io_context io;
  RequestContext context;
  json::object variables;
  std::string answer;
  boost::asio::co_spawn(io, service.execute_request("{ hello }", variables, {}, context),
                        [&](std::exception_ptr error, Response response) {
                          ASSERT_FALSE(error);
                          answer = write_response(response);
                        });
  io.run();
  EXPECT_EQ(answer, R"({"data":{"hello":"world"}})");
}

TEST(Service, CachesPreparedDocumentsByText) {
  ServiceOptions options;
  options.cache_entries = 2;
  Service service(hello_schema(), options);
  auto first = service.prepare("{ hello }");
  EXPECT_EQ(service.prepare("{ hello }"), first);
  EXPECT_EQ(service.cache().hits(), 1u);
  service.prepare("{ a: hello }");
  service.prepare("{ b: hello }");  // evicts "{ hello }", the least recently used
  EXPECT_EQ(service.cache().size(), 2u);
  EXPECT_NE(service.prepare("{ hello }"), first);
  EXPECT_EQ(run(service, "{ hello }"), R"({"data":{"hello":"world"}})");
}

TEST(Service, ReturnsSyntaxErrorsWithoutData) {
  Service service(hello_schema());
  EXPECT_EQ(run(service, "{ hello"),
            R"({"errors":[{"message":"Syntax Error: Expected Name, found <EOF>.",)"
            R"("locations":[{"line":1,"column":8}]}]})");
}

TEST(Service, EnforcesItsLimits) {
  ServiceOptions options;
  options.limits.max_document_bytes = 200;
  options.limits.max_tokens = 20;
  options.limits.max_depth = 3;
  options.limits.max_fields = 4;
  options.limits.max_aliases = 1;
  Service service(hello_schema(), options);
  EXPECT_EQ(run(service, "{ hello }"), R"({"data":{"hello":"world"}})");
  EXPECT_EQ(run(service, std::string(201, ' ') + "{ hello }"),
            R"({"errors":[{"message":"Syntax Error: Document is larger than 200 bytes. Parsing )"
            R"(aborted."}]})");
  std::string many = "{";
  for (int i = 0; i < 25; ++i) {
    many += " hello";
  }
  EXPECT_EQ(run(service, many + " }"),
            R"({"errors":[{"message":"Syntax Error: Document contains more than 20 tokens. )"
            R"(Parsing aborted.","locations":[{"line":1,"column":117}]}]})");
  EXPECT_EQ(run(service, "query Q { me { a { a { b } } } }"),
            R"({"errors":[{"message":"Operation \"Q\" is nested 4 levels deep; the limit is 3.",)"
            R"("locations":[{"line":1,"column":1}],"extensions":{"code":"QUERY_LIMIT_EXCEEDED"}}]})");
  EXPECT_EQ(run(service, "{ hello ...F ...F } fragment F on Query { hello hello }"),
            R"({"errors":[{"message":"The operation selects 5 fields; the limit is 4.",)"
            R"("locations":[{"line":1,"column":1}],"extensions":{"code":"QUERY_LIMIT_EXCEEDED"}}]})");
  EXPECT_EQ(run(service, "{ a: hello b: hello }"),
            R"({"errors":[{"message":"The operation uses 2 aliases; the limit is 1.",)"
            R"("locations":[{"line":1,"column":1}],"extensions":{"code":"QUERY_LIMIT_EXCEEDED"}}]})");
}

TEST(Service, SurvivesHostileDocuments) {
  ServiceOptions options;
  options.limits.max_document_bytes = 16 * 1024 * 1024;
  options.limits.max_tokens = 50'000'000;
  Service service(hello_schema(), options);
  std::string nested;
  for (int i = 0; i < 100'000; ++i) {
    nested += "{me";
  }
  EXPECT_NE(run(service, nested).find("nesting is deeper"), std::string::npos);
  EXPECT_NE(run(service, std::string(10 * 1024 * 1024, '{')).find("Syntax Error"),
            std::string::npos);
  std::string lists = "{ hello(x: " + std::string(100'000, '[') + ") }";
  EXPECT_NE(run(service, lists).find("nesting is deeper"), std::string::npos);
}

TEST(Service, KnowsWhichDocumentsOnlyReadTheSchema) {
  Service service(hello_schema());
  EXPECT_TRUE(service.prepare("{ __schema { queryType { name } } t: __typename }")->introspection_only);
  EXPECT_TRUE(service.prepare("query { ...F } fragment F on Query { __type(name: \"Me\") { name } }")
                  ->introspection_only);
  EXPECT_FALSE(service.prepare("{ __typename hello }")->introspection_only);
  EXPECT_FALSE(service.prepare("{ ... on Query { hello } __typename }")->introspection_only);
  EXPECT_FALSE(service.prepare("mutation { __typename }")->introspection_only);
}

TEST(Service, RemembersIntrospectionAnswersPerVariablesAndOperation) {
  Service service(hello_schema());
  const std::string query =
      "query A($all: Boolean!, $name: String!) {"
      "  t: __type(name: $name) { name fields @include(if: $all) { name } }"
      "  __typename }"
      "query B { __schema { queryType { name } } }";
  RequestContext context;
  auto ask = [&](std::string_view operation, std::string_view variables) {
    json::object parsed = json::parse(variables).as_object();
    return write_response(service.execute_request_blocking(query, parsed, operation, context));
  };
  const std::string me_all = R"({"data":{"t":{"name":"Me","fields":[{"name":"a"},{"name":"b"}]},"__typename":"Query"}})";
  const std::string me_names = R"({"data":{"t":{"name":"Me"},"__typename":"Query"}})";
  for (int round = 0; round < 2; ++round) {  // the second round comes from memory
    EXPECT_EQ(ask("A", R"({"all":true,"name":"Me"})"), me_all);
    EXPECT_EQ(ask("A", R"({"all":false,"name":"Me"})"), me_names);
    EXPECT_EQ(ask("A", R"({"all":false,"name":"Nope"})"), R"({"data":{"t":null,"__typename":"Query"}})");
    EXPECT_EQ(ask("B", "{}"), R"({"data":{"__schema":{"queryType":{"name":"Query"}}}})");
  }
  // Variables that fail coercion are answered with the error every time, never remembered.
  EXPECT_NE(ask("A", R"({"all":"yes","name":"Me"})").find("errors"), std::string::npos);
  EXPECT_NE(ask("A", R"({"all":"yes","name":"Me"})").find("errors"), std::string::npos);
}

TEST(Service, RemembersNothingWithoutADocumentCache) {
  ServiceOptions options;
  options.cache_entries = 0;
  Service service(hello_schema(), options);
  EXPECT_FALSE(service.prepare("{ __typename }")->introspection_only);
  EXPECT_EQ(run(service, "{ __typename }"), R"({"data":{"__typename":"Query"}})");
}

TEST(Service, SharesARememberedAnswerAndExecutesWhenToldNotToRemember) {
  const std::string query = "{ __schema { queryType { name } } }";
  const json::object variables;
  auto answer = [&](const Service& service) {
    RequestContext context;
    return service.execute_request_blocking(query, variables, {}, context);
  };
  Service remembering(hello_schema());
  Response first = answer(remembering);
  Response second = answer(remembering);
  ASSERT_TRUE(first.data && second.data);
  // The first answer was executed and remembered as it is: repeats get that same immutable
  // value, not a copy.
  EXPECT_EQ(second.data, first.data);
  EXPECT_EQ(answer(remembering).data, first.data);
  EXPECT_EQ(write_response(second), R"({"data":{"__schema":{"queryType":{"name":"Query"}}}})");

  ServiceOptions options;
  options.remember_introspection_answers = false;
  Service executing(hello_schema(), options);
  EXPECT_FALSE(executing.prepare(query)->introspection_only);
  Response once = answer(executing);
  Response again = answer(executing);
  EXPECT_NE(once.data, again.data);
  EXPECT_EQ(write_response(again), write_response(second));
}

TEST(Service, SchemaRefusesResolversForIntrospectionFields) {
  auto schema = hello_schema();
  auto bound = schema->bind("__Type.name", [](const ResolveParams&) -> ResolverResult { return "x"; });
  ASSERT_FALSE(bound);
  EXPECT_NE(bound.error().find("introspection"), std::string::npos);
  Service service(schema);
  EXPECT_EQ(run(service, R"({ __type(name: "Me") { name } })"), R"({"data":{"__type":{"name":"Me"}}})");
}

}  // namespace
}  // namespace cubeauth::graphql
