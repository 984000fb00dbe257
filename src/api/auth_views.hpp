// What the auth results look like to clients, written once for both front doors:
// the GraphQL resolvers and the REST twins build their JSON here, and turn an
// AuthError into a client error here.
#pragma once

#include "auth/auth_error.hpp"
#include "auth/auth_service.hpp"
#include "graphql/execution/resolver.hpp"
#include "store/user.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cubeauth::api {

/// UserType: id, firstName, lastName, email, roles, disabled.
boost::json::object user_json(const store::User& user);

/// LoginResponse: message, user, token, refreshToken, connectySession, ccUserId. When
/// ConnectyCube failed, its fields are null and `connectycube_error` (below) says why.
boost::json::object login_json(const auth::LoginResult& result);

/// SessionResponse: message, token, refreshToken, user.
boost::json::object session_json(const auth::SessionResult& result, std::string_view message);

/// UserResgisterResponse: {"message": "user register successfully", "user"}.
boost::json::object registered_json(const store::User& user);

/// {"message"} answers, the same words on both front doors.
inline constexpr std::string_view kRefreshedMessage = "Token refreshed";
inline constexpr std::string_view kLoggedOutMessage = "Logged out";
boost::json::object message_json(std::string_view message);

/// Where login_json keeps why refreshToken is null: {"message", "code"}. GraphQL turns
/// it into an error on the field's path; REST sends it as "refreshTokenError".
inline constexpr std::string_view kRefreshTokenErrorKey = "__refreshTokenError";

/// ProfileResponse: message, user, connectyCubeUpdated (null with the error kept as below).
boost::json::object profile_json(const auth::ProfileResult& result);

/// Where login_json and profile_json keep why a ConnectyCube field is null:
/// {"message", "code"}. GraphQL turns it into an error on the field's path; REST
/// sends it as "connectyCubeError".
inline constexpr std::string_view kConnectyCubeErrorKey = "__connectyCubeError";

/// {"message", "code"} of an error, as kept under kConnectyCubeErrorKey.
boost::json::object connectycube_error_json(const auth::AuthError& error);

/// The resolver of a field beside kConnectyCubeErrorKey (connectySession, ccUserId,
/// connectyCubeUpdated): null with that error when it is set, else the parent's value.
graphql::ResolverResult connectycube_field(const graphql::ResolveParams& params, std::string_view name);

/// The same for a field whose error is kept under `error_key`.
graphql::ResolverResult field_or_error(const graphql::ResolveParams& params, std::string_view name,
                                       std::string_view error_key);

/// A rate-limited operation's wait, kept in the GraphQL request context so that the
/// /api route can send it as a Retry-After header.
struct RetryAfter {
  std::chrono::seconds wait{0};
};

/// Records `error`'s wait in `context` when it is kRateLimited (the longest wins).
void note_retry_after(graphql::RequestContext& context, const auth::AuthError& error);

/// The caller's address, for rate limits ("" when unknown): IPv4 as is, IPv6 by its
/// /64 prefix, since one host may hold a whole /64 and would otherwise get a bucket
/// per address.
std::string client_address(const graphql::ResolveParams& params);
std::string rate_limit_key(const boost::asio::ip::address& address);

/// A GraphQL field error: the message, extensions.code from the error table, and
/// extensions.field for input errors, extensions.retryAfter (seconds) when rate-limited.
graphql::FieldError to_field_error(const auth::AuthError& error);

/// The caller of a GraphQL operation over WebSocket, authenticated once by the
/// connection_init payload and put in each operation's context.
struct ConnectionCaller {
  auth::TokenClaims claims;
};

/// The signed-in caller of a resolver: the ConnectionCaller in the context (refused once
/// its token has expired), else the HTTP request's `Authorization: Bearer` token.
Result<auth::TokenClaims, auth::AuthError> caller_of(const graphql::ResolveParams& params,
                                                     const auth::AuthService& auth);

/// Runs `resolve(claims)` for a signed-in caller; the caller_of error otherwise.
template <class Resolve>
graphql::ResolverResult signed_in(const graphql::ResolveParams& params, const auth::AuthService& auth,
                                  Resolve resolve) {
  auto caller = caller_of(params, auth);
  if (!caller) {
    return to_field_error(caller.error());
  }
  return resolve(std::move(*caller));
}

/// A string argument's value ("" when absent or null), or nullopt when absent or null.
std::string string_arg(const graphql::ResolveParams& params, std::string_view name);
std::optional<std::string> optional_string_arg(const graphql::ResolveParams& params, std::string_view name);

}  // namespace cubeauth::api
