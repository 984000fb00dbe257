#include "graphql/response/write_response.hpp"

#include "graphql/execution/values.hpp"
#include "graphql/language/quote_string.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <charconv>

namespace cubeauth::graphql {
namespace json = boost::json;

void write_json_string(std::string_view text, std::string& out) {
  append_quoted_string(text, QuoteStyle::kJson, out);
}

void write_json(const json::value& value, std::string& out) {
  switch (value.kind()) {
    case json::kind::null:
      out += "null";
      return;
    case json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      return;
    case json::kind::int64: {
      char buffer[24];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.get_int64());
      out.append(buffer, end);
      return;
    }
    case json::kind::uint64: {
      char buffer[24];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.get_uint64());
      out.append(buffer, end);
      return;
    }
    case json::kind::double_:
      out += format_number(value.get_double());
      return;
    case json::kind::string:
      write_json_string(value.get_string(), out);
      return;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value.get_array()) {
        if (!first) {
          out += ',';
        }
        first = false;
        write_json(item, out);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& entry : value.get_object()) {
        if (!first) {
          out += ',';
        }
        first = false;
        write_json_string(entry.key(), out);
        out += ':';
        write_json(entry.value(), out);
      }
      out += '}';
      return;
    }
  }
}

namespace {

void write_error(const GraphQLError& error, std::string& out) {
  out += "{\"message\":";
  write_json_string(error.message, out);
  if (!error.locations.empty()) {
    out += ",\"locations\":[";
    for (std::size_t i = 0; i < error.locations.size(); ++i) {
      if (i > 0) {
        out += ',';
      }
      out += "{\"line\":" + std::to_string(error.locations[i].line) +
             ",\"column\":" + std::to_string(error.locations[i].column) + '}';
    }
    out += ']';
  }
  if (!error.path.empty()) {
    out += ",\"path\":[";
    for (std::size_t i = 0; i < error.path.size(); ++i) {
      if (i > 0) {
        out += ',';
      }
      if (const auto* key = std::get_if<std::string>(&error.path[i])) {
        write_json_string(*key, out);
      } else {
        out += std::to_string(std::get<std::size_t>(error.path[i]));
      }
    }
    out += ']';
  }
  if (!error.extensions.empty()) {
    out += ",\"extensions\":";
    write_json(error.extensions, out);
  }
  out += '}';
}

}  // namespace

void write_response(const Response& response, std::string& out) {
  out += '{';
  if (!response.errors.empty()) {
    out += "\"errors\":[";
    for (std::size_t i = 0; i < response.errors.size(); ++i) {
      if (i > 0) {
        out += ',';
      }
      write_error(response.errors[i], out);
    }
    out += ']';
  }
  if (response.data) {
    if (!response.errors.empty()) {
      out += ',';
    }
    out += "\"data\":";
    write_json(*response.data, out);
  }
  out += '}';
}

std::string write_response(const Response& response) {
  std::string out;
  out.reserve(256);
  write_response(response, out);
  return out;
}

}  // namespace cubeauth::graphql
