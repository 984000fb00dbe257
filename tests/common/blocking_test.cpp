#include "common/blocking.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <thread>

namespace cubeauth {
namespace {

TEST(RunBlocking, RunsWorkOnThePoolAndResumesOnTheCaller) {
  boost::asio::io_context io;
  boost::asio::thread_pool pool(1);
  std::thread::id work_thread;
  std::thread::id resumed_thread;
  int answer = 0;

  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        answer = co_await run_blocking(pool.get_executor(), [&] {
          work_thread = std::this_thread::get_id();
          return 42;
        });
        resumed_thread = std::this_thread::get_id();
      },
      boost::asio::detached);
  io.run();
  pool.join();

  EXPECT_EQ(answer, 42);
  EXPECT_NE(work_thread, std::this_thread::get_id());
  EXPECT_EQ(resumed_thread, std::this_thread::get_id());
}

}  // namespace
}  // namespace cubeauth
