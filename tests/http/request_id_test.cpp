#include "http/detail/request_id.hpp"

#include <gtest/gtest.h>

#include <set>

namespace cubeauth::http::detail {
namespace {

bool is_lower_hex(std::string_view text) {
  return text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

TEST(RequestId, MakesSixteenHexDigitsSharingTheProcessPrefixAndCounting) {
  const Request request{Verb::get, "/", 11};
  const std::string first = request_id_for(request);
  const std::string second = request_id_for(request);
  ASSERT_EQ(first.size(), 16u);
  EXPECT_TRUE(is_lower_hex(first)) << first;
  EXPECT_EQ(first.substr(0, 8), second.substr(0, 8));
  EXPECT_EQ(std::stoull(second.substr(8), nullptr, 16), std::stoull(first.substr(8), nullptr, 16) + 1);
}

TEST(RequestId, NeverRepeatsWithinAProcess) {
  const Request request{Verb::get, "/", 11};
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(seen.insert(request_id_for(request)).second);
  }
}

TEST(RequestId, KeepsTheClientsPlainIdAndReplacesAnythingElse) {
  Request request{Verb::get, "/", 11};
  request.set("X-Request-Id", "trace-42:a_b.c");
  EXPECT_EQ(request_id_for(request), "trace-42:a_b.c");
  request.set("X-Request-Id", "has space");
  EXPECT_TRUE(is_lower_hex(request_id_for(request)));
  request.set("X-Request-Id", std::string(65, 'a'));
  EXPECT_EQ(request_id_for(request).size(), 16u);
}

}  // namespace
}  // namespace cubeauth::http::detail
