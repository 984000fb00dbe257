#include "graphql/execution/subscribe.hpp"

#include "graphql/execution/execute.hpp"
#include "graphql/schema/schema.hpp"

#include <utility>

namespace cubeauth::graphql {
namespace asio = boost::asio;
namespace json = boost::json;
namespace {

/// Ready now: no reference to the caller, so the Subscription may go away before it is awaited.
asio::awaitable<std::optional<Response>> ready(std::optional<Response> response) {
  co_return response;
}

/// A query, a mutation, or a subscription that failed at its root field: one response.
class SingleResponse final : public Subscription {
 public:
  explicit SingleResponse(Response response) : response_(std::move(response)) {}

  asio::awaitable<std::optional<Response>> next() override {
    return ready(std::exchange(response_, std::nullopt));
  }
  void close() override { response_.reset(); }

 private:
  std::optional<Response> response_;
};

/// What a running subscription owns; shared with its outstanding next(), so that closing or
/// destroying the Subscription meanwhile leaves that coroutine valid.
struct SubscriptionState {
  SubscribeArgs args;
  std::shared_ptr<EventStream> stream;
  bool closed = false;
};

// Spec 6.2.3.2 MapSourceToResponseEvent: one source event, executed with the event as root value
// (ExecuteSubscriptionEvent is the ordinary executor: graphql-js runs `execute` for it too).
asio::awaitable<std::optional<Response>> next_response(std::shared_ptr<SubscriptionState> state) {
  if (state->closed) {
    co_return std::nullopt;
  }
  std::shared_ptr<EventStream> stream = state->stream;
  std::optional<json::value> event = co_await stream->next();
  if (!event || state->closed) {
    co_return std::nullopt;
  }
  const SubscribeArgs& args = state->args;
  const ExecutionArgs execution{*args.schema,  *args.document, args.operation_name, args.variables,
                                *args.context, *event,         args.plan.get()};
  Response response = co_await execute(execution);
  if (state->closed) {
    co_return std::nullopt;
  }
  co_return response;
}

class EventSubscription final : public Subscription {
 public:
  explicit EventSubscription(std::shared_ptr<SubscriptionState> state) : state_(std::move(state)) {}
  EventSubscription(const EventSubscription&) = delete;
  EventSubscription& operator=(const EventSubscription&) = delete;
  ~EventSubscription() override { close(); }

  asio::awaitable<std::optional<Response>> next() override { return next_response(state_); }

  void close() override {
    if (!state_->closed) {
      state_->closed = true;
      state_->stream->close();
    }
  }

 private:
  std::shared_ptr<SubscriptionState> state_;
};

}  // namespace

asio::awaitable<Result<std::unique_ptr<Subscription>, Response>> subscribe(SubscribeArgs&& args) {
  using Outcome = Result<std::unique_ptr<Subscription>, Response>;
  auto operation = get_operation(*args.document, args.operation_name);
  if (!operation) {
    Response failure;
    failure.errors.push_back(std::move(operation).error());
    co_return unexpected(std::move(failure));
  }

  if ((*operation)->operation != ast::OperationType::kSubscription) {
    const ExecutionArgs execution{*args.schema,   *args.document, args.operation_name,
                                  args.variables, *args.context,  args.root_value,
                                  args.plan.get()};
    Response response = co_await execute(execution);
    if (!response.data) {
      co_return unexpected(std::move(response));  // request errors: variables, no root type
    }
    Outcome single(std::make_unique<SingleResponse>(std::move(response)));
    co_return single;
  }

  auto state = std::make_shared<SubscriptionState>();
  state->args = std::move(args);
  const SubscribeArgs& kept = state->args;
  const ExecutionArgs execution{*kept.schema,  *kept.document,  kept.operation_name, kept.variables,
                                *kept.context, kept.root_value, kept.plan.get()};
  SourceEventStream source = co_await create_source_event_stream(execution);
  if (!source.stream) {
    if (!source.response.data) {
      co_return unexpected(std::move(source.response));
    }
    Outcome single(std::make_unique<SingleResponse>(std::move(source.response)));
    co_return single;
  }
  state->stream = std::move(source.stream);
  Outcome running(std::make_unique<EventSubscription>(std::move(state)));
  co_return running;
}

}  // namespace cubeauth::graphql
