// GET routes for the embedded assets of the playground (see playground.hpp).
#include <string>

#include "api/playground/detail/content_negotiation.hpp"
#include "api/playground/detail/embedded_assets.hpp"
#include "api/playground/playground.hpp"

namespace cubeauth::api {

namespace {

using field = http::beast_http::field;

std::string_view content_type_of(std::string_view name) {
  if (name.ends_with(".js")) {
    return "text/javascript; charset=utf-8";
  }
  if (name.ends_with(".css")) {
    return "text/css; charset=utf-8";
  }
  if (name.ends_with(".svg")) {
    return "image/svg+xml";
  }
  return "application/octet-stream";
}

/// True when If-None-Match lists `etag` (weak comparison, RFC 9110 section 13.1.2).
bool if_none_match_lists(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    std::string_view tag = if_none_match.substr(0, comma);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) {
      tag.remove_prefix(1);
    }
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) {
      tag.remove_suffix(1);
    }
    if (tag.starts_with("W/")) {
      tag.remove_prefix(2);
    }
    if (tag == "*" || tag == etag) {
      return true;
    }
    if (comma == std::string_view::npos) {
      break;
    }
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

http::Response asset_response(const detail::EmbeddedAsset& asset, const http::Request& request) {
  const bool gzip = detail::accepts_gzip(request[field::accept_encoding]);
  // Each representation has its own strong ETag.
  std::string etag = "\"" + std::string(asset.hash) + (gzip ? "-gzip\"" : "\"");

  const bool not_modified = if_none_match_lists(request[field::if_none_match], etag);
  http::Response response{not_modified ? http::Status::not_modified : http::Status::ok,
                          request.version()};
  response.set(field::etag, etag);
  // The name holds the content hash: a new build serves new names.
  response.set(field::cache_control, "public, max-age=31536000, immutable");
  response.set(field::vary, "Accept-Encoding");
  if (not_modified) {
    return response;
  }
  response.set(field::content_type, content_type_of(asset.name));
  response.set("X-Content-Type-Options", "nosniff");
  if (gzip) {
    response.set(field::content_encoding, "gzip");
    response.body() = asset.gzip;
  } else {
    response.body() = asset.identity;
  }
  return response;
}

}  // namespace

void add_playground_asset_routes(http::Router& router) {
  for (const detail::EmbeddedAsset& asset : detail::embedded_assets()) {
    router.add(http::Verb::get, std::string(kPlaygroundAssetPrefix) + std::string(asset.name),
               [&asset](http::RequestContext& context) -> boost::asio::awaitable<http::Response> {
                 co_return asset_response(asset, context.request());
               });
  }
}

}  // namespace cubeauth::api
