// GraphQL over HTTP at /api on the real binary: content types, status codes and the
// Apollo-style error codes clients rely on.
#include "e2e/api_client.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace cubeauth::testing {
namespace {

class GraphqlHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new Cubeauth(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static std::uint16_t port() { return server_->port(); }
  static Cubeauth* server_;
};
Cubeauth* GraphqlHttp::server_ = nullptr;

TEST_F(GraphqlHttp, AnswersHelloAsTheOldServer) {
  const auto answer = post_graphql(port(), "{ hello }");
  EXPECT_EQ(answer.status, 200u);
  EXPECT_EQ(answer.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(answer.data().as_object().at("hello"), "Hello from API!");
  EXPECT_TRUE(answer.errors().empty());
}

TEST_F(GraphqlHttp, AnswersInGraphqlResponseJsonWhenAsked) {
  const auto answer = post_graphql(port(), "{ hello }", {}, "Accept: application/graphql-response+json\r\n");
  EXPECT_EQ(answer.status, 200u);
  EXPECT_EQ(answer.content_type, "application/graphql-response+json; charset=utf-8");
}

TEST_F(GraphqlHttp, ServesQueriesOverGet) {
  const auto response = http_request(port(), "GET", "/api?query=%7B%20hello%20%7D");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_EQ(boost::json::parse(response->body()).at("data").at("hello"), "Hello from API!");
  // Browsers get the playground from the same URL: shared caches must tell them apart.
  EXPECT_EQ((*response)[boost::beast::http::field::vary], "Accept");
}

TEST_F(GraphqlHttp, RefusesAMutationOverGetWith405) {
  const auto response = http_request(
      port(), "GET", "/api?query=mutation%7Blogin(body%3A%7Bemail%3A%22a%40b.co%22%2Cpassword%3A%22xxxxxx%22%7D)%7Bmessage%7D%7D");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 405u);
  EXPECT_EQ((*response)[boost::beast::http::field::allow], "POST");
  EXPECT_EQ((*response)[boost::beast::http::field::vary], "Accept");
  const auto body = boost::json::parse(response->body());
  EXPECT_EQ(body.at("errors").at(0).at("message"), "Can only perform a mutation operation from a POST request.");
}

TEST_F(GraphqlHttp, ReportsSyntaxErrorsAsParseFailedWithALocation) {
  const auto answer = post_graphql(port(), "{ hello");
  EXPECT_EQ(answer.status, 400u);
  EXPECT_EQ(answer.code(), "GRAPHQL_PARSE_FAILED");
  EXPECT_EQ(answer.errors().at(0).at("message"), "Syntax Error: Expected Name, found <EOF>.");
  EXPECT_EQ(answer.errors().at(0).at("locations").at(0).at("column"), 8);
  EXPECT_FALSE(answer.body.as_object().contains("data"));
}

TEST_F(GraphqlHttp, ReportsValidationErrors) {
  const auto answer = post_graphql(port(), "{ goodbye }");
  EXPECT_EQ(answer.status, 400u);
  EXPECT_EQ(answer.code(), "GRAPHQL_VALIDATION_FAILED");
  EXPECT_EQ(answer.errors().at(0).at("message"), "Cannot query field \"goodbye\" on type \"Query\".");
}

TEST_F(GraphqlHttp, ReportsBadVariablesAsBadUserInput) {
  const auto answer = post_graphql(port(), kLogin, {{"body", {{"email", "a@b.co"}}}});
  EXPECT_EQ(answer.status, 400u);
  EXPECT_EQ(answer.code(), "BAD_USER_INPUT");
}

TEST_F(GraphqlHttp, RefusesBodiesThatAreNotGraphqlRequests) {
  const std::pair<std::string, std::string> cases[] = {
      {"not json", "application/json"},
      {"[1,2]", "application/json"},
      {"{}", "application/json"},
      {R"({"query": 42})", "application/json"},
      {R"({"query": "{ hello }", "variables": "x"})", "application/json"},
  };
  for (const auto& [body, type] : cases) {
    const auto response = http_request(port(), "POST", "/api", body, "Content-Type: " + type + "\r\n");
    ASSERT_TRUE(response) << body;
    EXPECT_EQ(response->result_int(), 400u) << body;
    const auto parsed = boost::json::parse(response->body());
    EXPECT_FALSE(parsed.at("errors").at(0).at("message").as_string().empty()) << body;
  }
  const auto form = http_request(port(), "POST", "/api", "query={hello}",
                                 "Content-Type: application/x-www-form-urlencoded\r\n");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->result_int(), 415u);
}

TEST_F(GraphqlHttp, ServesThePlaygroundToABrowser) {
  const auto response = http_request(port(), "GET", "/api", {}, "Accept: text/html,application/xhtml+xml\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_NE(std::string((*response)[boost::beast::http::field::content_type]).find("text/html"), std::string::npos);
  EXPECT_EQ(response->body().find("https://"), std::string::npos) << "no asset may come from elsewhere";
}

}  // namespace
}  // namespace cubeauth::testing
