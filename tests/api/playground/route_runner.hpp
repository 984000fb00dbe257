// Runs one request through a Router's handler in-process, for the playground's tests.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/router.hpp"

namespace cubeauth::api::testing {

/// A request for `target` ("/path?query") carrying `headers` (name, value).
inline http::Request make_request(http::Verb method, std::string_view target,
                                  std::vector<std::pair<std::string, std::string>> headers = {}) {
  http::Request request{method, target, 11};
  for (auto& [name, value] : headers) {
    request.set(name, value);
  }
  return request;
}

/// Splits the request target the way the server does (path, then the raw query).
inline std::pair<std::string_view, std::string_view> split_target(const http::Request& request) {
  const std::string_view target = request.target();
  const auto question = target.find('?');
  if (question == std::string_view::npos) {
    return {target, target.substr(target.size())};
  }
  return {target.substr(0, question), target.substr(question + 1)};
}

/// The response of `router` to `request`, or nullopt (with a test failure) when no handler
/// matches it.
inline std::optional<http::Response> route(const http::Router& router,
                                           const http::Request& request) {
  const auto [path, query] = split_target(request);
  const http::Router::Match match = router.match(request.method(), path);
  if (match.handler == nullptr) {
    ADD_FAILURE() << "no route for " << request.method_string() << " " << path;
    return std::nullopt;
  }
  http::RequestContext context(request, path, query, "test-request", {});
  boost::asio::io_context io;
  std::optional<http::Response> response;
  boost::asio::co_spawn(io, (*match.handler)(context),
                        [&response](std::exception_ptr error, http::Response result) {
                          if (error) {
                            std::rethrow_exception(error);
                          }
                          response = std::move(result);
                        });
  io.run();
  return response;
}

}  // namespace cubeauth::api::testing
