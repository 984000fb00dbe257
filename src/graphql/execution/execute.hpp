// Execution (spec 6): runs one operation of a parsed (and validated) document against a
// schema's resolvers. Synchronous resolvers complete without any coroutine frame; resolvers
// that return an awaitable are started together and awaited as one wave, so independent
// fields proceed concurrently (mutation root fields stay serial, spec 6.2.2).
#pragma once

#include "graphql/execution/resolver.hpp"
#include "graphql/language/ast.hpp"
#include "graphql/response/response.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string_view>

namespace cubeauth::graphql {

class Schema;

struct ExecutionArgs {
  const Schema& schema;
  const ast::Document& document;
  std::string_view operation_name;        // empty: the document's only operation
  const boost::json::object& variables;   // raw variable values from the request
  RequestContext& context;
  const boost::json::value& root_value;   // the parent value of root fields
};

/// Spec 6.1 ExecuteRequest. Run it on a strand (or a single-threaded io_context) when
/// resolvers of one request share mutable state: async resolvers are co_spawned on the
/// awaiting coroutine's executor.
boost::asio::awaitable<Response> execute(const ExecutionArgs& args);

/// The same, for callers without an event loop (tests, tools, benchmarks): asynchronous
/// resolvers, if any, run on a private io_context until done.
Response execute_blocking(const ExecutionArgs& args);

}  // namespace cubeauth::graphql
