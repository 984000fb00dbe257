// Test helper: builds a schema, executes a document and returns the response as JSON text.
#pragma once

#include "graphql/execution/execute.hpp"
#include "graphql/language/parser.hpp"
#include "graphql/response/write_response.hpp"
#include "graphql/schema/schema.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

namespace cubeauth::graphql::testing {

inline std::shared_ptr<Schema> make_schema(std::string_view sdl) {
  auto schema = build_schema(sdl);
  if (!schema) {
    for (const auto& error : schema.error()) {
      ADD_FAILURE() << "schema: " << error.message;
    }
    return nullptr;
  }
  return *schema;
}

inline void bind(Schema& schema, std::string_view coordinate, Resolver resolver) {
  auto bound = schema.bind(coordinate, std::move(resolver));
  ASSERT_TRUE(bound) << bound.error();
}

/// Executes `query` (already known to be valid) and writes the response.
inline std::string run(const Schema& schema, std::string_view query,
                       std::string_view variables_json = "{}",
                       const boost::json::value& root = {}, RequestContext* context = nullptr,
                       std::string_view operation_name = {}) {
  auto document = parse(query);
  if (!document) {
    return "syntax: " + document.error().message;
  }
  boost::json::object variables = boost::json::parse(variables_json).as_object();
  RequestContext local_context;
  ExecutionArgs args{schema, *document, operation_name, variables,
                     context != nullptr ? *context : local_context, root};
  return write_response(execute_blocking(args));
}

}  // namespace cubeauth::graphql::testing
