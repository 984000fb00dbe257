// The cubeauth side of the differential suite (README.md): reads one JSON case per line from
// stdin, runs parse, validate and execute (or Service::subscribe for a case with events) with
// the resolver rules of README.md, and writes one JSON result per line for differential.mjs to
// compare with graphql-js.
#include "graphql/execution/event_queue.hpp"
#include "graphql/execution/execute.hpp"
#include "graphql/execution/values.hpp"
#include "graphql/language/parser.hpp"
#include "graphql/request/service.hpp"
#include "graphql/response/write_response.hpp"
#include "graphql/schema/schema.hpp"
#include "graphql/validation/validate.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace asio = boost::asio;
namespace json = boost::json;
using namespace cubeauth::graphql;

namespace {

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// JavaScript String(value), for table lookups.
std::string js_string(const json::value& value) {
  if (value.is_string()) {
    return std::string(value.get_string());
  }
  if (value.is_bool()) {
    return value.get_bool() ? "true" : "false";
  }
  if (value.is_int64()) {
    return std::to_string(value.get_int64());
  }
  if (value.is_double()) {
    return format_number(value.get_double());
  }
  return value.is_null() ? "null" : "undefined";
}

const json::value* argument_at(const json::object& args, const std::string& path) {
  const json::value* value = nullptr;
  const json::object* object = &args;
  std::istringstream parts(path);
  for (std::string key; std::getline(parts, key, '.');) {
    if (object == nullptr) {
      return nullptr;
    }
    value = object->if_contains(key);
    if (value == nullptr) {
      return nullptr;
    }
    object = value->if_object();
  }
  return value;
}

// The rules of README.md, applied to the parent's same-named property.
ResolverResult resolve(const ResolveParams& params) {
  const json::object* parent = params.parent.if_object();
  const json::value* value = parent != nullptr ? parent->if_contains(params.field.name) : nullptr;
  if (value == nullptr) {
    return json::value();
  }
  if (value->is_string() && value->get_string() == "$args") {
    return json::value(params.args);
  }
  if (const json::object* rule = value->if_object()) {
    if (const json::value* message = rule->if_contains("$error")) {
      return FieldError(std::string(message->as_string()));
    }
    if (const json::value* name = rule->if_contains("$arg")) {
      return params.arg(std::string(name->as_string()));
    }
    if (const json::value* path = rule->if_contains("$lookup")) {
      const json::value* key = argument_at(params.args, std::string(path->as_string()));
      const json::value* found =
          rule->at("table").as_object().if_contains(key != nullptr ? js_string(*key) : "undefined");
      return found != nullptr ? *found : json::value();
    }
  }
  return *value;
}

const json::value& root_for(const json::object& root, const ast::Document& document,
                            const std::string& operation_name) {
  static const json::value kNull;
  const ast::OperationDefinition* chosen = nullptr;
  for (const ast::Definition& definition : document.definitions) {
    if (const auto* operation = std::get_if<ast::OperationDefinition>(&definition)) {
      bool named = operation->name && operation->name->value == operation_name;
      if (operation_name.empty() ? chosen == nullptr : named) {
        chosen = operation;
      }
    }
  }
  const char* kind = chosen != nullptr ? ast::operation_type_name(chosen->operation) : "query";
  const json::value* value = root.if_contains(kind);
  return value != nullptr ? *value : kNull;
}

/// A subscription case's source events, handed to the subscriber through the context.
struct CaseEvents {
  json::array events;
};

// The source stream of every Subscription field: the root value's rule `{"$error": m}` refuses
// it; otherwise it yields the case's events, then ends.
asio::awaitable<SubscribeOutcome> subscribe_field(const ResolveParams& params) {
  const json::object* parent = params.parent.if_object();
  const json::value* rule = parent != nullptr ? parent->if_contains(params.field.name) : nullptr;
  if (rule != nullptr && rule->is_object()) {
    if (const json::value* message = rule->get_object().if_contains("$error")) {
      co_return cubeauth::unexpected(FieldError(std::string(message->as_string())));
    }
  }
  auto executor = co_await asio::this_coro::executor;
  auto queue = std::make_shared<EventQueue>(executor);
  for (const json::value& event : params.context.get<CaseEvents>()->events) {
    queue->push(event);
  }
  queue->end();
  co_return queue;
}

// Every response of Service::subscribe; a request error is the one response.
asio::awaitable<json::array> subscription_responses(const Service& service,
                                                    const std::string& document,
                                                    const json::object& variables,
                                                    const std::string& operation_name,
                                                    std::shared_ptr<RequestContext> context) {
  json::array responses;
  auto outcome = co_await service.subscribe(document, variables, operation_name, context);
  if (!outcome) {
    responses.push_back(json::parse(write_response(outcome.error())));
    co_return responses;
  }
  while (true) {
    std::optional<Response> response = co_await (*outcome)->next();
    if (!response) {
      break;
    }
    responses.push_back(json::parse(write_response(*response)));
  }
  co_return responses;
}

std::string errors_result(const char* stage, const std::vector<GraphQLError>& errors) {
  json::array list;
  for (const GraphQLError& error : errors) {
    list.push_back(to_json(error));
  }
  return std::string("{\"stage\":\"") + stage + "\",\"result\":{\"errors\":" +
         json::serialize(list) + "}}";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: graphql_differential_runner <schema.graphql> <root.json>\n";
    return 2;
  }
  auto schema = build_schema(read_file(argv[1]));
  if (!schema) {
    for (const GraphQLError& error : schema.error()) {
      std::cerr << "schema error: " << error.message << "\n";
    }
    return 1;
  }
  for (const NamedType* type : (*schema)->types()) {
    const ObjectType* object = type->as_object();
    if (object == nullptr || type->name().starts_with("__")) {
      continue;
    }
    for (const FieldDefinition& field : object->fields()) {
      if (!(*schema)->bind(type->name() + "." + field.name, Resolver(resolve))) {
        return 1;
      }
    }
  }
  const ObjectType* subscription_type = (*schema)->subscription_type();
  for (const FieldDefinition& field : subscription_type->fields()) {
    if (!(*schema)->bind_subscriber(subscription_type->name() + "." + field.name,
                                    subscribe_field)) {
      return 1;
    }
  }
  const json::object root = json::parse(read_file(argv[2])).as_object();
  ServiceOptions options;
  options.root_value = root.at("subscription");
  const Service service(*schema, options);
  for (std::string line; std::getline(std::cin, line);) {
    if (line.empty()) {
      continue;
    }
    const json::object request = json::parse(line).as_object();
    const std::string document_text(request.at("document").as_string());
    std::string operation_name;
    if (const json::value* name = request.if_contains("operationName")) {
      operation_name = std::string(name->as_string());
    }
    json::object variables;
    if (const json::value* given = request.if_contains("variables")) {
      variables = given->as_object();
    }
    auto document = parse(document_text);
    if (!document) {
      std::cout << errors_result("parse", {document.error()}) << "\n";
      continue;
    }
    std::vector<GraphQLError> errors = validate(**schema, *document);
    if (!errors.empty()) {
      std::cout << errors_result("validate", errors) << "\n";
      continue;
    }
    if (const json::value* events = request.if_contains("events")) {
      auto context = std::make_shared<RequestContext>();
      context->set(CaseEvents{events->as_array()});
      asio::io_context io;
      json::array responses;
      asio::co_spawn(
          io, subscription_responses(service, document_text, variables, operation_name, context),
          [&](std::exception_ptr error, json::array answers) {
            if (error) {
              std::rethrow_exception(error);
            }
            responses = std::move(answers);
          });
      io.run();
      std::cout << "{\"stage\":\"execute\",\"result\":{\"responses\":" << json::serialize(responses)
                << "}}\n";
      continue;
    }
    // Executed twice, with the document's plan (as Service runs cached documents) and without
    // it; a difference fails the case, whatever graphql-js answers.
    const json::value& root_value = root_for(root, *document, operation_name);
    const std::shared_ptr<const ExecutionPlan> plan = plan_execution(**schema, *document);
    RequestContext context;
    const std::string unplanned = write_response(
        execute_blocking({**schema, *document, operation_name, variables, context, root_value}));
    RequestContext planned_context;
    const std::string planned = write_response(execute_blocking(
        {**schema, *document, operation_name, variables, planned_context, root_value, plan.get()}));
    if (planned != unplanned) {
      std::cout << "{\"stage\":\"execute\",\"result\":{\"errors\":[{\"message\":"
                << json::serialize(json::value("planned execution differs: " + planned +
                                               " unplanned: " + unplanned))
                << "}]}}\n";
      continue;
    }
    std::cout << "{\"stage\":\"execute\",\"result\":" << planned << "}\n";
  }
  return 0;
}
