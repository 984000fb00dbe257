#include "api/playground/playground.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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

/// Every URL the page loads: the src of its scripts and the href of its links. (No
/// std::regex: g++ 12 warns inside it at -O1, and warnings are errors.)
std::vector<std::string> urls_in(const std::string& html) {
  std::vector<std::string> urls;
  for (const std::string attribute : {" src=\"", " href=\""}) {
    for (auto at = html.find(attribute); at != std::string::npos;
         at = html.find(attribute, at + 1)) {
      const auto begin = at + attribute.size();
      urls.push_back(html.substr(begin, html.find('"', begin) - begin));
    }
  }
  return urls;
}

/// The opening tags of every <script> element.
std::vector<std::string> script_tags_in(const std::string& html) {
  std::vector<std::string> tags;
  for (auto at = html.find("<script"); at != std::string::npos; at = html.find("<script", at + 1)) {
    tags.push_back(html.substr(at, html.find('>', at) - at + 1));
  }
  return tags;
}

/// True when `url` is kPlaygroundAssetPrefix + `stem` + "." + 16 hex digits + `extension`.
bool is_hashed_asset_url(std::string_view url, std::string_view stem, std::string_view extension) {
  if (!url.starts_with(kPlaygroundAssetPrefix)) {
    return false;
  }
  url.remove_prefix(kPlaygroundAssetPrefix.size());
  if (!url.starts_with(stem) || !url.ends_with(extension) ||
      url.size() != stem.size() + 1 + 16 + extension.size() || url[stem.size()] != '.') {
    return false;
  }
  const std::string_view hash = url.substr(stem.size() + 1, 16);
  return hash.find_first_not_of("0123456789abcdef") == std::string_view::npos;
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
  for (const std::string& tag : script_tags_in(page.body())) {
    EXPECT_NE(tag.find(" src=\""), std::string::npos) << tag;
  }
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
  const auto loads = [&urls](std::string_view stem, std::string_view extension) {
    return std::any_of(urls.begin(), urls.end(), [&](const std::string& url) {
      return is_hashed_asset_url(url, stem, extension);
    });
  };
  if (playground_assets_installed()) {
    EXPECT_TRUE(loads("react.production.min", ".js"));
    EXPECT_TRUE(loads("react-dom.production.min", ".js"));
    EXPECT_TRUE(loads("graphiql.min", ".js"));
    EXPECT_TRUE(loads("graphiql.min", ".css"));
    EXPECT_TRUE(loads("playground", ".js"));
    EXPECT_TRUE(loads("playground", ".css"));
    EXPECT_EQ(page.body().find("not installed"), std::string::npos);
  } else {
    // Built without web/playground/node_modules: the page names the command that fixes it.
    EXPECT_NE(page.body().find("GraphQL playground not installed"), std::string::npos);
    EXPECT_NE(page.body().find("(cd web/playground &amp;&amp; npm ci --no-audit --no-fund)"),
              std::string::npos);
    EXPECT_TRUE(loads("playground", ".css"));
    EXPECT_EQ(page.body().find(".js\""), std::string::npos);
  }
}

}  // namespace
}  // namespace cubeauth::api
