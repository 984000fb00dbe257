// GraphQL over WebSocket with the graphql-transport-ws protocol (the graphql-ws npm library's
// PROTOCOL.md): connection_init within a timeout, an authentication hook, then any number of
// concurrent operations (subscriptions, queries, mutations) run by a graphql::Service.
#pragma once

#include "common/result.hpp"
#include "graphql/execution/resolver.hpp"
#include "http/router.hpp"
#include "http/websocket.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace cubeauth::graphql {
class Service;
}

namespace cubeauth::api {

/// connection_init accepted.
struct GraphqlWsAccepted {
  /// The start of every operation's graphql::RequestContext (each operation gets a copy;
  /// the stored values themselves are shared). The session adds the upgrade request's
  /// http::RequestContext* to it, as the HTTP route does.
  graphql::RequestContext context;
  /// Sent as connection_ack's payload when not empty.
  boost::json::object ack_payload;
};

/// connection_init refused: the socket closes with 4403 Forbidden. `log_reason` goes to the
/// server's log only.
struct GraphqlWsRefused {
  std::string log_reason;
};

/// The authentication hook: given connection_init's payload (empty when the client sent
/// none) and the upgrade request, accepts or refuses the connection.
using GraphqlWsAuthenticator =
    std::function<boost::asio::awaitable<Result<GraphqlWsAccepted, GraphqlWsRefused>>(
        const boost::json::object& payload, const http::RequestContext& upgrade)>;

struct GraphqlWsOptions {
  /// connection_init must arrive within this time, or the socket closes with 4408
  /// (graphql-ws's connectionInitWaitTimeout, same default).
  std::chrono::milliseconds connection_init_timeout{3'000};
  /// Operations running at once on one connection; a subscribe beyond it gets an error
  /// message (the connection stays).
  std::size_t max_operations = 100;
  /// Null: every connection is accepted with an empty context.
  GraphqlWsAuthenticator authenticate;
};

/// Speaks graphql-transport-ws on `socket` until it closes; every operation still running
/// then is closed, and this returns once they all ended. A socket whose handshake did not
/// agree on the subprotocol is closed with 4406 (as graphql-ws's server does).
boost::asio::awaitable<void> run_graphql_ws(http::WebSocket& socket, const graphql::Service& service,
                                            const GraphqlWsOptions& options);

/// Registers graphql-transport-ws on `path` as a WebSocket route: upgrades go to
/// run_graphql_ws; GET and POST on the path keep their HTTP routes.
void add_graphql_ws_route(http::Router& router, std::string path,
                          std::shared_ptr<const graphql::Service> service, GraphqlWsOptions options);

}  // namespace cubeauth::api
