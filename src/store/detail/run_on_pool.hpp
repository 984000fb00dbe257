// Runs a blocking driver call on the store's thread pool and resumes the
// awaiting coroutine on its own executor with the result.
//
// Same job as common/blocking.hpp's run_blocking, which g++ 12 miscompiles when
// the work owns what it captures: its lambda coroutine's closure is destroyed
// twice (a double free under ASan). No lambda coroutine here: the work is posted
// to the pool and the result handed back through the awaitable's handler.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace cubeauth::store::detail {

template <class Executor, class Work>
auto run_on_pool(Executor pool, Work work) -> boost::asio::awaitable<std::invoke_result_t<Work&>> {
  using R = std::invoke_result_t<Work&>;
  auto initiate = [pool](auto handler, Work work) {
    boost::asio::post(pool, [handler = std::move(handler), work = std::move(work)]() mutable {
      std::exception_ptr failure;
      std::optional<R> result;
      try {
        result.emplace(work());
      } catch (...) {
        failure = std::current_exception();
      }
      auto resume_on = boost::asio::get_associated_executor(handler);
      boost::asio::post(
          resume_on, [handler = std::move(handler), failure, result = std::move(result)]() mutable {
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

}  // namespace cubeauth::store::detail
