#include "api/graphql_ws_auth.hpp"

#include "api/auth_views.hpp"
#include "auth/auth_service.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace cubeauth::api {
namespace {

/// The token the client offered: nullopt for none, "" for an unusable offer (refused).
std::optional<std::string> offered_token(const boost::json::object& payload, const http::RequestContext& upgrade) {
  for (std::string_view key : {"authorization", "Authorization"}) {
    if (const auto* value = payload.if_contains(key)) {
      if (!value->is_string()) {
        return std::string();
      }
      return std::string(auth::bearer_token(value->as_string()).value_or(std::string_view()));
    }
  }
  for (std::string_view key : {"token", "accessToken"}) {
    if (const auto* token = payload.if_contains(key)) {
      return token->is_string() ? std::string(token->as_string()) : std::string();
    }
  }
  const std::string_view header = upgrade.request()[http::beast_http::field::authorization];
  if (!header.empty()) {
    return std::string(auth::bearer_token(header).value_or(std::string_view()));
  }
  return std::nullopt;
}

boost::asio::awaitable<Result<GraphqlWsAccepted, GraphqlWsRefused>> authenticate(auth::AuthService& auth,
                                                                                std::optional<std::string> token) {
  GraphqlWsAccepted accepted;
  if (!token) {
    co_return accepted;
  }
  if (token->empty()) {
    co_return unexpected(GraphqlWsRefused{"connection_init: an authorization that is not a bearer token"});
  }
  auto claims = co_await auth.check_token(std::move(*token));
  if (!claims) {
    co_return unexpected(GraphqlWsRefused{"connection_init: " + claims.error().message});
  }
  accepted.context.set(ConnectionCaller{std::move(*claims)});
  co_return accepted;
}

}  // namespace

GraphqlWsAuthenticator graphql_ws_authenticator(auth::AuthService& auth) {
  return [&auth](const boost::json::object& payload, const http::RequestContext& upgrade) {
    return authenticate(auth, offered_token(payload, upgrade));
  };
}

}  // namespace cubeauth::api
