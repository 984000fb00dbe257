// The playground's files as embedded into the binary by CMake (the definitions are generated
// from embedded_assets.cpp.in at configure time; the bytes come in with .incbin at build time).
#pragma once

#include <span>
#include <string_view>

namespace cubeauth::api::detail {

/// One static file of the playground, under its content-hashed name.
struct EmbeddedAsset {
  std::string_view name;      ///< "graphiql.min.0123456789abcdef.js"
  std::string_view hash;      ///< the 16 hex digits of SHA-256 in the name, for the ETag
  std::string_view identity;  ///< the file's bytes
  std::string_view gzip;      ///< the same bytes, gzip-compressed at build time
};

/// Whether GraphiQL's and React's bundles were found when the build was configured; when not,
/// the page says how to install them and only our own small files are embedded.
bool playground_assets_installed();

/// The page served at GET /api (the filled-in web/playground/index.html, or missing.html).
std::string_view playground_page_html();

/// Every embedded asset.
std::span<const EmbeddedAsset> embedded_assets();

}  // namespace cubeauth::api::detail
