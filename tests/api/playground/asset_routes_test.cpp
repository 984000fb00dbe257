#include <gtest/gtest.h>

#include <boost/beast/zlib/inflate_stream.hpp>
#include <cstdint>
#include <string>

#include "api/playground/detail/embedded_assets.hpp"
#include "api/playground/playground.hpp"
#include "api/playground/route_runner.hpp"

namespace cubeauth::api {
namespace {

using testing::make_request;
using testing::route;
using field = http::beast_http::field;

/// Decodes a gzip member (RFC 1952) of at most `limit` bytes with Beast's inflater; empty
/// when it is not gzip.
std::string gunzip(std::string_view data, std::size_t limit) {
  if (data.size() < 18 || static_cast<std::uint8_t>(data[0]) != 0x1f ||
      static_cast<std::uint8_t>(data[1]) != 0x8b || data[2] != 8) {
    return {};
  }
  const auto flags = static_cast<std::uint8_t>(data[3]);
  std::size_t offset = 10;
  if ((flags & 0x04) != 0) {  // FEXTRA
    offset += 2 + (static_cast<std::uint8_t>(data[offset]) |
                   static_cast<std::uint8_t>(data[offset + 1]) << 8);
  }
  for (const std::uint8_t zero_terminated : {0x08, 0x10}) {  // FNAME, FCOMMENT
    if ((flags & zero_terminated) != 0) {
      offset = data.find('\0', offset) + 1;
    }
  }
  if ((flags & 0x02) != 0) {  // FHCRC
    offset += 2;
  }
  boost::beast::zlib::inflate_stream inflater;
  std::string out(limit, '\0');
  boost::beast::zlib::z_params params;
  params.next_in = data.data() + offset;
  params.avail_in = data.size() - offset;
  params.next_out = out.data();
  params.avail_out = out.size();
  boost::system::error_code ec;
  inflater.write(params, boost::beast::zlib::Flush::finish, ec);
  if (ec && ec != boost::beast::zlib::error::end_of_stream) {
    ADD_FAILURE() << "inflate: " << ec.message();
    return {};
  }
  out.resize(params.total_out);
  return out;
}

class AssetRoutes : public ::testing::Test {
 protected:
  AssetRoutes() { add_playground_asset_routes(router_); }

  static std::string url_of(const detail::EmbeddedAsset& asset) {
    return std::string(kPlaygroundAssetPrefix) + std::string(asset.name);
  }

  http::Router router_;
};

TEST_F(AssetRoutes, ServeEveryAssetAsIsWhenTheClientDoesNotAcceptGzip) {
  ASSERT_FALSE(detail::embedded_assets().empty());
  for (const detail::EmbeddedAsset& asset : detail::embedded_assets()) {
    SCOPED_TRACE(asset.name);
    const auto response = route(router_, make_request(http::Verb::get, url_of(asset)));
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->result(), http::Status::ok);
    EXPECT_EQ(response->body(), asset.identity);
    EXPECT_EQ(response->count(field::content_encoding), 0u);
    EXPECT_EQ((*response)[field::etag], "\"" + std::string(asset.hash) + "\"");
    EXPECT_EQ((*response)[field::cache_control], "public, max-age=31536000, immutable");
    EXPECT_EQ((*response)[field::vary], "Accept-Encoding");
    EXPECT_EQ((*response)["X-Content-Type-Options"], "nosniff");
  }
}

TEST_F(AssetRoutes, ServeTheBuildTimeGzipOfEachAssetWhenAccepted) {
  for (const detail::EmbeddedAsset& asset : detail::embedded_assets()) {
    SCOPED_TRACE(asset.name);
    const auto response = route(router_, make_request(http::Verb::get, url_of(asset),
                                                      {{"Accept-Encoding", "gzip, deflate, br"}}));
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->result(), http::Status::ok);
    EXPECT_EQ((*response)[field::content_encoding], "gzip");
    EXPECT_EQ((*response)[field::etag], "\"" + std::string(asset.hash) + "-gzip\"");
    EXPECT_EQ(gunzip(response->body(), asset.identity.size() + 1), asset.identity);
  }
}

TEST_F(AssetRoutes, CompressTheBundlesToLessThanAThird) {
  std::size_t identity = 0;
  std::size_t gzip = 0;
  for (const detail::EmbeddedAsset& asset : detail::embedded_assets()) {
    identity += asset.identity.size();
    gzip += asset.gzip.size();
  }
  if (playground_assets_installed()) {
    EXPECT_LT(gzip * 3, identity);
  } else {
    EXPECT_LT(gzip, identity);
  }
}

TEST_F(AssetRoutes, AnswerNotModifiedToACachedCopy) {
  const detail::EmbeddedAsset& asset = detail::embedded_assets().front();
  const std::string etag = "\"" + std::string(asset.hash) + "-gzip\"";
  const auto response =
      route(router_,
            make_request(http::Verb::get, url_of(asset),
                         {{"Accept-Encoding", "gzip"}, {"If-None-Match", "\"other\", W/" + etag}}));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result(), http::Status::not_modified);
  EXPECT_EQ((*response)[field::etag], etag);
  EXPECT_TRUE(response->body().empty());

  // The identity copy has another tag: a cached gzip copy does not stand for it.
  const auto identity =
      route(router_, make_request(http::Verb::get, url_of(asset), {{"If-None-Match", etag}}));
  ASSERT_TRUE(identity.has_value());
  EXPECT_EQ(identity->result(), http::Status::ok);
  EXPECT_EQ(identity->body(), asset.identity);
}

TEST_F(AssetRoutes, NameEachAssetByItsContentHash) {
  for (const detail::EmbeddedAsset& asset : detail::embedded_assets()) {
    SCOPED_TRACE(asset.name);
    EXPECT_EQ(asset.hash.size(), 16u);
    EXPECT_NE(asset.name.find("." + std::string(asset.hash) + "."), std::string_view::npos);
  }
  EXPECT_FALSE(router_.match(http::Verb::get, "/api/playground/graphiql.min.js").handler);
  EXPECT_FALSE(router_.match(http::Verb::get, "/api").handler);
}

}  // namespace
}  // namespace cubeauth::api
