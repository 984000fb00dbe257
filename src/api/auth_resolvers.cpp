#include "api/auth_resolvers.hpp"

#include "api/error_table.hpp"
#include "auth/auth_service.hpp"
#include "graphql/execution/resolver.hpp"
#include "graphql/schema/schema.hpp"

#include <boost/json/object.hpp>

namespace cubeauth::api {
namespace {

using graphql::FieldError;
using graphql::FieldOutcome;
using graphql::ResolveParams;
using graphql::ResolverResult;

// LoginResponse values carry why their ConnectyCube fields are null under this key; the
// field resolvers turn it into a located error. Clients never see the key itself.
constexpr std::string_view kConnectyCubeErrorKey = "__connectyCubeError";

FieldError to_field_error(const auth::AuthError& error) {
  boost::json::object extensions;
  if (!error.field.empty()) {
    extensions["field"] = error.field;
  }
  return FieldError(error.message, std::string(client_error(error.kind).code), std::move(extensions));
}

boost::json::object user_object(const store::User& user) {
  return {{"id", user.id},
          {"firstName", user.first_name},
          {"lastName", user.last_name},
          {"email", user.email}};
}

std::string string_field(const boost::json::value& object, std::string_view name) {
  if (const auto* member = object.as_object().if_contains(name); member != nullptr && member->is_string()) {
    return std::string(member->as_string());
  }
  return {};
}

boost::json::object login_response(const auth::LoginResult& result) {
  boost::json::object response;
  response["message"] = "Login successful";
  response["user"] = user_object(result.user);
  response["token"] = result.token;
  const auth::ConnectyCubeOutcome& connectycube = result.connectycube;
  if (connectycube.session_token) {
    response["connectySession"] = *connectycube.session_token;
    response["ccUserId"] = connectycube.user_id ? boost::json::value(*connectycube.user_id) : nullptr;
  } else {
    response["connectySession"] = nullptr;
    response["ccUserId"] = nullptr;
    const auth::AuthError& error = connectycube.error ? *connectycube.error
                                                      : auth::auth_error(auth::AuthErrorKind::kInternal);
    response[kConnectyCubeErrorKey] = {{"message", error.message},
                                       {"code", client_error(error.kind).code}};
  }
  return response;
}

boost::asio::awaitable<FieldOutcome> resolve_register(auth::AuthService& auth, auth::Registration input) {
  auto registered = co_await auth.register_user(std::move(input));
  if (!registered) {
    co_return unexpected(to_field_error(registered.error()));
  }
  boost::json::object response;
  response["message"] = "user register successfully";
  response["user"] = user_object(*registered);
  co_return boost::json::value(std::move(response));
}

enum class LoginKind { kEmail, kToken };

boost::asio::awaitable<FieldOutcome> resolve_login(auth::AuthService& auth, LoginKind kind,
                                                   std::string email, std::string password) {
  Result<auth::LoginResult, auth::AuthError> logged_in = unexpected(auth::auth_error(auth::AuthErrorKind::kInternal));
  if (kind == LoginKind::kEmail) {
    logged_in = co_await auth.login(std::move(email), std::move(password));
  } else {
    logged_in = co_await auth.login_by_token(std::move(email), std::move(password));
  }
  if (!logged_in) {
    co_return unexpected(to_field_error(logged_in.error()));
  }
  co_return boost::json::value(login_response(*logged_in));
}

/// A LoginResponse field that is null with an error when ConnectyCube failed.
ResolverResult connectycube_field(const ResolveParams& params, std::string_view name) {
  const boost::json::object& parent = params.parent.as_object();
  if (const auto* error = parent.if_contains(kConnectyCubeErrorKey)) {
    const auto& details = error->as_object();
    return FieldError(std::string(details.at("message").as_string()),
                      std::string(details.at("code").as_string()));
  }
  const auto* value = parent.if_contains(name);
  return value != nullptr ? *value : boost::json::value(nullptr);
}

}  // namespace

Result<void, std::string> bind_auth_resolvers(graphql::Schema& schema, auth::AuthService& auth) {
  const std::pair<std::string_view, graphql::Resolver> bindings[] = {
      {"Query.hello", [](const ResolveParams&) -> ResolverResult { return "Hello from API!"; }},
      {"Mutation.register",
       [&auth](const ResolveParams& params) -> ResolverResult {
         const boost::json::value& body = params.arg("body");
         auth::Registration input{string_field(body, "email"), string_field(body, "password"),
                                  string_field(body, "firstName"), string_field(body, "lastName")};
         return resolve_register(auth, std::move(input));
       }},
      {"Mutation.login",
       [&auth](const ResolveParams& params) -> ResolverResult {
         const boost::json::value& body = params.arg("body");
         return resolve_login(auth, LoginKind::kEmail, string_field(body, "email"),
                              string_field(body, "password"));
       }},
      {"Mutation.login_By_token",
       [&auth](const ResolveParams& params) -> ResolverResult {
         const boost::json::value& body = params.arg("body");
         return resolve_login(auth, LoginKind::kToken, string_field(body, "email"),
                              string_field(body, "password"));
       }},
      {"LoginResponse.connectySession",
       [](const ResolveParams& params) { return connectycube_field(params, "connectySession"); }},
      {"LoginResponse.ccUserId",
       [](const ResolveParams& params) { return connectycube_field(params, "ccUserId"); }},
  };
  for (const auto& [coordinate, resolver] : bindings) {
    if (auto bound = schema.bind(coordinate, resolver); !bound) {
      return bound;
    }
  }
  return {};
}

}  // namespace cubeauth::api
