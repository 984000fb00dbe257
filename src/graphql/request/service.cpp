#include "graphql/request/service.hpp"

#include "graphql/execution/execute.hpp"
#include "graphql/language/parser.hpp"
#include "graphql/request/operation_limits.hpp"
#include "graphql/schema/schema.hpp"
#include "graphql/validation/validate.hpp"

#include <fmt/format.h>

namespace cubeauth::graphql {
namespace {

Response request_error(std::vector<GraphQLError> errors) {
  Response response;
  response.errors = std::move(errors);
  return response;
}

/// The remembered answer of an introspection-only document, if any.
std::optional<Response> remembered(const PreparedDocument& prepared,
                                   std::string_view operation_name,
                                   const boost::json::object& variables) {
  if (!prepared.introspection_only) {
    return std::nullopt;
  }
  return prepared.answers.find(operation_name, variables);
}

void remember(const PreparedDocument& prepared, std::string_view operation_name,
              const boost::json::object& variables, const Response& response) {
  if (prepared.introspection_only && response.errors.empty() && response.data) {
    prepared.answers.remember(operation_name, variables, response.data);
  }
}

}  // namespace

Service::Service(std::shared_ptr<const Schema> schema, ServiceOptions options)
    : schema_(std::move(schema)), options_(std::move(options)), cache_(options_.cache_entries) {}

std::shared_ptr<const PreparedDocument> Service::prepare(std::string_view query) const {
  if (auto cached = cache_.find(query)) {
    return cached;
  }
  auto prepared = std::make_shared<PreparedDocument>();
  ParseOptions parse_options;
  parse_options.max_document_bytes = options_.limits.max_document_bytes;
  parse_options.max_tokens = options_.limits.max_tokens;
  // Selection sets, list values and list types share the parser's nesting budget; leave room
  // for values inside the deepest allowed selection.
  parse_options.max_depth = options_.limits.max_depth + 32;
  auto document = parse(query, parse_options);
  if (!document) {
    prepared->errors.push_back(std::move(document).error());
  } else {
    prepared->document = std::move(document).value();
    ValidationOptions validation;
    validation.max_errors = options_.limits.max_validation_errors;
    prepared->errors = validate(*schema_, prepared->document, validation);
    if (prepared->errors.empty()) {
      prepared->errors = check_operation_limits(prepared->document, options_.limits);
    }
    // Remembering answers and planning are worth it only for documents the cache keeps.
    if (options_.cache_entries > 0 && prepared->errors.empty()) {
      prepared->introspection_only =
          options_.remember_introspection_answers && is_introspection_only(prepared->document);
      prepared->plan = plan_execution(*schema_, prepared->document);
    }
  }
  cache_.insert(query, prepared);
  return prepared;
}

boost::asio::awaitable<Response> Service::execute_request(std::string_view query,
                                                          const boost::json::object& variables,
                                                          std::string_view operation_name,
                                                          RequestContext& context) const {
  if (query.size() > options_.limits.max_document_bytes) {
    co_return request_error({GraphQLError{
        fmt::format("Syntax Error: Document is larger than {} bytes. Parsing aborted.",
                    options_.limits.max_document_bytes),
        {}, {}, {}}});
  }
  std::shared_ptr<const PreparedDocument> prepared = prepare(query);
  if (!prepared->errors.empty()) {
    co_return request_error(prepared->errors);
  }
  if (auto answer = remembered(*prepared, operation_name, variables)) {
    co_return std::move(*answer);
  }
  ExecutionArgs args{*schema_, prepared->document,  operation_name,      variables,
                     context,  options_.root_value, prepared->plan.get()};
  Response response = co_await execute(args);
  remember(*prepared, operation_name, variables, response);
  co_return response;
}

boost::asio::awaitable<Result<std::unique_ptr<Subscription>, Response>> Service::subscribe(
    std::string_view query, const boost::json::object& variables, std::string_view operation_name,
    std::shared_ptr<RequestContext> context) const {
  if (query.size() > options_.limits.max_document_bytes) {
    co_return unexpected(request_error({GraphQLError{
        fmt::format("Syntax Error: Document is larger than {} bytes. Parsing aborted.",
                    options_.limits.max_document_bytes),
        {},
        {},
        {}}}));
  }
  std::shared_ptr<const PreparedDocument> prepared = prepare(query);
  if (!prepared->errors.empty()) {
    co_return unexpected(request_error(prepared->errors));
  }
  SubscribeArgs args;
  args.schema = schema_;
  args.document = std::shared_ptr<const ast::Document>(prepared, &prepared->document);
  args.operation_name = std::string(operation_name);
  args.variables = variables;
  args.context = std::move(context);
  args.root_value = options_.root_value;
  args.plan = prepared->plan;
  auto outcome = co_await graphql::subscribe(std::move(args));
  co_return outcome;
}

Response Service::execute_request_blocking(std::string_view query,
                                           const boost::json::object& variables,
                                           std::string_view operation_name,
                                           RequestContext& context) const {
  if (query.size() > options_.limits.max_document_bytes) {
    return request_error({GraphQLError{
        fmt::format("Syntax Error: Document is larger than {} bytes. Parsing aborted.",
                    options_.limits.max_document_bytes),
        {}, {}, {}}});
  }
  std::shared_ptr<const PreparedDocument> prepared = prepare(query);
  if (!prepared->errors.empty()) {
    return request_error(prepared->errors);
  }
  if (auto answer = remembered(*prepared, operation_name, variables)) {
    return std::move(*answer);
  }
  ExecutionArgs args{*schema_, prepared->document,  operation_name,      variables,
                     context,  options_.root_value, prepared->plan.get()};
  Response response = execute_blocking(args);
  remember(*prepared, operation_name, variables, response);
  return response;
}

}  // namespace cubeauth::graphql
