// Runs one store call to completion on a private io_context: what a test needs
// to await a coroutine from plain code.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>
#include <utility>

namespace cubeauth::store::testing {

template <class T>
T run_sync(boost::asio::awaitable<T> call) {
  boost::asio::io_context io;
  std::optional<T> out;
  std::exception_ptr failure;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        try {
          out.emplace(co_await std::move(call));
        } catch (...) {
          failure = std::current_exception();
        }
      },
      boost::asio::detached);
  io.run();
  if (failure) {
    std::rethrow_exception(failure);
  }
  return std::move(*out);
}

}  // namespace cubeauth::store::testing
