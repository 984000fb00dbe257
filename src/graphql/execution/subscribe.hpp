// Subscriptions (spec 6.2.3, graphql-js 16 `subscribe`): a subscription operation's root field
// creates a source event stream (its Subscriber); each event is then executed against the
// operation's selection set with the event as root value (MapSourceToResponseEvent,
// ExecuteSubscriptionEvent), by the ordinary executor. Queries and mutations started through
// `subscribe` give their one response.
#pragma once

#include "common/result.hpp"
#include "graphql/execution/resolver.hpp"
#include "graphql/language/ast.hpp"
#include "graphql/response/response.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace cubeauth::graphql {

class Schema;
class ExecutionPlan;  // graphql/execution/execute.hpp

/// A source event stream (spec 6.2.3.1 CreateSourceEventStream's result). Used from one
/// executor (the subscription's); implementations deliver events from other threads by
/// posting to that executor.
class EventStream {
 public:
  virtual ~EventStream() = default;
  /// The next event, or nullopt once the stream has ended (close() was called, or the
  /// source ended). Only one next() is outstanding at a time.
  virtual boost::asio::awaitable<std::optional<boost::json::value>> next() = 0;
  /// Ends the stream: an outstanding next() completes with nullopt soon after, later
  /// ones at once. Idempotent. Called on the subscription's executor.
  virtual void close() = 0;
};

using SubscribeOutcome = Result<std::shared_ptr<EventStream>, FieldError>;

/// Bound to "Subscription.field" with Schema::bind_subscriber(coordinate, Subscriber):
/// creates the field's source stream from its coerced arguments and the context (`parent`
/// is the service's root value). The references in the ResolveParams are valid until the
/// returned awaitable completes: the stream must own (copy) what it keeps.
///
/// Each event then becomes the root value of one execution of the operation's selection
/// set: the field's ordinary resolver, if bound, maps the event (its `parent`) to the field's
/// value; without one the field reads the event's same-named property, like graphql-js's
/// default resolver (publish {"field": value}).
using Subscriber = std::function<boost::asio::awaitable<SubscribeOutcome>(const ResolveParams&)>;

/// One running operation started by Service::subscribe.
class Subscription {
 public:
  virtual ~Subscription() = default;
  /// The next response: for a subscription, each source event executed against the
  /// selection set (spec 6.2.3.2 MapSourceToResponseEvent, the event as root value);
  /// for a query or mutation, its one response. nullopt when there is nothing more.
  /// Only one next() is outstanding at a time; await it on the subscription's executor.
  /// The awaitable does not refer to the Subscription: destroying the Subscription while
  /// it is outstanding is safe (it then yields nullopt).
  virtual boost::asio::awaitable<std::optional<Response>> next() = 0;
  /// Stops: closes the source stream; an outstanding next() then yields nullopt.
  /// Idempotent; the destructor calls it.
  virtual void close() = 0;
};

/// Everything a subscription keeps while it runs; Service::subscribe fills it in.
struct SubscribeArgs {
  std::shared_ptr<const Schema> schema;
  std::shared_ptr<const ast::Document> document;  // parsed and validated
  std::string operation_name;                     // empty: the document's only operation
  boost::json::object variables;                  // raw variable values from the request
  std::shared_ptr<RequestContext> context;
  boost::json::value root_value;  // the Subscriber's parent value
  std::shared_ptr<const ExecutionPlan> plan;  // of `document`, if any: each event executes it
};

/// Spec 6.2.3 Subscribe (6.2.1/6.2.2 for queries and mutations) on a valid document. Request
/// errors (unknown operation, variables, no subscription root type, a root field left out by
/// @skip/@include) come back as the unexpected Response (errors only, no data). A failing
/// Subscriber, or none bound, gives a Subscription whose one Response is {data: null,
/// errors}. Moves from `args`.
boost::asio::awaitable<Result<std::unique_ptr<Subscription>, Response>> subscribe(
    SubscribeArgs&& args);

}  // namespace cubeauth::graphql
