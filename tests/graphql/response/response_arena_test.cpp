#include "graphql/response/response_arena.hpp"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include <string>

namespace cubeauth::graphql {
namespace {

namespace json = boost::json;

TEST(ResponseArena, ReusesTheBlockOfAFreedArenaOnTheSameThread) {
  void* first = nullptr;
  {
    auto arena = make_response_arena();
    first = arena->allocate(1000);
  }
  auto arena = make_response_arena();
  EXPECT_EQ(arena->allocate(1000), first);
}

TEST(ResponseArena, GrowsPastItsFirstBlockAndKeepsEveryValue) {
  auto arena = make_response_arena();
  json::value data(json::storage_ptr(arena.get()));
  json::array& items = data.emplace_array();
  const std::string text(100, 'x');
  for (int i = 0; i < 10'000; ++i) {  // about 1.2 MB, far past the first 4 KiB
    items.emplace_back(text + std::to_string(i));
  }
  ASSERT_EQ(items.size(), 10'000u);
  EXPECT_EQ(items.front().as_string(), text + "0");
  EXPECT_EQ(items.back().as_string(), text + "9999");
  EXPECT_EQ(items[5'000].as_string().storage().get(), arena.get());
}

}  // namespace
}  // namespace cubeauth::graphql
