#include "common/blocking.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <memory>
#include <stdexcept>
#include <string>
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

TEST(RunBlocking, RunsOwningWorkOnThePoolAndResumesOnTheCaller) {
  boost::asio::io_context io;
  boost::asio::thread_pool pool(1);
  std::thread::id work_thread;
  std::thread::id resumed_thread;
  std::string answer;

  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        // The work owns a heap string and a unique_ptr: both must be freed once.
        auto work = [text = std::string(100, 'x'), owned = std::make_unique<int>(7),
                     &work_thread]() {
          work_thread = std::this_thread::get_id();
          return text + std::to_string(*owned);
        };
        answer = co_await run_blocking(pool.get_executor(), std::move(work));
        resumed_thread = std::this_thread::get_id();
      },
      boost::asio::detached);
  io.run();
  pool.join();

  EXPECT_EQ(answer, std::string(100, 'x') + "7");
  EXPECT_NE(work_thread, std::this_thread::get_id());
  EXPECT_EQ(resumed_thread, std::this_thread::get_id());
}

TEST(RunBlocking, RethrowsWhatTheWorkThrowsInTheAwaitingCoroutine) {
  boost::asio::io_context io;
  boost::asio::thread_pool pool(1);
  std::string caught;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        try {
          (void)co_await run_blocking(pool.get_executor(),
                                     []() -> int { throw std::runtime_error("driver exploded"); });
        } catch (const std::runtime_error& e) {
          caught = e.what();
        }
      },
      boost::asio::detached);
  io.run();
  pool.join();
  EXPECT_EQ(caught, "driver exploded");
}

}  // namespace
}  // namespace cubeauth
