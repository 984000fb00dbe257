#include "http/router.hpp"

#include <gtest/gtest.h>

namespace cubeauth::http {
namespace {

Handler answering(std::string text) {
  return [text](RequestContext&) -> boost::asio::awaitable<Response> {
    co_return text_response(Status::ok, text);
  };
}

TEST(Router, MatchesMethodAndExactPath) {
  Router router;
  router.add(Verb::get, "/api", answering("get"));
  router.add(Verb::post, "/api", answering("post"));
  EXPECT_NE(router.match(Verb::get, "/api").handler, nullptr);
  EXPECT_NE(router.match(Verb::post, "/api").handler, nullptr);
  EXPECT_EQ(router.match(Verb::get, "/api/").handler, nullptr);
  EXPECT_FALSE(router.match(Verb::get, "/api/").path_known);
}

TEST(Router, AnswersHeadWithTheGetRoute) {
  Router router;
  router.add(Verb::get, "/", answering("root"));
  EXPECT_NE(router.match(Verb::head, "/").handler, nullptr);
}

TEST(Router, ReportsTheAllowedMethodsOfAKnownPath) {
  Router router;
  router.add(Verb::get, "/auth/verify-connectycube", answering("get"));
  router.add(Verb::post, "/auth/verify-connectycube", answering("post"));
  const Router::Match match = router.match(Verb::delete_, "/auth/verify-connectycube");
  EXPECT_EQ(match.handler, nullptr);
  EXPECT_TRUE(match.path_known);
  EXPECT_EQ(match.allowed_methods, "GET, POST, OPTIONS");
}

TEST(RequestContext, DecodesQueryParameters) {
  Request request{Verb::get, "/x?token=a%2Bb&name=Ann+Lee&empty=&token=second", 11};
  RequestContext context(request, "/x", "token=a%2Bb&name=Ann+Lee&empty=&token=second", "id", {});
  EXPECT_EQ(context.query_param("token"), "a+b");
  EXPECT_EQ(context.query_param("name"), "Ann Lee");
  EXPECT_EQ(context.query_param("empty"), "");
  EXPECT_EQ(context.query_param("missing"), std::nullopt);
  EXPECT_EQ(context.query().size(), 4u);
}

TEST(RequestContext, ReadsOnlyTheQueryItIsGiven) {
  // The view ends before "XYZ": nothing past its end may be read.
  const std::string target = "token=abcXYZ";
  Request request{Verb::get, "/x?" + target, 11};
  RequestContext context(request, "/x", std::string_view(target).substr(0, 9), "id", {});
  EXPECT_EQ(context.query_param("token"), "abc");
}

TEST(RequestContext, HasNoParametersWithoutAQueryString) {
  Request request{Verb::get, "/x", 11};
  RequestContext context(request, "/x", std::string_view{}, "id", {});
  EXPECT_TRUE(context.query().empty());
  EXPECT_EQ(context.query_param("token"), std::nullopt);
}

}  // namespace
}  // namespace cubeauth::http
