// What the auth tests share: running a coroutine to its end, and a scripted
// ConnectyCube error.
#pragma once

#include "connectycube/error.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace cubeauth::auth::testing {

template <class T>
T run(boost::asio::awaitable<T> task) {
  boost::asio::io_context io;
  auto future = boost::asio::co_spawn(io, std::move(task), boost::asio::use_future);
  io.run();
  return future.get();
}

inline connectycube::Error cc_error(connectycube::ErrorKind kind, int status) {
  connectycube::Error error;
  error.kind = kind;
  error.http_status = status;
  error.message = "scripted";
  return error;
}

}  // namespace cubeauth::auth::testing
