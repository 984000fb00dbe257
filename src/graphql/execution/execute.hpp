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

#include <memory>
#include <string_view>

namespace cubeauth::graphql {

class Schema;
class EventStream;    // graphql/execution/subscribe.hpp
class ExecutionPlan;  // plan_execution below

struct ExecutionArgs {
  const Schema& schema;
  const ast::Document& document;
  std::string_view operation_name;        // empty: the document's only operation
  const boost::json::object& variables;   // raw variable values from the request
  RequestContext& context;
  const boost::json::value& root_value;   // the parent value of root fields
  const ExecutionPlan* plan = nullptr;    // plan_execution(schema, document), if any
};

/// Field collection (spec 6.3.2), every sub-selection and the arguments written without
/// variables, worked out once for `document` so that each execution of it only looks them up
/// (a server keeps it with the prepared document). Null when @skip or @include read a variable
/// anywhere in the document: its fields are then collected per execution. Valid while `schema`
/// and `document` are.
std::shared_ptr<const ExecutionPlan> plan_execution(const Schema& schema,
                                                    const ast::Document& document);

/// Spec 6.1 ExecuteRequest. Run it on a strand (or a single-threaded io_context) when
/// resolvers of one request share mutable state: async resolvers are co_spawned on the
/// awaiting coroutine's executor.
boost::asio::awaitable<Response> execute(const ExecutionArgs& args);

/// The same, for callers without an event loop (tests, tools, benchmarks): asynchronous
/// resolvers, if any, run on a private io_context until done.
Response execute_blocking(const ExecutionArgs& args);

/// Spec 6.1.1 GetOperation: the operation named `operation_name`, or the document's only one
/// when the name is empty; otherwise graphql-js's request error.
Result<const ast::OperationDefinition*, GraphQLError> get_operation(
    const ast::Document& document, std::string_view operation_name);

/// Spec 6.2.3.1 CreateSourceEventStream for a subscription operation: coerces the variables,
/// collects the root field (with @skip/@include), coerces its arguments and calls its
/// Subscriber with `args.root_value` as parent. Either `stream` is set, or `response` holds
/// the errors: without data for request errors (variables, no subscription type, no root
/// field left), with data null for the root field's error (arguments, no Subscriber bound,
/// the Subscriber's FieldError or exception), located with its path.
struct SourceEventStream {
  std::shared_ptr<EventStream> stream;
  Response response;
};
boost::asio::awaitable<SourceEventStream> create_source_event_stream(const ExecutionArgs& args);

}  // namespace cubeauth::graphql
