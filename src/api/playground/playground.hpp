// The offline GraphQL playground: GraphiQL served by cubeauth itself at GET /api to a
// browser, with every script and style embedded in the binary (no CDN, works offline).
#pragma once

#include <string_view>

#include "http/router.hpp"

namespace cubeauth::api {

/// Where the playground's assets are served, each at its content-hashed name. GraphQL
/// answers exactly /api, so nothing under this prefix can clash with it.
inline constexpr std::string_view kPlaygroundAssetPrefix = "/api/playground/";

/// True for a browser navigation to the GraphQL endpoint: GET (or HEAD) whose Accept lists
/// text/html and that has no `query` parameter. Anything else is a GraphQL request.
bool wants_playground(const http::RequestContext& context);

/// The playground page (or, in a build without the assets, a page saying how to install
/// them), with a Content-Security-Policy allowing scripts and styles from cubeauth only.
http::Response playground_page(const http::RequestContext& context);

/// Registers GET (and HEAD) for every asset under kPlaygroundAssetPrefix: gzip when the
/// client accepts it, an ETag, and immutable caching.
void add_playground_asset_routes(http::Router& router);

/// Whether this binary embeds GraphiQL's and React's bundles (see web/playground/).
bool playground_assets_installed();

}  // namespace cubeauth::api
