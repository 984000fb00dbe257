#include "api/playground/detail/content_negotiation.hpp"

#include <gtest/gtest.h>

namespace cubeauth::api::detail {
namespace {

TEST(ListsMediaType, FindsTextHtmlInABrowsersNavigationAccept) {
  EXPECT_TRUE(lists_media_type(
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8", "text/html"));
  EXPECT_TRUE(lists_media_type("TEXT/HTML", "text/html"));
  EXPECT_TRUE(lists_media_type("application/json , text/html ; level=1", "text/html"));
}

TEST(ListsMediaType, IgnoresWildcardsOtherTypesAndZeroWeights) {
  EXPECT_FALSE(lists_media_type("*/*", "text/html"));
  EXPECT_FALSE(lists_media_type("text/*", "text/html"));
  EXPECT_FALSE(
      lists_media_type("application/json, application/graphql-response+json", "text/html"));
  EXPECT_FALSE(lists_media_type("text/html;q=0", "text/html"));
  EXPECT_FALSE(lists_media_type("text/html; Q=0.000", "text/html"));
  EXPECT_FALSE(lists_media_type("text/htmlx", "text/html"));
  EXPECT_FALSE(lists_media_type("", "text/html"));
  EXPECT_TRUE(lists_media_type("text/html;q=0.001", "text/html"));
}

TEST(AcceptsGzip, FollowsTheNamedCodingThenTheWildcard) {
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br, zstd"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0, *"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
}

}  // namespace
}  // namespace cubeauth::api::detail
