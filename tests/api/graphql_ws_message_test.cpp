// graphql-transport-ws messages: what a client may send (graphql-ws's validateMessage checks)
// and the exact text of what the server sends.
#include "api/graphql_ws_message.hpp"

#include <gtest/gtest.h>

namespace cubeauth::api {
namespace {

std::string error_of(std::string_view text) {
  auto parsed = parse_client_message(text);
  return parsed ? std::string("(valid)") : parsed.error();
}

TEST(ParseClientMessage, ReadsASubscribeWithItsPayload) {
  auto message = parse_client_message(
      R"({"id":"1","type":"subscribe","payload":{"query":"{ a }","variables":{"x":1},"operationName":"Op","extensions":{}}})");
  ASSERT_TRUE(message) << message.error();
  EXPECT_EQ(message->type, ClientMessage::Type::kSubscribe);
  EXPECT_EQ(message->id, "1");
  EXPECT_EQ(message->query, "{ a }");
  EXPECT_EQ(message->variables.at("x"), 1);
  EXPECT_EQ(message->operation_name, "Op");
}

TEST(ParseClientMessage, TakesNullVariablesAndOperationNameAsAbsent) {
  auto message = parse_client_message(
      R"({"id":"a","type":"subscribe","payload":{"query":"{ a }","variables":null,"operationName":null}})");
  ASSERT_TRUE(message) << message.error();
  EXPECT_TRUE(message->variables.empty());
  EXPECT_EQ(message->operation_name, "");
}

TEST(ParseClientMessage, ReadsConnectionInitPingPongAndComplete) {
  auto init = parse_client_message(R"({"type":"connection_init","payload":{"token":"t"}})");
  ASSERT_TRUE(init);
  EXPECT_EQ(init->type, ClientMessage::Type::kConnectionInit);
  EXPECT_EQ(init->payload.at("token"), "t");
  auto bare_init = parse_client_message(R"({"type":"connection_init"})");
  ASSERT_TRUE(bare_init);
  EXPECT_TRUE(bare_init->payload.empty());
  auto ping = parse_client_message(R"({"type":"ping","payload":{"n":1}})");
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->type, ClientMessage::Type::kPing);
  EXPECT_TRUE(ping->has_payload);
  auto pong = parse_client_message(R"({"type":"pong","payload":null})");
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->type, ClientMessage::Type::kPong);
  EXPECT_FALSE(pong->has_payload);
  auto complete = parse_client_message(R"({"type":"complete","id":"7"})");
  ASSERT_TRUE(complete);
  EXPECT_EQ(complete->type, ClientMessage::Type::kComplete);
  EXPECT_EQ(complete->id, "7");
}

TEST(ParseClientMessage, RefusesWhatGraphqlWsRefusesWithItsWording) {
  EXPECT_EQ(error_of("not json"), "Message is not valid JSON");
  EXPECT_EQ(error_of("[]"), "Message is expected to be an object, but got array");
  EXPECT_EQ(error_of("{}"), "Message is missing the 'type' property");
  EXPECT_EQ(error_of(R"({"type":1})"), "Message is expects the 'type' property to be a string, but got number");
  EXPECT_EQ(error_of(R"({"type":"hello"})"), "Invalid message 'type' property \"hello\"");
  EXPECT_EQ(error_of(R"({"type":"connection_init","payload":"x"})"),
            "\"connection_init\" message expects the 'payload' property to be an object or nullish or missing, "
            "but got string");
  EXPECT_EQ(error_of(R"({"type":"subscribe","payload":{"query":"{a}"}})"),
            "\"subscribe\" message expects the 'id' property to be a string, but got undefined");
  EXPECT_EQ(error_of(R"({"type":"subscribe","id":"","payload":{"query":"{a}"}})"),
            "\"subscribe\" message requires a non-empty 'id' property");
  EXPECT_EQ(error_of(R"({"type":"subscribe","id":"1"})"),
            "\"subscribe\" message expects the 'payload' property to be an object, but got undefined");
  EXPECT_EQ(error_of(R"({"type":"subscribe","id":"1","payload":{"query":5}})"),
            "\"subscribe\" message payload expects the 'query' property to be a string, but got number");
  EXPECT_EQ(error_of(R"({"type":"subscribe","id":"1","payload":{"query":"{a}","variables":[]}})"),
            "\"subscribe\" message payload expects the 'variables' property to be a an object or nullish or missing, "
            "but got array");
  EXPECT_EQ(error_of(R"({"type":"subscribe","id":"1","payload":{"query":"{a}","operationName":3}})"),
            "\"subscribe\" message payload expects the 'operationName' property to be a string or nullish or "
            "missing, but got number");
  EXPECT_EQ(error_of(R"({"type":"complete"})"),
            "\"complete\" message expects the 'id' property to be a string, but got undefined");
}

TEST(ParseClientMessage, RefusesMessagesOnlyAServerSends) {
  EXPECT_EQ(error_of(R"({"type":"next","id":"1","payload":{}})"), "Unexpected message of type next received");
  EXPECT_EQ(error_of(R"({"type":"connection_ack"})"), "Unexpected message of type connection_ack received");
}

TEST(ServerMessages, AreWrittenAsGraphqlWsWritesThem) {
  EXPECT_EQ(connection_ack_message({}), R"({"type":"connection_ack"})");
  boost::json::object payload{{"user", "ann"}};
  EXPECT_EQ(connection_ack_message(payload), R"({"type":"connection_ack","payload":{"user":"ann"}})");
  EXPECT_EQ(pong_message(nullptr), R"({"type":"pong"})");
  EXPECT_EQ(ping_message(&payload), R"({"type":"ping","payload":{"user":"ann"}})");
  EXPECT_EQ(complete_message("a\"b"), R"({"id":"a\"b","type":"complete"})");

  graphql::Response result;
  result.data = std::make_shared<const boost::json::value>(boost::json::object{{"n", 1}});
  EXPECT_EQ(next_message("1", result), R"({"id":"1","type":"next","payload":{"data":{"n":1}}})");

  graphql::GraphQLError error;
  error.message = "Cannot query field \"x\" on type \"Query\".";
  error.locations.push_back({1, 3});
  EXPECT_EQ(error_message("2", {error}),
            R"({"id":"2","type":"error","payload":[{"message":"Cannot query field \"x\" on type \"Query\".","locations":[{"line":1,"column":3}]}]})");
}

}  // namespace
}  // namespace cubeauth::api
