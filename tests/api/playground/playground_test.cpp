#include "api/playground/playground.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "api/playground/route_runner.hpp"

namespace cubeauth::api {
namespace {

using testing::make_request;
using testing::route;
using testing::split_target;

constexpr const char* kBrowserAccept =
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

bool wants(const http::Request& request) {
  const auto [path, query] = split_target(request);
  const http::RequestContext context(request, path, query, "test-request", {});
  return wants_playground(context);
}

http::Response page_for(const http::Request& request) {
  const auto [path, query] = split_target(request);
  const http::RequestContext context(request, path, query, "test-request", {});
  return playground_page(context);
}

/// Every URL the page loads: the src of its scripts and the href of its links.
std::vector<std::string> urls_in(const std::string& html) {
  std::vector<std::string> urls;
  static const std::regex attribute(R"re(\b(?:src|href)\s*=\s*"([^"]*)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), attribute);
       it != std::sregex_iterator(); ++it) {
    urls.push_back((*it)[1].str());
  }
  return urls;
}

TEST(WantsPlayground, IsTrueForABrowserNavigation) {
  EXPECT_TRUE(wants(make_request(http::Verb::get, "/api", {{"Accept", kBrowserAccept}})));
  EXPECT_TRUE(wants(make_request(http::Verb::head, "/api", {{"Accept", "text/html"}})));
  EXPECT_TRUE(
      wants(make_request(http::Verb::get, "/api?variables=%7B%7D", {{"Accept", "text/html"}})));
}

TEST(WantsPlayground, NeedsNoQueryDecodingWhenTheTargetHasNoQueryString) {
  // The server passes an empty, null string_view when the target has no '?'.
  const http::Request request = make_request(http::Verb::get, "/api", {{"Accept", "text/html"}});
  const http::RequestContext context(request, "/api", std::string_view{}, "test-request", {});
  EXPECT_TRUE(wants_playground(context));
}

TEST(WantsPlayground, IsFalseForGraphQLRequests) {
  // A query in the URL is a GraphQL GET, even from a browser's address bar.
  EXPECT_FALSE(
      wants(make_request(http::Verb::get, "/api?query=%7Bhello%7D", {{"Accept", kBrowserAccept}})));
  EXPECT_FALSE(wants(make_request(http::Verb::get, "/api?query=", {{"Accept", kBrowserAccept}})));
  EXPECT_FALSE(wants(make_request(http::Verb::get, "/api", {{"Accept", "*/*"}})));
  EXPECT_FALSE(wants(make_request(http::Verb::get, "/api", {{"Accept", "application/json"}})));
  EXPECT_FALSE(wants(make_request(http::Verb::get, "/api")));
  EXPECT_FALSE(wants(make_request(http::Verb::post, "/api", {{"Accept", kBrowserAccept}})));
}

TEST(PlaygroundPage, IsHtmlAllowingOnlyCubeauthsOwnScriptsAndStyles) {
  const http::Response page =
      page_for(make_request(http::Verb::get, "/api", {{"Accept", "text/html"}}));
  EXPECT_EQ(page.result(), http::Status::ok);
  EXPECT_EQ(page[http::beast_http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(page[http::beast_http::field::vary], "Accept");
  EXPECT_EQ(page["X-Content-Type-Options"], "nosniff");
  const std::string csp(page["Content-Security-Policy"]);
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
  EXPECT_NE(csp.find("style-src 'self';"), std::string::npos) << csp;
  EXPECT_NE(csp.find("connect-src 'self';"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("http"), std::string::npos) << csp;
  // The policy forbids inline scripts, so the page must have none.
  EXPECT_EQ(std::regex_search(page.body(), std::regex("<script(?![^>]*\\bsrc=)")), false)
      << page.body();
}

TEST(PlaygroundPage, LoadsEveryAssetFromCubeauthsOwnRoutes) {
  http::Router router;
  add_playground_asset_routes(router);
  const http::Response page =
      page_for(make_request(http::Verb::get, "/api", {{"Accept", "text/html"}}));
  const std::vector<std::string> urls = urls_in(page.body());
  ASSERT_FALSE(urls.empty()) << page.body();
  for (const std::string& url : urls) {
    SCOPED_TRACE(url);
    ASSERT_TRUE(url.starts_with(kPlaygroundAssetPrefix));
    const auto response = route(router, make_request(http::Verb::get, url));
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->result(), http::Status::ok);
    const std::string_view type = response->at(http::beast_http::field::content_type);
    if (url.ends_with(".js")) {
      EXPECT_EQ(type, "text/javascript; charset=utf-8");
    } else if (url.ends_with(".css")) {
      EXPECT_EQ(type, "text/css; charset=utf-8");
    } else {
      EXPECT_TRUE(url.ends_with(".svg"));
      EXPECT_EQ(type, "image/svg+xml");
    }
    EXPECT_FALSE(response->body().empty());
  }
}

TEST(PlaygroundPage, ShowsGraphiQLOrSaysHowToInstallIt) {
  const http::Response page =
      page_for(make_request(http::Verb::get, "/api", {{"Accept", "text/html"}}));
  const std::vector<std::string> urls = urls_in(page.body());
  const auto loads = [&urls](const std::string& pattern) {
    const std::regex name(pattern);
    return std::any_of(urls.begin(), urls.end(),
                       [&name](const std::string& url) { return std::regex_search(url, name); });
  };
  if (playground_assets_installed()) {
    EXPECT_TRUE(loads(R"(/react\.production\.min\.[0-9a-f]{16}\.js$)"));
    EXPECT_TRUE(loads(R"(/react-dom\.production\.min\.[0-9a-f]{16}\.js$)"));
    EXPECT_TRUE(loads(R"(/graphiql\.min\.[0-9a-f]{16}\.js$)"));
    EXPECT_TRUE(loads(R"(/graphiql\.min\.[0-9a-f]{16}\.css$)"));
    EXPECT_TRUE(loads(R"(/playground\.[0-9a-f]{16}\.js$)"));
    EXPECT_EQ(page.body().find("not installed"), std::string::npos);
  } else {
    // Built without web/playground/node_modules: the page names the command that fixes it.
    EXPECT_NE(page.body().find("GraphQL playground not installed"), std::string::npos);
    EXPECT_NE(page.body().find("(cd web/playground &amp;&amp; npm ci --no-audit --no-fund)"),
              std::string::npos);
    EXPECT_FALSE(loads(R"(\.js$)"));
  }
}

}  // namespace
}  // namespace cubeauth::api
