#include "api/playground/playground.hpp"

#include "api/playground/detail/content_negotiation.hpp"
#include "api/playground/detail/embedded_assets.hpp"

namespace cubeauth::api {

namespace {

using field = http::beast_http::field;

// Scripts and styles from cubeauth only: the page has no inline script, and GraphiQL's
// fonts are data: URLs inside its stylesheet. GraphiQL posts queries to the same origin.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self' data:; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

}  // namespace

bool wants_playground(const http::RequestContext& context) {
  const http::Request& request = context.request();
  if (request.method() != http::Verb::get && request.method() != http::Verb::head) {
    return false;
  }
  if (!detail::lists_media_type(request[field::accept], "text/html")) {
    return false;
  }
  // No query string at all is the common case: then there is nothing to decode.
  if (request.target().find('?') == std::string_view::npos) {
    return true;
  }
  return !context.query_param("query").has_value();
}

http::Response playground_page(const http::RequestContext& context) {
  http::Response response{http::Status::ok, context.request().version()};
  response.set(field::content_type, "text/html; charset=utf-8");
  response.set("Content-Security-Policy", kContentSecurityPolicy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  // The page names the assets of this very binary; /api also answers GraphQL by Accept.
  response.set(field::cache_control, "no-cache");
  response.set(field::vary, "Accept");
  response.body() = detail::playground_page_html();
  return response;
}

bool playground_assets_installed() { return detail::playground_assets_installed(); }

}  // namespace cubeauth::api
