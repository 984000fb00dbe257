#include "app/app.hpp"

#include "api/health_routes.hpp"
#include "app/config.hpp"
#include "app/environment.hpp"
#include "common/logging.hpp"
#include "http/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>

namespace cubeauth::app {

int run(int /*argc*/, char** /*argv*/, char** environ) {
  const auto start = std::chrono::steady_clock::now();
  auto variables = read_environment(".env", environ);
  if (!variables) {
    log::error("configuration: {}", variables.error());
    return 2;
  }
  auto config = load_config(*variables);
  if (!config) {
    log::error("configuration: {}", config.error().message);
    return 2;
  }
  log::set_level(config->log_level);
  for (const std::string& warning : config->warnings) {
    log::warn("{}", warning);
  }

  auto router = std::make_shared<http::Router>();
  http::Server server(config->http, router);
  api::add_health_routes(*router, {}, [&server] { return server.draining(); });

  if (auto listening = server.listen(); !listening) {
    log::error("{}", listening.error());
    return 1;
  }

  boost::asio::signal_set signals(server.main_context(), SIGINT, SIGTERM);
  signals.async_wait([&server](const boost::system::error_code& ec, int signal) {
    if (!ec) {
      log::info("received {}, draining connections", signal == SIGINT ? "SIGINT" : "SIGTERM");
      server.shutdown();
    }
  });
  std::signal(SIGPIPE, SIG_IGN);

  log::info("cubeauth listening on http://{}:{} ({} ms to start)", config->http.address,
            server.port(),
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
  server.run();
  log::info("cubeauth stopped");
  return 0;
}

}  // namespace cubeauth::app
