// GraphQL over HTTP at /api: POST with a JSON body, GET for queries (a browser gets the
// playground instead), answers in application/json or application/graphql-response+json.
// Errors carry the extensions.code Apollo Server users know.
#pragma once

#include "http/router.hpp"

#include <functional>
#include <memory>

namespace cubeauth::graphql {
class Service;
}

namespace cubeauth::api {

/// Registers GET and POST /api, answered by `service` (the served schema, its resolvers,
/// limits and document cache).
void add_graphql_routes(http::Router& router, std::shared_ptr<const graphql::Service> service);

}  // namespace cubeauth::api
