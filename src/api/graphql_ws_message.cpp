#include "api/graphql_ws_message.hpp"

#include "graphql/response/write_response.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

namespace cubeauth::api {
namespace {

namespace json = boost::json;

/// JavaScript's names for JSON kinds, as graphql-ws's messages print them.
std::string_view kind_of(const json::value* value) {
  if (value == nullptr) {
    return "undefined";
  }
  switch (value->kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "number";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
  }
  return "undefined";
}

bool nullish(const json::value* value) { return value == nullptr || value->is_null(); }

/// The message's non-empty string id.
Result<std::string, std::string> read_id(const json::object& message, std::string_view type) {
  const json::value* id = message.if_contains("id");
  if (id == nullptr || !id->is_string()) {
    return unexpected("\"" + std::string(type) + "\" message expects the 'id' property to be a string, but got " +
                      std::string(kind_of(id)));
  }
  if (id->as_string().empty()) {
    return unexpected("\"" + std::string(type) + "\" message requires a non-empty 'id' property");
  }
  return std::string(id->as_string());
}

/// connection_init, ping, pong: an optional object payload.
Result<void, std::string> read_optional_payload(const json::object& message, std::string_view type,
                                                ClientMessage& out) {
  const json::value* payload = message.if_contains("payload");
  if (nullish(payload)) {
    return {};
  }
  if (!payload->is_object()) {
    return unexpected("\"" + std::string(type) +
                      "\" message expects the 'payload' property to be an object or nullish or missing, but got " +
                      std::string(kind_of(payload)));
  }
  out.payload = payload->as_object();
  out.has_payload = true;
  return {};
}

Result<void, std::string> read_subscribe(const json::object& message, ClientMessage& out) {
  auto id = read_id(message, "subscribe");
  if (!id) {
    return unexpected(std::move(id).error());
  }
  out.id = std::move(*id);
  const json::value* payload = message.if_contains("payload");
  if (payload == nullptr || !payload->is_object()) {
    return unexpected("\"subscribe\" message expects the 'payload' property to be an object, but got " +
                      std::string(kind_of(payload)));
  }
  const json::object& fields = payload->as_object();
  const json::value* query = fields.if_contains("query");
  if (query == nullptr || !query->is_string()) {
    return unexpected("\"subscribe\" message payload expects the 'query' property to be a string, but got " +
                      std::string(kind_of(query)));
  }
  out.query = std::string(query->as_string());
  const json::value* variables = fields.if_contains("variables");
  if (!nullish(variables)) {
    if (!variables->is_object()) {
      return unexpected(
          "\"subscribe\" message payload expects the 'variables' property to be a an object or nullish or missing, "
          "but got " +
          std::string(kind_of(variables)));
    }
    out.variables = variables->as_object();
  }
  const json::value* operation_name = fields.if_contains("operationName");
  if (!nullish(operation_name)) {
    if (!operation_name->is_string()) {
      return unexpected(
          "\"subscribe\" message payload expects the 'operationName' property to be a string or nullish or missing, "
          "but got " +
          std::string(kind_of(operation_name)));
    }
    out.operation_name = std::string(operation_name->as_string());
  }
  const json::value* extensions = fields.if_contains("extensions");
  if (!nullish(extensions) && !extensions->is_object()) {
    return unexpected(
        "\"subscribe\" message payload expects the 'extensions' property to be a an object or nullish or missing, "
        "but got " +
        std::string(kind_of(extensions)));
  }
  return {};
}

void write_id_and_type(std::string_view id, std::string_view type, std::string& out) {
  out += "{\"id\":";
  graphql::write_json_string(id, out);
  out += ",\"type\":\"";
  out += type;
  out += '"';
}

std::string with_optional_payload(std::string_view type, const json::object* payload) {
  std::string out = "{\"type\":\"";
  out += type;
  out += '"';
  if (payload != nullptr) {
    out += ",\"payload\":";
    graphql::write_json(*payload, out);
  }
  out += '}';
  return out;
}

}  // namespace

Result<ClientMessage, std::string> parse_client_message(std::string_view text) {
  json::error_code ec;
  const json::value parsed = json::parse(text, ec);
  if (ec) {
    return unexpected(std::string("Message is not valid JSON"));
  }
  if (!parsed.is_object()) {
    return unexpected("Message is expected to be an object, but got " + std::string(kind_of(&parsed)));
  }
  const json::object& message = parsed.as_object();
  const json::value* type = message.if_contains("type");
  if (nullish(type) || (type->is_string() && type->as_string().empty())) {
    return unexpected(std::string("Message is missing the 'type' property"));
  }
  if (!type->is_string()) {
    return unexpected("Message is expects the 'type' property to be a string, but got " + std::string(kind_of(type)));
  }
  const std::string_view name = type->as_string();
  ClientMessage out;
  Result<void, std::string> checked;
  if (name == "connection_init") {
    out.type = ClientMessage::Type::kConnectionInit;
    checked = read_optional_payload(message, name, out);
  } else if (name == "ping") {
    out.type = ClientMessage::Type::kPing;
    checked = read_optional_payload(message, name, out);
  } else if (name == "pong") {
    out.type = ClientMessage::Type::kPong;
    checked = read_optional_payload(message, name, out);
  } else if (name == "subscribe") {
    out.type = ClientMessage::Type::kSubscribe;
    checked = read_subscribe(message, out);
  } else if (name == "complete") {
    out.type = ClientMessage::Type::kComplete;
    auto id = read_id(message, name);
    if (!id) {
      return unexpected(std::move(id).error());
    }
    out.id = std::move(*id);
  } else if (name == "connection_ack" || name == "next" || name == "error") {
    return unexpected("Unexpected message of type " + std::string(name) + " received");
  } else {
    return unexpected("Invalid message 'type' property \"" + std::string(name) + "\"");
  }
  if (!checked) {
    return unexpected(std::move(checked).error());
  }
  return out;
}

std::string connection_ack_message(const json::object& payload) {
  return with_optional_payload("connection_ack", payload.empty() ? nullptr : &payload);
}

std::string ping_message(const json::object* payload) { return with_optional_payload("ping", payload); }

std::string pong_message(const json::object* payload) { return with_optional_payload("pong", payload); }

std::string next_message(std::string_view id, const graphql::Response& result) {
  std::string out;
  write_id_and_type(id, "next", out);
  out += ",\"payload\":";
  graphql::write_response(result, out);
  out += '}';
  return out;
}

std::string error_message(std::string_view id, const std::vector<graphql::GraphQLError>& errors) {
  json::array payload;
  for (const auto& error : errors) {
    payload.emplace_back(graphql::to_json(error));
  }
  std::string out;
  write_id_and_type(id, "error", out);
  out += ",\"payload\":";
  graphql::write_json(payload, out);
  out += '}';
  return out;
}

std::string complete_message(std::string_view id) {
  std::string out;
  write_id_and_type(id, "complete", out);
  out += '}';
  return out;
}

}  // namespace cubeauth::api
