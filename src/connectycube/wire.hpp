// What goes over the wire for each operation, byte for byte as the official JS SDK
// (connectycube 6.1.2) sends it, and how the answers are read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "connectycube/connectycube.hpp"
#include "connectycube/http_client.hpp"

namespace cubeauth::connectycube::wire {

/// The SDK's CB-SDK header value.
inline constexpr std::string_view kSdkHeader = "JS 6.1.2 - Client";
inline constexpr std::string_view kJsonContentType = "application/json;charset=utf-8";
inline constexpr std::string_view kFormContentType =
    "application/x-www-form-urlencoded; charset=UTF-8";

/// POST {base}/users.json {"user":{"email","password","full_name"}} with CB-AuthKey.
OutgoingRequest sign_up(const Endpoint& endpoint, std::string_view auth_key, std::string_view email,
                        std::string_view password, std::string_view full_name);

/// POST {base}/session.json {"application_id","auth_key","user":{<credential_field>,"password"}}.
OutgoingRequest create_session(const Endpoint& endpoint, std::string_view app_id,
                               std::string_view auth_key, std::string_view credential_field,
                               std::string_view credential, std::string_view password);

/// POST {base}/session.json {"application_id","auth_key"}: an application session (no user).
OutgoingRequest create_app_session(const Endpoint& endpoint, std::string_view app_id,
                                   std::string_view auth_key);

/// GET {base}/users/{id}.json with CB-Token (any session).
OutgoingRequest get_user(const Endpoint& endpoint, std::int64_t user_id, std::string_view token);

/// PUT {base}/users/{id}.json {"user":{"full_name"?, "password"?, "old_password"?}} with
/// CB-Token. Retry-safe only without a password change.
OutgoingRequest update_user(const Endpoint& endpoint, std::int64_t user_id, std::string_view token,
                            const UserUpdate& update);

/// DELETE {base}/users/{id}.json with CB-Token, no body.
OutgoingRequest delete_user(const Endpoint& endpoint, std::int64_t user_id, std::string_view token);

/// Reads {"session":{"token": "...", "user_id": N}} of a user session.
Result<Session, Error> parse_session(const IncomingResponse& response);
/// POST {base}/chat/Dialog.json {"type":3,"occupants_ids":"<id>"} with CB-Token (the SDK
/// joins the ids into a string). Retry-safe: the service keeps one private dialog per pair.
OutgoingRequest create_private_dialog(const Endpoint& endpoint, std::string_view token,
                                      std::int64_t other_user_id);

/// GET {base}/chat/Dialog.json?limit=&skip=[&type=] with CB-Token (keys sorted, as the SDK).
OutgoingRequest list_dialogs(const Endpoint& endpoint, std::string_view token,
                             const DialogQuery& query);

/// Reads a bare dialog object.
Result<Dialog, Error> parse_dialog(const IncomingResponse& response);
/// Reads {"total_entries","skip","limit","items":[Dialog]}.
Result<DialogPage, Error> parse_dialog_page(const IncomingResponse& response);

/// Reads the token of any session, application sessions included.
Result<std::string, Error> parse_session_token(const IncomingResponse& response);
/// Reads {"user":{"id": N, "login", "email", "full_name", "external_id"}} (nulls as "").
Result<User, Error> parse_user(const IncomingResponse& response);
/// Reads {"user":{"id": N}}.
Result<std::int64_t, Error> parse_user_id(const IncomingResponse& response);

}  // namespace cubeauth::connectycube::wire
