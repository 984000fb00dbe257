#include "api/graphql_request_body.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>
#include <cmath>

namespace cubeauth::api {
namespace {

/// Parses JSON text with the depth limit; nullopt when it is not valid JSON.
std::optional<boost::json::value> parse_json(std::string_view text) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec, {}, options);
  if (ec) {
    return std::nullopt;
  }
  return value;
}

/// False when a number is infinite: Boost.JSON reads 1e400 as infinity, which no JSON
/// writer can give back (a response echoing it would not be JSON). The recursion is
/// bounded by kMaxJsonDepth.
bool numbers_are_finite(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::double_:
      return std::isfinite(value.get_double());
    case boost::json::kind::array:
      for (const auto& element : value.get_array()) {
        if (!numbers_are_finite(element)) {
          return false;
        }
      }
      return true;
    case boost::json::kind::object:
      for (const auto& member : value.get_object()) {
        if (!numbers_are_finite(member.value())) {
          return false;
        }
      }
      return true;
    default:
      return true;
  }
}

constexpr std::string_view kNotFinite =
    "Numbers in the request must be within the range of a double.";

/// Reads {query, variables, operationName, extensions} from a JSON object.
Result<GraphqlRequest, std::string> read_request_object(boost::json::object& body) {
  GraphqlRequest request;
  auto* query = body.if_contains("query");
  if (query == nullptr || query->is_null() || (query->is_string() && query->get_string().empty())) {
    return unexpected(std::string("GraphQL operations must contain a non-empty `query`."));
  }
  if (!query->is_string()) {
    return unexpected(std::string("`query` must be a string."));
  }
  request.query = query->get_string();
  if (auto* variables = body.if_contains("variables");
      variables != nullptr && !variables->is_null()) {
    if (!variables->is_object()) {
      return unexpected(std::string("`variables` must be an object."));
    }
    if (!numbers_are_finite(*variables)) {
      return unexpected(std::string(kNotFinite));
    }
    request.variables = std::move(variables->get_object());
  }
  if (const auto* name = body.if_contains("operationName"); name != nullptr && !name->is_null()) {
    if (!name->is_string()) {
      return unexpected(std::string("`operationName` must be a string."));
    }
    request.operation_name = name->get_string();
  }
  if (const auto* extensions = body.if_contains("extensions");
      extensions != nullptr && !extensions->is_null() && !extensions->is_object()) {
    return unexpected(std::string("`extensions` must be an object."));
  }
  return request;
}

}  // namespace

Result<GraphqlRequest, std::string> decode_graphql_body(std::string_view body) {
  auto parsed = parse_json(body);
  if (!parsed) {
    return unexpected(std::string("The request body is not valid JSON."));
  }
  if (!parsed->is_object()) {
    return unexpected(std::string("The request body must be a JSON object."));
  }
  return read_request_object(parsed->get_object());
}

Result<boost::json::object, std::string> decode_graphql_variables(std::string_view text) {
  if (text.empty()) {
    return boost::json::object{};
  }
  auto parsed = parse_json(text);
  if (!parsed || !(parsed->is_object() || parsed->is_null())) {
    return unexpected(std::string("`variables` must be a JSON object."));
  }
  if (!numbers_are_finite(*parsed)) {
    return unexpected(std::string(kNotFinite));
  }
  if (parsed->is_null()) {
    return boost::json::object{};
  }
  return std::move(parsed->get_object());
}

}  // namespace cubeauth::api
