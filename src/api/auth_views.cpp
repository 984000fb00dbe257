#include "api/auth_views.hpp"

#include "api/error_table.hpp"
#include "http/router.hpp"

#include <boost/json/array.hpp>

#include <algorithm>

namespace cubeauth::api {

boost::json::object user_json(const store::User& user) {
  boost::json::array roles{"user"};
  for (const auto& role : user.roles) {
    if (role != "user") {
      roles.emplace_back(role);
    }
  }
  return {{"id", user.id},
          {"firstName", user.first_name},
          {"lastName", user.last_name},
          {"email", user.email},
          {"roles", std::move(roles)},
          {"disabled", user.disabled}};
}

boost::json::object connectycube_error_json(const auth::AuthError& error) {
  return {{"message", error.message}, {"code", client_error(error.kind).code}};
}

boost::json::object login_json(const auth::LoginResult& result) {
  boost::json::object response;
  response["message"] = "Login successful";
  response["user"] = user_json(result.user);
  response["token"] = result.token;
  if (result.refresh_token.empty()) {
    response["refreshToken"] = nullptr;
    const auth::AuthError error =
        result.refresh_token_error ? *result.refresh_token_error : auth::auth_error(auth::AuthErrorKind::kInternal);
    response[kRefreshTokenErrorKey] = connectycube_error_json(error);
  } else {
    response["refreshToken"] = result.refresh_token;
  }
  const auth::ConnectyCubeOutcome& connectycube = result.connectycube;
  if (connectycube.session_token) {
    response["connectySession"] = *connectycube.session_token;
    response["ccUserId"] = connectycube.user_id ? boost::json::value(*connectycube.user_id) : nullptr;
  } else {
    response["connectySession"] = nullptr;
    response["ccUserId"] = nullptr;
    const auth::AuthError error =
        connectycube.error ? *connectycube.error : auth::auth_error(auth::AuthErrorKind::kInternal);
    response[kConnectyCubeErrorKey] = connectycube_error_json(error);
  }
  return response;
}

boost::json::object session_json(const auth::SessionResult& result, std::string_view message) {
  return {{"message", message},
          {"token", result.token},
          {"refreshToken", result.refresh_token},
          {"user", user_json(result.user)}};
}

boost::json::object profile_json(const auth::ProfileResult& result) {
  boost::json::object response{{"message", "Profile updated"}, {"user", user_json(result.user)}};
  if (result.connectycube_updated) {
    response["connectyCubeUpdated"] = *result.connectycube_updated;
  } else {
    response["connectyCubeUpdated"] = nullptr;
    const auth::AuthError error = result.connectycube_error ? *result.connectycube_error
                                                            : auth::auth_error(auth::AuthErrorKind::kInternal);
    response[kConnectyCubeErrorKey] = connectycube_error_json(error);
  }
  return response;
}

boost::json::object registered_json(const store::User& user) {
  return {{"message", "user register successfully"}, {"user", user_json(user)}};
}

boost::json::object message_json(std::string_view message) { return {{"message", message}}; }

graphql::ResolverResult connectycube_field(const graphql::ResolveParams& params, std::string_view name) {
  return field_or_error(params, name, kConnectyCubeErrorKey);
}

graphql::ResolverResult field_or_error(const graphql::ResolveParams& params, std::string_view name,
                                       std::string_view error_key) {
  const boost::json::object& parent = params.parent.as_object();
  if (const auto* error = parent.if_contains(error_key)) {
    const auto& details = error->as_object();
    return graphql::FieldError(std::string(details.at("message").as_string()),
                               std::string(details.at("code").as_string()));
  }
  const auto* value = parent.if_contains(name);
  return value != nullptr ? *value : boost::json::value(nullptr);
}

void note_retry_after(graphql::RequestContext& context, const auth::AuthError& error) {
  if (error.kind != auth::AuthErrorKind::kRateLimited) {
    return;
  }
  if (const auto* noted = context.get<RetryAfter>(); noted == nullptr || noted->wait < error.retry_after) {
    context.set(RetryAfter{error.retry_after});
  }
}

std::string rate_limit_key(const boost::asio::ip::address& address) {
  if (address.is_v6() && !address.to_v6().is_v4_mapped()) {
    auto bytes = address.to_v6().to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return boost::asio::ip::address_v6(bytes).to_string() + "/64";
  }
  if (address.is_v6()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

std::string client_address(const graphql::ResolveParams& params) {
  if (auto* const* http_context = params.context.get<http::RequestContext*>(); http_context && *http_context) {
    return rate_limit_key((*http_context)->remote_address());
  }
  return {};
}

graphql::FieldError to_field_error(const auth::AuthError& error) {
  boost::json::object extensions;
  if (!error.field.empty()) {
    extensions["field"] = error.field;
  }
  if (error.kind == auth::AuthErrorKind::kRateLimited) {
    extensions["retryAfter"] = error.retry_after.count();
  }
  return graphql::FieldError(error.message, std::string(client_error(error.kind).code), std::move(extensions));
}

Result<auth::TokenClaims, auth::AuthError> caller_of(const graphql::ResolveParams& params,
                                                     const auth::AuthService& auth) {
  if (const auto* connection = params.context.get<ConnectionCaller>()) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    if (connection->claims.expires_at != 0 && connection->claims.expires_at <= now) {
      return unexpected(auth::auth_error(auth::AuthErrorKind::kInvalidToken));
    }
    return connection->claims;
  }
  std::string_view authorization;
  if (auto* const* http_context = params.context.get<http::RequestContext*>(); http_context && *http_context) {
    authorization = (*http_context)->request()[http::beast_http::field::authorization];
  }
  return auth.authenticate_bearer(authorization);
}

std::string string_arg(const graphql::ResolveParams& params, std::string_view name) {
  const boost::json::value& value = params.arg(name);
  return value.is_string() ? std::string(value.as_string()) : std::string();
}

std::optional<std::string> optional_string_arg(const graphql::ResolveParams& params, std::string_view name) {
  const boost::json::value& value = params.arg(name);
  if (!value.is_string()) {
    return std::nullopt;
  }
  return std::string(value.as_string());
}

}  // namespace cubeauth::api
