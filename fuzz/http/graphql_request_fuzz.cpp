// libFuzzer target for what POST and GET /api do with a request before any resolver runs:
// the JSON body (or GET's `variables`) is decoded, the query parsed, validated and measured
// against the served schema, the variables coerced, and the errors written as a response,
// which must be JSON again (a number such as 1e400 must never come back as `Infinity`).
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "api/graphql_request_body.hpp"
#include "api/schema_sdl.hpp"
#include "graphql/execution/values.hpp"
#include "graphql/language/parser.hpp"
#include "graphql/request/limits.hpp"
#include "graphql/request/operation_limits.hpp"
#include "graphql/response/write_response.hpp"
#include "graphql/schema/schema.hpp"
#include "graphql/validation/validate.hpp"

namespace {

namespace graphql = cubeauth::graphql;

const graphql::Schema& schema() {
  static const std::shared_ptr<graphql::Schema> built = [] {
    auto result = graphql::build_schema(cubeauth::api::schema_sdl());
    if (!result) {
      std::abort();
    }
    return *std::move(result);
  }();
  return *built;
}

/// The written response must parse as JSON.
void check_response(const graphql::Response& response) {
  const std::string text = graphql::write_response(response);
  boost::system::error_code ec;
  (void)boost::json::parse(text, ec);
  if (ec) {
    std::abort();
  }
}

/// Service::prepare and the variable coercion of execute, without the executor.
void run_request(const cubeauth::api::GraphqlRequest& request) {
  const graphql::RequestLimits limits;
  graphql::ParseOptions options;
  options.max_document_bytes = limits.max_document_bytes;
  options.max_tokens = limits.max_tokens;
  options.max_depth = limits.max_depth + 32;  // as Service::prepare
  auto document = graphql::parse(request.query, options);
  graphql::Response response;
  if (!document) {
    response.errors.push_back(std::move(document).error());
    check_response(response);
    return;
  }
  response.errors = graphql::validate(schema(), *document);
  if (response.errors.empty()) {
    response.errors = graphql::check_operation_limits(*document, limits);
  }
  if (!response.errors.empty()) {
    check_response(response);
    return;
  }
  for (const auto& definition : document->definitions) {
    const auto* operation = std::get_if<graphql::ast::OperationDefinition>(&definition);
    if (operation == nullptr) {
      continue;
    }
    auto coerced = graphql::coerce_variable_values(schema(), *operation, request.variables);
    if (!coerced) {
      response.errors = std::move(coerced).error();
      check_response(response);
    } else {
      response.data = std::make_shared<const boost::json::value>(std::move(*coerced));
      check_response(response);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // POST: the whole input is the body.
  if (auto request = cubeauth::api::decode_graphql_body(input)) {
    run_request(*request);
  }
  // GET: the whole input is the `variables` parameter of a fixed query.
  if (auto variables = cubeauth::api::decode_graphql_variables(input)) {
    cubeauth::api::GraphqlRequest request;
    request.query = "mutation($body: LoginUserDto!) { login(body: $body) { token } }";
    request.variables = std::move(*variables);
    run_request(request);
  }
  return 0;
}
