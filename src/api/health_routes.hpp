// The plain routes: GET / ("Hello World!", as the old server), GET /healthz
// (the process answers) and GET /readyz (ready to serve: the store answers).
#pragma once

#include "http/router.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <string>

namespace cubeauth::api {

/// Says whether a dependency is usable; the text says why not.
struct ReadinessCheck {
  std::string name;  ///< "store"
  std::function<boost::asio::awaitable<bool>()> ready;
};

/// `draining` tells whether the server is shutting down (then /readyz says 503).
void add_health_routes(http::Router& router, std::vector<ReadinessCheck> checks,
                       std::function<bool()> draining);

}  // namespace cubeauth::api
