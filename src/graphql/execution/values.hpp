// Input coercion (spec 5.6, 6.1.2, 6.4.1): literals and JSON variables to values of a type,
// with graphql-js's error wording. Enum values are JSON strings; Int is int64, Float double.
#pragma once

#include "common/result.hpp"
#include "graphql/error/graphql_error.hpp"
#include "graphql/schema/types.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cubeauth::graphql {

class Schema;

/// graphql-js valueFromAST: the literal coerced to `type`, nullopt when it is invalid.
/// `variables` holds already coerced variable values (nullptr: none).
std::optional<boost::json::value> value_from_ast(const ast::Value& node, const Type* type,
                                                 const boost::json::object* variables);

/// One failure of coerce_input_value, graphql-js's onError arguments.
struct InputCoercionError {
  std::vector<PathSegment> path;
  boost::json::value invalid_value;
  std::string message;
};

/// graphql-js coerceInputValue: a JSON input (a variable's value) coerced to `type`.
/// Returns nullopt and appends to `errors` when invalid.
std::optional<boost::json::value> coerce_input_value(const boost::json::value& input,
                                                     const Type* type,
                                                     std::vector<InputCoercionError>& errors);

/// Spec 6.1.2 CoerceVariableValues. Errors are located at the variable definitions.
Result<boost::json::object, std::vector<GraphQLError>> coerce_variable_values(
    const Schema& schema, const ast::OperationDefinition& operation,
    const boost::json::object& inputs, std::size_t max_errors = 50);

/// Spec 6.4.1 CoerceArgumentValues, for a field or a directive. `node_loc` locates the
/// "was not provided" error (the field or directive).
Result<boost::json::object, GraphQLError> coerce_argument_values(
    const std::vector<InputValue>& definitions, const std::vector<ast::Argument>& arguments,
    const boost::json::object& variables, ast::Location node_loc);

/// graphql-js inspect() for JSON values, as used in error messages: "abc" quoted, objects as
/// { a: 1 }.
std::string inspect(const boost::json::value& value);

/// graphql-js print(astFromValue(value, type)): a coerced input value as a GraphQL literal,
/// e.g. introspection's defaultValue. nullopt when the value cannot be represented.
std::optional<std::string> print_input_value(const boost::json::value& value, const Type* type);

/// A JSON number as JavaScript prints it: 1, 1.5, 1e+21.
std::string format_number(double value);

}  // namespace cubeauth::graphql
