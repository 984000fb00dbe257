// Hostile JSON and GraphQL at POST/GET /api against the real binary: invalid UTF-8, deep
// nesting, huge numbers, duplicate keys, wrong types, deep selections, alias and fragment
// bombs, huge strings and variable lists, introspection abuse. Each is refused (or answered)
// in time with a JSON body, and the process's peak memory stays bounded.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "hostile/hostile_server.hpp"

namespace cubeauth::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

/// Peak resident memory allowed at the end of the suite (all of it, every abuse below).
/// Generous enough for ASan's shadow memory, far below what an unbounded input would take.
constexpr std::size_t kMaxPeakKb = 400 * 1024;

class HostileGraphql : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The default body limit (1 MiB): these inputs must be refused by the GraphQL limits.
    auto environment = hostile_environment({{"CUBEAUTH_BODY_LIMIT", "1048576"}});
    server_ = new Cubeauth(environment);
  }
  static void TearDownTestSuite() {
    const std::size_t peak = process_status_kb(server_->process().pid(), "VmHWM");
    EXPECT_GT(peak, 0u);
    EXPECT_LT(peak, kMaxPeakKb) << "VmHWM " << peak << " kB";
    std::printf("HostileGraphql: VmHWM %zu kB after the suite\n", peak);
    delete server_;
    server_ = nullptr;
  }
  void TearDown() override {
    EXPECT_TRUE(served_within(port(), 1s)) << server_->process().output();
  }
  static std::uint16_t port() { return server_->port(); }

  /// Posts `body`; expects `status`, a JSON answer, its first error's code, within 5 s.
  static GraphqlAnswer expect_refused(const std::string& body, unsigned status,
                                      const std::string& code) {
    const auto started = Clock::now();
    GraphqlAnswer answer = post_raw_graphql(port(), body);
    EXPECT_LT(Clock::now() - started, 5s);
    EXPECT_EQ(answer.status, status) << body.substr(0, 200);
    EXPECT_FALSE(answer.body.is_null()) << "not JSON: " << body.substr(0, 200);
    EXPECT_EQ(answer.code(), code) << boost::json::serialize(answer.body).substr(0, 500);
    return answer;
  }
  static std::string message(const GraphqlAnswer& answer) {
    if (answer.errors().empty()) {
      return {};
    }
    return std::string(answer.errors()[0].as_object().at("message").as_string());
  }

  static Cubeauth* server_;
};

Cubeauth* HostileGraphql::server_ = nullptr;

std::string request_body(const std::string& query, const boost::json::object& variables = {}) {
  return boost::json::serialize(boost::json::object{{"query", query}, {"variables", variables}});
}

TEST_F(HostileGraphql, RefusesInvalidUtf8) {
  expect_refused("{\"query\":\"{ hello \xff }\"}", 400, "BAD_REQUEST");
  expect_refused("{\"query\":\"{ hello }\",\"variables\":{\"a\":\"\xc0\xaf\"}}", 400,
                 "BAD_REQUEST");
  expect_refused("{\"query\":\"{ hello }\",\"variables\":{\"a\":\"\\ud800\"}}", 400, "BAD_REQUEST");
}

TEST_F(HostileGraphql, RefusesJsonNestedAHundredThousandLevels) {
  const std::string deep_array = std::string(100'000, '[') + std::string(100'000, ']');
  expect_refused(deep_array, 400, "BAD_REQUEST");
  std::string deep_object;
  for (int i = 0; i < 100'000; ++i) {
    deep_object += "{\"a\":";
  }
  deep_object += "1" + std::string(100'000, '}');
  expect_refused("{\"query\":\"{ hello }\",\"variables\":" + deep_object + "}", 400, "BAD_REQUEST");
  // GET carries its variables in the query string: the same depth limit applies.
  const auto get =
      http_request(port(), "GET", "/api?query=%7Bhello%7D&variables=" + std::string(1000, '['));
  ASSERT_TRUE(get);
  EXPECT_EQ(get->result_int(), 400u);
}

TEST_F(HostileGraphql, RefusesNumbersBeyondADoubleAndAnswersJson) {
  const auto answer = expect_refused(
      "{\"query\":\"mutation($body: LoginUserDto!) { login(body: $body) { token } }\","
      "\"variables\":{\"body\":{\"email\":1e400,\"password\":\"secret-12\"}}}",
      400, "BAD_REQUEST");
  EXPECT_NE(message(answer).find("range of a double"), std::string::npos) << message(answer);
  // A big integer fits a double: it reaches coercion and is refused there, as a String.
  expect_refused(
      "{\"query\":\"mutation($body: LoginUserDto!) { login(body: $body) { token } }\","
      "\"variables\":{\"body\":{\"email\":123456789012345678901234567890,\"password\":\"secret-"
      "12\"}}}",
      400, "BAD_USER_INPUT");
}

TEST_F(HostileGraphql, TakesTheLastOfDuplicateKeysAsJavaScriptDoes) {
  const auto answer = post_raw_graphql(port(), "{\"query\":\"{ nope }\",\"query\":\"{ hello }\"}");
  EXPECT_EQ(answer.status, 200u);
  EXPECT_EQ(boost::json::serialize(answer.data()), "{\"hello\":\"Hello from API!\"}");
}

TEST_F(HostileGraphql, RefusesWrongTypesForTheRequestFields) {
  expect_refused("{\"query\":42}", 400, "BAD_REQUEST");
  expect_refused("{\"query\":[\"{ hello }\"]}", 400, "BAD_REQUEST");
  expect_refused("{\"query\":{\"a\":1}}", 400, "BAD_REQUEST");
  expect_refused("{\"query\":\"{ hello }\",\"variables\":\"{}\"}", 400, "BAD_REQUEST");
  expect_refused("{\"query\":\"{ hello }\",\"variables\":[1,2]}", 400, "BAD_REQUEST");
  expect_refused("{\"query\":\"{ hello }\",\"operationName\":7}", 400, "BAD_REQUEST");
  expect_refused("{\"query\":\"{ hello }\",\"extensions\":true}", 400, "BAD_REQUEST");
  expect_refused("[{\"query\":\"{ hello }\"}]", 400, "BAD_REQUEST");  // no batching
  expect_refused("\"{ hello }\"", 400, "BAD_REQUEST");
  expect_refused(
      request_body("mutation($body: LoginUserDto!) { login(body: $body) { token } }",
                   {{"body", {{"email", boost::json::array{1, 2}}, {"password", nullptr}}}}),
      400, "BAD_USER_INPUT");
}

TEST_F(HostileGraphql, RefusesDeepSelectionsBeforeRunningThem) {
  for (int depth : {30, 1000, 10'000}) {
    std::string query = "{ ";
    for (int i = 0; i < depth; ++i) {
      query += "user { ";
    }
    query += "id";
    for (int i = 0; i <= depth; ++i) {
      query += " }";
    }
    const auto answer = post_raw_graphql(port(), request_body(query));
    EXPECT_EQ(answer.status, 400u) << depth;
    EXPECT_FALSE(answer.errors().empty()) << depth;
  }
  // Deep nesting inside an argument value and a list type, too.
  std::string value = std::string(5000, '[') + std::string(5000, ']');
  expect_refused(request_body("{ hello(a: " + value + ") }"), 400, "GRAPHQL_PARSE_FAILED");
}

TEST_F(HostileGraphql, RefusesAnAliasBomb) {
  std::string query = "{";
  for (int i = 0; i < 3000; ++i) {
    query += " a" + std::to_string(i) + ": hello";
  }
  query += " }";
  expect_refused(request_body(query), 400, "QUERY_LIMIT_EXCEEDED");
}

TEST_F(HostileGraphql, RefusesAFragmentBombInTime) {
  // Each fragment spreads the previous one twice: 2^40 fields once expanded.
  std::string query = "query { ...F40 } fragment F0 on Query { hello a: hello }";
  for (int i = 1; i <= 40; ++i) {
    query += " fragment F" + std::to_string(i) + " on Query { ...F" + std::to_string(i - 1) +
             " ...F" + std::to_string(i - 1) + " }";
  }
  const auto started = Clock::now();
  const auto answer = post_raw_graphql(port(), request_body(query));
  EXPECT_LT(Clock::now() - started, 5s);
  EXPECT_EQ(answer.status, 400u);
  EXPECT_FALSE(answer.errors().empty());
  // Conflicting fields across many fragments (the overlapping-fields rule's worst case).
  std::string wide = "query { ...W0 }";
  for (int i = 0; i < 300; ++i) {
    wide += " fragment W" + std::to_string(i) + " on Query { x: hello " +
            (i + 1 < 300 ? "...W" + std::to_string(i + 1) : std::string("x: __typename")) + " }";
  }
  const auto wide_started = Clock::now();
  const auto wide_answer = post_raw_graphql(port(), request_body(wide));
  EXPECT_LT(Clock::now() - wide_started, 5s);
  EXPECT_EQ(wide_answer.status, 400u);
}

TEST_F(HostileGraphql, RefusesACyclicFragment) {
  expect_refused(
      request_body("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"), 400,
      "GRAPHQL_VALIDATION_FAILED");
}

TEST_F(HostileGraphql, RefusesHugeArgumentStrings) {
  // In the document: the document size limit (64 KiB).
  const std::string big(900'000, 'x');
  expect_refused(
      request_body("mutation { login(body: {email: \"" + big + "\", password: \"p\"}) { token } }"),
      400, "GRAPHQL_PARSE_FAILED");
  // In variables: decoded, then refused by the input rules without reaching the store.
  const auto answer = post_raw_graphql(
      port(),
      request_body("mutation($body: LoginUserDto!) { login(body: $body) { token } }",
                   {{"body", {{"email", big + "@example.org"}, {"password", "secret-12"}}}}));
  EXPECT_EQ(answer.status, 200u);
  EXPECT_EQ(answer.code(), "BAD_USER_INPUT");
  const auto password = post_raw_graphql(
      port(), request_body("mutation($body: LoginUserDto!) { login(body: $body) { token } }",
                           {{"body", {{"email", "someone@example.org"}, {"password", big}}}}));
  EXPECT_EQ(password.status, 200u);
  EXPECT_EQ(password.code(), "UNAUTHENTICATED");
}

TEST_F(HostileGraphql, RefusesEnormousVariableLists) {
  // Thousands of variable definitions: the token limit.
  std::string definitions;
  for (int i = 0; i < 5000; ++i) {
    definitions += "$v" + std::to_string(i) + ": String ";
  }
  expect_refused(request_body("query(" + definitions + ") { hello }"), 400, "GRAPHQL_PARSE_FAILED");
  // Fifty thousand variable values nobody declared (under the 1 MiB body limit): ignored,
  // the query runs.
  boost::json::object variables;
  for (int i = 0; i < 50'000; ++i) {
    variables["v" + std::to_string(i)] = i;
  }
  const auto answer = post_raw_graphql(port(), request_body("{ hello }", variables));
  EXPECT_EQ(answer.status, 200u);
  EXPECT_EQ(boost::json::serialize(answer.data()), "{\"hello\":\"Hello from API!\"}");
}

TEST_F(HostileGraphql, KeepsIntrospectionWithinTheLimits) {
  // Deep ofType chains: the depth limit.
  std::string of_type = "name";
  for (int i = 0; i < 40; ++i) {
    of_type = "ofType { " + of_type + " }";
  }
  expect_refused(request_body("{ __schema { types { fields { type { " + of_type + " } } } } }"),
                 400, "QUERY_LIMIT_EXCEEDED");
  // The whole schema many times over: the field and alias limits.
  std::string many = "{";
  for (int i = 0; i < 200; ++i) {
    many += " s" + std::to_string(i) +
            ": __schema { types { name fields { name args { name } type { name } } } }";
  }
  expect_refused(request_body(many + " }"), 400, "QUERY_LIMIT_EXCEEDED");
  // A normal introspection query still works.
  const auto answer = post_raw_graphql(port(), request_body("{ __schema { queryType { name } } }"));
  EXPECT_EQ(answer.status, 200u);
}

}  // namespace
}  // namespace cubeauth::testing
