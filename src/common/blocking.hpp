// Runs blocking work (a password hash, a database driver call) on a pool of its
// own and lets a coroutine await the result without holding an I/O thread.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace cubeauth {

/// Runs `work()` on `executor` (typically a thread_pool's) and resumes the awaiting
/// coroutine on its own executor with the result; an exception thrown by `work` is
/// rethrown in the coroutine. Initiated with async_initiate rather than a co_spawn'd
/// lambda coroutine: g++ 12 destroys the captures of such a lambda twice.
template <class Executor, class Work>
auto run_blocking(Executor executor, Work work) -> boost::asio::awaitable<std::invoke_result_t<Work&>> {
  using R = std::invoke_result_t<Work&>;
  auto initiate = [executor](auto handler, Work work) {
    boost::asio::post(executor, [handler = std::move(handler), work = std::move(work)]() mutable {
      std::exception_ptr failure;
      std::optional<R> result;
      try {
        result.emplace(work());
      } catch (...) {
        failure = std::current_exception();
      }
      auto resume_on = boost::asio::get_associated_executor(handler);
      boost::asio::post(resume_on, [handler = std::move(handler), failure,
                                    result = std::move(result)]() mutable {
        std::move(handler)(failure, std::move(result));
      });
    });
  };
  // A thrown exception is rethrown here by the awaitable; otherwise there is a value.
  std::optional<R> result =
      co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&,
                                           void(std::exception_ptr, std::optional<R>)>(
          std::move(initiate), boost::asio::use_awaitable, std::move(work));
  co_return std::move(*result);
}

}  // namespace cubeauth
