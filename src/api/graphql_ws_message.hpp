// The messages of graphql-transport-ws (the graphql-ws npm library's PROTOCOL.md): reading a
// client's message with the checks of graphql-ws's validateMessage, writing the server's.
#pragma once

#include "common/result.hpp"
#include "graphql/response/response.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace cubeauth::api {

/// The WebSocket subprotocol.
inline constexpr std::string_view kGraphqlTransportWs = "graphql-transport-ws";

/// The protocol's close codes (graphql-ws `CloseCode`).
namespace ws_close {
inline constexpr std::uint16_t kBadRequest = 4400;                ///< invalid message
inline constexpr std::uint16_t kUnauthorized = 4401;              ///< subscribe before the ack
inline constexpr std::uint16_t kForbidden = 4403;                 ///< connection_init refused
inline constexpr std::uint16_t kSubprotocolNotAcceptable = 4406;
inline constexpr std::uint16_t kConnectionInitialisationTimeout = 4408;
inline constexpr std::uint16_t kSubscriberAlreadyExists = 4409;
inline constexpr std::uint16_t kTooManyInitialisationRequests = 4429;
}  // namespace ws_close

/// A message a client may send.
struct ClientMessage {
  enum class Type { kConnectionInit, kPing, kPong, kSubscribe, kComplete };
  Type type = Type::kPing;
  std::string id;                ///< subscribe, complete
  boost::json::object payload;   ///< connection_init, ping, pong (empty when absent or null)
  bool has_payload = false;      ///< ping/pong: a payload object was sent (echoed in the pong)
  std::string query;             ///< subscribe
  boost::json::object variables; ///< subscribe (empty when absent or null)
  std::string operation_name;    ///< subscribe (empty when absent or null)
};

/// Parses and checks one message; the error text says what is wrong (it becomes the 4400
/// close reason). A message only a server sends (connection_ack, next, error) is invalid.
Result<ClientMessage, std::string> parse_client_message(std::string_view text);

/// {"type":"connection_ack"} with `payload` when it is not empty.
std::string connection_ack_message(const boost::json::object& payload);
/// {"type":"ping"} / {"type":"pong"}, with `payload` when given.
std::string ping_message(const boost::json::object* payload);
std::string pong_message(const boost::json::object* payload);
/// {"id","type":"next","payload":<the execution result>}.
std::string next_message(std::string_view id, const graphql::Response& result);
/// {"id","type":"error","payload":[<GraphQL errors>]}.
std::string error_message(std::string_view id, const std::vector<graphql::GraphQLError>& errors);
/// {"id","type":"complete"}.
std::string complete_message(std::string_view id);

}  // namespace cubeauth::api
