// Writes a Response as JSON text the way graphql-js + JSON.stringify do: {"errors": [...],
// "data": ...} (errors first, only when present), numbers as JavaScript prints them.
#pragma once

#include "graphql/response/response.hpp"

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace cubeauth::graphql {

std::string write_response(const Response& response);
void write_response(const Response& response, std::string& out);

/// Appends `value` as JSON (JavaScript number formatting, JSON.stringify string escapes).
void write_json(const boost::json::value& value, std::string& out);
void write_json_string(std::string_view text, std::string& out);

}  // namespace cubeauth::graphql
