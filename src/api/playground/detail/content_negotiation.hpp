// Reads the Accept and Accept-Encoding request headers (RFC 9110 sections 12.5.1 and
// 12.5.3), just enough to choose the playground page and its compressed assets.
#pragma once

#include <string_view>

namespace cubeauth::api::detail {

/// True when `accept` lists `media_type` itself (not through a wildcard) with q > 0.
/// Browsers name text/html when they navigate; tools that send only */* get GraphQL.
bool lists_media_type(std::string_view accept, std::string_view media_type);

/// True when `accept_encoding` allows gzip (named, or "*", with q > 0).
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace cubeauth::api::detail
