#include "api/graphql_ws_session.hpp"

#include "api/graphql_ws_message.hpp"
#include "common/logging.hpp"
#include "graphql/execution/subscribe.hpp"
#include "graphql/request/service.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <optional>
#include <unordered_map>

namespace cubeauth::api {
namespace {

namespace asio = boost::asio;
using asio::awaitable;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

/// One operation of the connection, shared by its coroutine and the session's table.
struct Operation {
  std::unique_ptr<graphql::Subscription> subscription;  ///< set once subscribe() returned
  bool cancelled = false;  ///< the client completed it, or the connection ended
};

/// The code of a request error that has none, as the HTTP route gives it: the stage that
/// refused the request.
std::string_view request_error_code(const graphql::GraphQLError& error, bool document_refused) {
  if (!document_refused) {
    return "BAD_USER_INPUT";  // unknown operation, variable values
  }
  return error.message.starts_with("Syntax Error") ? "GRAPHQL_PARSE_FAILED" : "GRAPHQL_VALIDATION_FAILED";
}

class Session {
 public:
  Session(http::WebSocket& socket, const graphql::Service& service, const GraphqlWsOptions& options)
      : socket_(socket), service_(service), options_(options), init_timer_(socket.get_executor()),
        all_done_(socket.get_executor()) {}

  awaitable<void> run() {
    if (socket_.subprotocol() != kGraphqlTransportWs) {
      socket_.close(ws_close::kSubprotocolNotAcceptable, "Subprotocol not acceptable");
    } else {
      start_init_timer();
    }
    for (;;) {
      auto text = co_await socket_.read();
      if (!text) {
        break;
      }
      if (socket_.closing()) {
        continue;  // closing: what still arrives is not acted on
      }
      auto message = parse_client_message(*text);
      if (!message) {
        socket_.close(ws_close::kBadRequest, message.error());
        continue;
      }
      co_await handle(*message);
    }
    init_timer_.cancel();
    for (auto& [id, operation] : operations_) {
      cancel(*operation);
    }
    operations_.clear();
    while (running_ > 0) {
      all_done_.expires_at(asio::steady_timer::time_point::max());
      auto [ec] = co_await all_done_.async_wait(kNoThrow);
      (void)ec;
    }
  }

 private:
  void start_init_timer() {
    if (options_.connection_init_timeout.count() <= 0) {
      return;
    }
    init_timer_.expires_after(options_.connection_init_timeout);
    // A plain handler, which may run after the session is gone (an expiry already queued
    // when run() ended): it only acts while the session's token lives.
    init_timer_.async_wait([this, alive = std::weak_ptr<const bool>(alive_)](const boost::system::error_code& ec) {
      if (!ec && !alive.expired() && !init_received_) {
        socket_.close(ws_close::kConnectionInitialisationTimeout, "Connection initialisation timeout");
      }
    });
  }

  awaitable<void> handle(ClientMessage& message) {
    switch (message.type) {
      case ClientMessage::Type::kConnectionInit:
        co_await connection_init(message);
        break;
      case ClientMessage::Type::kPing: {
        const std::string pong = pong_message(message.has_payload ? &message.payload : nullptr);
        socket_.write_text(pong);
        break;
      }
      case ClientMessage::Type::kPong:
        break;
      case ClientMessage::Type::kSubscribe:
        subscribe(std::move(message));
        break;
      case ClientMessage::Type::kComplete:
        complete(message.id);
        break;
    }
  }

  awaitable<void> connection_init(const ClientMessage& message) {
    if (init_received_) {
      socket_.close(ws_close::kTooManyInitialisationRequests, "Too many initialisation requests");
      co_return;
    }
    init_received_ = true;
    init_timer_.cancel();
    GraphqlWsAccepted accepted;
    if (options_.authenticate) {
      std::optional<Result<GraphqlWsAccepted, GraphqlWsRefused>> outcome;
      try {
        auto decided_now = co_await options_.authenticate(message.payload, socket_.request());
        outcome.emplace(std::move(decided_now));
      } catch (const std::exception& error) {
        log::error("graphql-ws authentication hook failed (id={}): {}", socket_.request().request_id(), error.what());
        socket_.close(http::close_code::kInternalError, "Internal Error");
        co_return;
      }
      auto& decided = *outcome;
      if (!decided) {
        log::info("graphql-ws connection refused ip={} id={}: {}",
                  socket_.request().remote_address().to_string(), socket_.request().request_id(),
                  decided.error().log_reason);
        socket_.close(ws_close::kForbidden, "Forbidden");
        co_return;
      }
      accepted = std::move(*decided);
    }
    if (socket_.closing()) {
      co_return;
    }
    context_ = std::move(accepted.context);
    context_.set<http::RequestContext*>(&socket_.request());
    acknowledged_ = true;
    const std::string ack = connection_ack_message(accepted.ack_payload);
    socket_.write_text(ack);
  }

  void subscribe(ClientMessage message) {
    if (!acknowledged_) {
      socket_.close(ws_close::kUnauthorized, "Unauthorized");
      return;
    }
    if (operations_.contains(message.id)) {
      socket_.close(ws_close::kSubscriberAlreadyExists, "Subscriber for " + message.id + " already exists");
      return;
    }
    if (operations_.size() >= options_.max_operations) {
      graphql::GraphQLError error;
      error.message = "Too many operations on this connection (at most " +
                      std::to_string(options_.max_operations) + "); complete one first.";
      error.extensions["code"] = "TOO_MANY_OPERATIONS";
      const std::string refused = error_message(message.id, {error});
      socket_.write_text(refused);
      return;
    }
    auto operation = std::make_shared<Operation>();
    operations_.emplace(message.id, operation);
    ++running_;
    asio::co_spawn(socket_.get_executor(), run_operation(std::move(message), operation),
                   [this](const std::exception_ptr& failure) {
                     if (failure) {
                       log_failure(failure);
                       socket_.close(http::close_code::kInternalError, "Internal Error");
                     }
                     if (--running_ == 0) {
                       all_done_.cancel();
                     }
                   });
  }

  void log_failure(const std::exception_ptr& failure) const {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& error) {
      log::error("graphql-ws operation failed (id={}): {}", socket_.request().request_id(), error.what());
    } catch (...) {
      log::error("graphql-ws operation failed (id={}) with a non-standard exception",
                 socket_.request().request_id());
    }
  }

  /// The client stops listening: no more messages for `id`; a running stream is closed.
  void complete(const std::string& id) {
    const auto found = operations_.find(id);
    if (found == operations_.end()) {
      return;
    }
    cancel(*found->second);
    operations_.erase(found);
  }

  static void cancel(Operation& operation) {
    operation.cancelled = true;
    if (operation.subscription) {
      operation.subscription->close();
    }
  }

  awaitable<void> run_operation(ClientMessage message, std::shared_ptr<Operation> operation) {
    auto context = std::make_shared<graphql::RequestContext>(context_);
    // The call outside co_await: its by-value argument is no temporary of the co_await
    // expression (g++ 12 destroys those twice).
    auto pending = service_.subscribe(message.query, message.variables, message.operation_name, context);
    auto started = co_await std::move(pending);
    if (operation->cancelled) {
      if (started) {
        (*started)->close();
      }
      co_return;
    }
    if (!started) {
      // Refused before execution: the error message, and no complete (PROTOCOL.md).
      graphql::Response refused = std::move(started).error();
      const bool document_refused = !service_.prepare(message.query)->errors.empty();
      for (auto& error : refused.errors) {
        if (!error.extensions.contains("code")) {
          error.extensions["code"] = request_error_code(error, document_refused);
        }
      }
      const std::string text = error_message(message.id, refused.errors);
      socket_.write_text(text);
      forget(message.id, operation);
      co_return;
    }
    operation->subscription = std::move(*started);
    for (;;) {
      auto response = co_await operation->subscription->next();
      if (!response || operation->cancelled) {
        break;
      }
      const std::string text = next_message(message.id, *response);
      if (!socket_.write_text(text)) {
        break;  // the connection is closing: run() cancels what is left
      }
    }
    if (!operation->cancelled) {
      const std::string text = complete_message(message.id);
      socket_.write_text(text);
    }
    operation->subscription->close();
    forget(message.id, operation);
  }

  /// Drops `id` from the table if it still names this operation (after a client's
  /// complete, the id may already be in use again).
  void forget(const std::string& id, const std::shared_ptr<Operation>& operation) {
    const auto found = operations_.find(id);
    if (found != operations_.end() && found->second == operation) {
      operations_.erase(found);
    }
  }

  http::WebSocket& socket_;
  const graphql::Service& service_;
  const GraphqlWsOptions& options_;
  std::shared_ptr<const bool> alive_ = std::make_shared<const bool>(true);
  asio::steady_timer init_timer_;
  bool init_received_ = false;
  bool acknowledged_ = false;
  graphql::RequestContext context_;
  std::unordered_map<std::string, std::shared_ptr<Operation>> operations_;
  std::size_t running_ = 0;
  asio::steady_timer all_done_;  ///< cancelled when the last operation ends
};

}  // namespace

awaitable<void> run_graphql_ws(http::WebSocket& socket, const graphql::Service& service,
                               const GraphqlWsOptions& options) {
  Session session(socket, service, options);
  co_await session.run();
}

void add_graphql_ws_route(http::Router& router, std::string path,
                          std::shared_ptr<const graphql::Service> service, GraphqlWsOptions options) {
  auto shared_options = std::make_shared<const GraphqlWsOptions>(std::move(options));
  router.add_websocket(std::move(path),
                       http::WebSocketRoute{{std::string(kGraphqlTransportWs)},
                                            [service = std::move(service), shared_options](
                                                http::WebSocket& socket) -> awaitable<void> {
                                              co_await run_graphql_ws(socket, *service, *shared_options);
                                            }});
}

}  // namespace cubeauth::api
