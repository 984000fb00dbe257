// The product schema (the NestJS backend's SDL) served end to end with fake resolvers:
// `{ hello }` and a login-shaped mutation with variables, one of them asynchronous.
#include "graphql/request/service.hpp"

#include "graphql/response/write_response.hpp"
#include "graphql/support/run_query.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace cubeauth::graphql {
namespace {

namespace json = boost::json;

std::string read_seed_schema() {
  std::ifstream file(CUBEAUTH_SEED_SCHEMA);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// What the HTTP layer might hand to resolvers.
struct ClientAddress {
  std::string ip;
};

boost::asio::awaitable<FieldOutcome> fake_login(std::string email, std::string password,
                                                std::string ip) {
  // Stands in for awaiting a password hash on a CPU pool.
  co_await boost::asio::post(co_await boost::asio::this_coro::executor, boost::asio::use_awaitable);
  if (password != "secret") {
    co_return unexpected(FieldError("Invalid credentials", "UNAUTHENTICATED"));
  }
  co_return json::object{
      {"message", "Logged in from " + ip},
      {"token", "jwt-token"},
      {"ccUserId", 42},
      {"user", json::object{{"id", "u1"}, {"email", email}, {"firstName", "Ann"},
                            {"lastName", "Lee"}}}};
}

class SeedSchema : public ::testing::Test {
 protected:
  void SetUp() override {
    auto schema = build_schema(read_seed_schema());
    ASSERT_TRUE(schema);
    testing::bind(**schema, "Query.hello", [](const ResolveParams&) -> ResolverResult {
      return "Hello World!";
    });
    testing::bind(**schema, "Mutation.login", [](const ResolveParams& p) -> ResolverResult {
      const json::object& body = p.arg("body").as_object();
      const ClientAddress* address = p.context.get<ClientAddress>();
      return fake_login(std::string(body.at("email").as_string()),
                        std::string(body.at("password").as_string()),
                        address != nullptr ? address->ip : "?");
    });
    testing::bind(**schema, "Mutation.register", [](const ResolveParams& p) -> ResolverResult {
      const json::object& body = p.arg("body").as_object();
      if (body.at("email").as_string().find('@') == json::string::npos) {
        return FieldError("Email is invalid", "BAD_USER_INPUT", json::object{{"field", "email"}});
      }
      return json::object{{"message", "Registered"}};  // `user` missing: non-null violation
    });
    service_ = std::make_unique<Service>(*schema);
  }

  std::string run(std::string_view query, std::string_view variables = "{}") {
    RequestContext context;
    context.set(ClientAddress{"127.0.0.1"});
    json::object parsed = json::parse(variables).as_object();
    return write_response(service_->execute_request_blocking(query, parsed, {}, context));
  }

  std::unique_ptr<Service> service_;
};

constexpr std::string_view kLogin = R"(
  mutation Login($body: LoginUserDto!) {
    login(body: $body) {
      message token ccUserId connectySession
      user { id email firstName lastName }
    }
  })";

TEST_F(SeedSchema, AnswersHello) {
  EXPECT_EQ(run("{ hello }"), R"({"data":{"hello":"Hello World!"}})");
}

TEST_F(SeedSchema, LogsInWithVariables) {
  EXPECT_EQ(run(kLogin, R"({"body":{"email":"ann@example.com","password":"secret"}})"),
            R"({"data":{"login":{"message":"Logged in from 127.0.0.1","token":"jwt-token",)"
            R"("ccUserId":42,"connectySession":null,"user":{"id":"u1","email":"ann@example.com",)"
            R"("firstName":"Ann","lastName":"Lee"}}}})");
}

TEST_F(SeedSchema, ReportsAFailedLoginAsAFieldError) {
  EXPECT_EQ(run(kLogin, R"({"body":{"email":"ann@example.com","password":"wrong"}})"),
            R"({"errors":[{"message":"Invalid credentials","locations":[{"line":3,"column":5}],)"
            R"("path":["login"],"extensions":{"code":"UNAUTHENTICATED"}}],"data":null})");
}

TEST_F(SeedSchema, RejectsMissingVariableFields) {
  EXPECT_EQ(run(kLogin, R"({"body":{"email":"ann@example.com"}})"),
            R"({"errors":[{"message":"Variable \"$body\" got invalid value { email: )"
            R"(\"ann@example.com\" }; Field \"password\" of required type \"String!\" was not )"
            R"(provided.","locations":[{"line":2,"column":18}]}]})");
}

TEST_F(SeedSchema, ReportsBadUserInputWithTheFieldName) {
  EXPECT_EQ(run(R"(mutation { register(body: {email: "x", firstName: "a", lastName: "b",
                    password: "p"}) { message } })"),
            R"({"errors":[{"message":"Email is invalid","locations":[{"line":1,"column":12}],)"
            R"("path":["register"],"extensions":{"code":"BAD_USER_INPUT","field":"email"}}],)"
            R"("data":null})");
  EXPECT_EQ(run(R"(mutation { register(body: {email: "a@b", firstName: "a", lastName: "b",
                    password: "p"}) { message user { id } } })"),
            R"({"errors":[{"message":"Cannot return null for non-nullable field )"
            R"(UserResgisterResponse.user.","locations":[{"line":2,"column":47}],)"
            R"("path":["register","user"]}],"data":null})");
}

}  // namespace
}  // namespace cubeauth::graphql
