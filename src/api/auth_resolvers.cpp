#include "api/auth_resolvers.hpp"

#include "api/account_resolvers.hpp"
#include "api/auth_views.hpp"
#include "auth/auth_service.hpp"
#include "graphql/execution/resolver.hpp"
#include "graphql/schema/schema.hpp"

#include <boost/json/object.hpp>

namespace cubeauth::api {
namespace {

using graphql::FieldOutcome;
using graphql::ResolveParams;
using graphql::ResolverResult;

std::string string_field(const boost::json::value& object, std::string_view name) {
  if (const auto* member = object.as_object().if_contains(name); member != nullptr && member->is_string()) {
    return std::string(member->as_string());
  }
  return {};
}

boost::asio::awaitable<FieldOutcome> resolve_register(auth::AuthService& auth, graphql::RequestContext& context,
                                                      auth::Registration input, std::string client) {
  auto registered = co_await auth.register_user(std::move(input), std::move(client));
  if (!registered) {
    note_retry_after(context, registered.error());
    co_return unexpected(to_field_error(registered.error()));
  }
  co_return boost::json::value(registered_json(*registered));
}

enum class LoginKind { kEmail, kToken };

boost::asio::awaitable<FieldOutcome> resolve_login(auth::AuthService& auth, graphql::RequestContext& context,
                                                   LoginKind kind, std::string email, std::string password,
                                                   std::string client) {
  Result<auth::LoginResult, auth::AuthError> logged_in = unexpected(auth::auth_error(auth::AuthErrorKind::kInternal));
  if (kind == LoginKind::kEmail) {
    logged_in = co_await auth.login(std::move(email), std::move(password), std::move(client));
  } else {
    logged_in = co_await auth.login_by_token(std::move(email), std::move(password), std::move(client));
  }
  if (!logged_in) {
    note_retry_after(context, logged_in.error());
    co_return unexpected(to_field_error(logged_in.error()));
  }
  co_return boost::json::value(login_json(*logged_in));
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
         return resolve_register(auth, params.context, std::move(input), client_address(params));
       }},
      {"Mutation.login",
       [&auth](const ResolveParams& params) -> ResolverResult {
         const boost::json::value& body = params.arg("body");
         return resolve_login(auth, params.context, LoginKind::kEmail, string_field(body, "email"),
                              string_field(body, "password"), client_address(params));
       }},
      {"Mutation.login_By_token",
       [&auth](const ResolveParams& params) -> ResolverResult {
         const boost::json::value& body = params.arg("body");
         return resolve_login(auth, params.context, LoginKind::kToken, string_field(body, "email"),
                              string_field(body, "password"), client_address(params));
       }},
      {"LoginResponse.connectySession",
       [](const ResolveParams& params) { return connectycube_field(params, "connectySession"); }},
      {"LoginResponse.ccUserId",
       [](const ResolveParams& params) { return connectycube_field(params, "ccUserId"); }},
      {"LoginResponse.refreshToken",
       [](const ResolveParams& params) { return field_or_error(params, "refreshToken", kRefreshTokenErrorKey); }},
  };
  for (const auto& [coordinate, resolver] : bindings) {
    if (auto bound = schema.bind(coordinate, resolver); !bound) {
      return bound;
    }
  }
  return bind_account_resolvers(schema, auth);
}

}  // namespace cubeauth::api
