// Runs blocking work (a password hash, a database driver call) on a pool of its
// own and lets a coroutine await the result without holding an I/O thread.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>
#include <utility>

namespace cubeauth {

/// Runs `work()` on `executor` (typically a thread_pool's) and resumes the
/// awaiting coroutine on its own executor with the result.
template <class Executor, class Work>
auto run_blocking(Executor executor, Work work)
    -> boost::asio::awaitable<std::invoke_result_t<Work&>> {
  using R = std::invoke_result_t<Work&>;
  co_return co_await boost::asio::co_spawn(
      executor, [work = std::move(work)]() mutable -> boost::asio::awaitable<R> { co_return work(); },
      boost::asio::use_awaitable);
}

}  // namespace cubeauth
