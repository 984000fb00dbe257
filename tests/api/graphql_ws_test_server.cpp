// The graphql-transport-ws test server for tests/api/ws/graphql_ws.mjs (the graphql-ws npm
// client): serves the test schema at /api on a free loopback port, prints "listening on
// <port>", runs until SIGTERM or SIGINT (then drains: WebSockets close with 1001).
// usage: cubeauth_graphql_ws_test_server [--init-timeout-ms N]
#include "api/graphql_ws_test_schema.hpp"
#include "http/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
  using namespace cubeauth;
  std::chrono::milliseconds init_timeout{3'000};
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--init-timeout-ms") == 0) {
      init_timeout = std::chrono::milliseconds(std::stol(argv[i + 1]));
    }
  }
  auto hub = std::make_shared<testing::TopicHub>();
  auto router = std::make_shared<http::Router>();
  api::add_graphql_ws_route(*router, "/api", testing::make_test_service(hub), testing::test_ws_options(init_timeout));

  http::ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  options.threads = 2;  // subscribers and publishers on different I/O threads
  options.access_log = false;
  options.shutdown_timeout = std::chrono::seconds(2);
  http::Server server(options, router);
  if (auto listening = server.listen(); !listening) {
    std::fprintf(stderr, "%s\n", listening.error().c_str());
    return 1;
  }
  boost::asio::signal_set signals(server.main_context(), SIGINT, SIGTERM);
  signals.async_wait([&server](const boost::system::error_code& ec, int) {
    if (!ec) {
      server.shutdown();
    }
  });
  std::printf("listening on %u\n", static_cast<unsigned>(server.port()));
  std::fflush(stdout);
  server.run();
  return 0;
}
