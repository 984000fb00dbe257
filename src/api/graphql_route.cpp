#include "api/graphql_route.hpp"

#include "api/auth_views.hpp"
#include "api/graphql_request_body.hpp"
#include "api/playground/playground.hpp"
#include "graphql/request/service.hpp"
#include "graphql/response/write_response.hpp"

namespace cubeauth::api {
namespace {

using graphql::GraphQLError;

/// A failure before execution: the HTTP status and one GraphQL error.
struct RequestFailure {
  http::Status status;
  GraphQLError error;
};

GraphQLError coded_error(std::string message, std::string_view code) {
  GraphQLError error;
  error.message = std::move(message);
  error.extensions["code"] = code;
  return error;
}

RequestFailure bad_request(std::string message) {
  return {http::Status::bad_request, coded_error(std::move(message), "BAD_REQUEST")};
}

bool wants_graphql_response_json(const http::Request& request) {
  return request[http::beast_http::field::accept].find("application/graphql-response+json") !=
         std::string_view::npos;
}

http::Response graphql_response(const http::Request& request, http::Status status,
                                const graphql::Response& result) {
  http::Response response{status, 11};
  response.set(http::beast_http::field::content_type, wants_graphql_response_json(request)
                                                          ? "application/graphql-response+json; charset=utf-8"
                                                          : "application/json; charset=utf-8");
  graphql::write_response(result, response.body());
  return response;
}

http::Response failure_response(const http::Request& request, RequestFailure failure) {
  graphql::Response result;
  result.errors.push_back(std::move(failure.error));
  http::Response response = graphql_response(request, failure.status, result);
  if (failure.status == http::Status::method_not_allowed) {
    response.set(http::beast_http::field::allow, "POST");
  }
  return response;
}

Result<GraphqlRequest, RequestFailure> read_post(const http::Request& request) {
  const std::string_view content_type = request[http::beast_http::field::content_type];
  if (!content_type.starts_with("application/json") && !content_type.starts_with("application/graphql-response+json")) {
    return unexpected(RequestFailure{http::Status::unsupported_media_type,
                                     coded_error("POST requests to /api must have Content-Type: application/json.",
                                                 "BAD_REQUEST")});
  }
  auto decoded = decode_graphql_body(request.body());
  if (!decoded) {
    return unexpected(bad_request(std::move(decoded).error()));
  }
  return std::move(*decoded);
}

Result<GraphqlRequest, RequestFailure> read_get(const http::RequestContext& context) {
  GraphqlRequest request;
  auto query = context.query_param("query");
  if (!query || query->empty()) {
    return unexpected(bad_request("GraphQL operations must contain a non-empty `query`."));
  }
  request.query = std::move(*query);
  if (auto variables = context.query_param("variables"); variables && !variables->empty()) {
    auto decoded = decode_graphql_variables(*variables);
    if (!decoded) {
      return unexpected(bad_request(std::move(decoded).error()));
    }
    request.variables = std::move(*decoded);
  }
  request.operation_name = context.query_param("operationName").value_or("");
  return request;
}

/// The operation a request would run: the named one, or the only one.
const graphql::ast::OperationDefinition* chosen_operation(const graphql::ast::Document& document,
                                                          std::string_view name) {
  const graphql::ast::OperationDefinition* chosen = nullptr;
  for (const auto& definition : document.definitions) {
    const auto* operation = std::get_if<graphql::ast::OperationDefinition>(&definition);
    if (operation == nullptr) {
      continue;
    }
    if (name.empty()) {
      if (chosen != nullptr) {
        return nullptr;
      }
      chosen = operation;
    } else if (operation->name && operation->name->value == name) {
      return operation;
    }
  }
  return chosen;
}

/// The code of a request error that has none: the stage that refused the document.
std::string_view prepare_error_code(const GraphQLError& error) {
  return error.message.starts_with("Syntax Error") ? "GRAPHQL_PARSE_FAILED" : "GRAPHQL_VALIDATION_FAILED";
}

boost::asio::awaitable<http::Response> run(const graphql::Service& service, http::RequestContext& context,
                                           GraphqlRequest request, bool is_get) {
  const http::Request& http_request = context.request();
  const auto prepared = service.prepare(request.query);
  if (!prepared->errors.empty()) {
    graphql::Response result;
    result.errors = prepared->errors;
    for (auto& error : result.errors) {
      if (!error.extensions.contains("code")) {
        error.extensions["code"] = prepare_error_code(error);
      }
    }
    co_return graphql_response(http_request, http::Status::bad_request, result);
  }
  if (is_get) {
    const auto* operation = chosen_operation(prepared->document, request.operation_name);
    if (operation != nullptr && operation->operation != graphql::ast::OperationType::kQuery) {
      co_return failure_response(
          http_request, {http::Status::method_not_allowed,
                         coded_error("Can only perform a mutation operation from a POST request.", "BAD_REQUEST")});
    }
  }

  graphql::RequestContext resolver_context;
  resolver_context.set<http::RequestContext*>(&context);
  graphql::Response result =
      co_await service.execute_request(request.query, request.variables, request.operation_name, resolver_context);
  if (!result.data) {
    // Execution refused the request itself (unknown operation, bad variable values).
    for (auto& error : result.errors) {
      if (!error.extensions.contains("code")) {
        error.extensions["code"] = "BAD_USER_INPUT";
      }
    }
    co_return graphql_response(http_request, http::Status::bad_request, result);
  }
  http::Response response = graphql_response(http_request, http::Status::ok, result);
  if (const auto* retry_after = resolver_context.get<RetryAfter>()) {
    // A rate-limited field: the errors say so, and the header tells when to come back.
    response.set(http::beast_http::field::retry_after, std::to_string(retry_after->wait.count()));
  }
  co_return response;
}

}  // namespace

void add_graphql_routes(http::Router& router, std::shared_ptr<const graphql::Service> service) {
  router.add(http::Verb::post, "/api",
             [service](http::RequestContext& context) -> boost::asio::awaitable<http::Response> {
               auto request = read_post(context.request());
               if (!request) {
                 co_return failure_response(context.request(), std::move(request).error());
               }
               http::Response response = co_await run(*service, context, std::move(*request), false);
               co_return response;
             });
  router.add(http::Verb::get, "/api",
             [service](http::RequestContext& context) -> boost::asio::awaitable<http::Response> {
               if (wants_playground(context)) {
                 co_return playground_page(context);
               }
               auto request = read_get(context);
               if (!request) {
                 http::Response refused = failure_response(context.request(), std::move(request).error());
                 refused.set(http::beast_http::field::vary, "Accept");
                 co_return refused;
               }
               http::Response response = co_await run(*service, context, std::move(*request), true);
               // The same URL serves the playground to browsers: caches must key on Accept.
               response.set(http::beast_http::field::vary, "Accept");
               co_return response;
             });
}

}  // namespace cubeauth::api
