#include "api/rest_routes.hpp"

#include "api/auth_views.hpp"
#include "api/error_table.hpp"
#include "auth/auth_service.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

namespace cubeauth::api {
namespace {

using Json = boost::json::object;

/// {"error": reason, "code", "message", "field"?}: the shape of every cubeauth HTTP
/// error, plus the GraphQL code and the field, so both front doors say the same.
http::Response auth_error_response(const auth::AuthError& error) {
  const ClientError client = client_error(error.kind);
  Json body{{"error", http::beast_http::obsolete_reason(client.status)},
            {"code", client.code},
            {"message", error.message}};
  if (!error.field.empty()) {
    body["field"] = error.field;
  }
  http::Response response = http::json_response(client.status, body);
  if (error.kind == auth::AuthErrorKind::kRateLimited) {
    response.set(http::beast_http::field::retry_after, std::to_string(error.retry_after.count()));
  }
  return response;
}

auth::AuthError bad_input(std::string field, std::string message) {
  return {auth::AuthErrorKind::kInvalidInput, std::move(message), std::move(field)};
}

/// The request's JSON object body, or the response refusing it.
Result<Json, http::Response> read_body(const http::Request& request) {
  const std::string_view content_type = request[http::beast_http::field::content_type];
  if (!content_type.starts_with("application/json")) {
    return unexpected(http::error_response(http::Status::unsupported_media_type,
                                           "Send the body as JSON with Content-Type: application/json."));
  }
  boost::json::parse_options options;
  options.max_depth = 16;
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(request.body(), ec, {}, options);
  if (ec || !body.is_object()) {
    return unexpected(auth_error_response(bad_input("", "The body must be a JSON object.")));
  }
  return std::move(body.as_object());
}

/// The string member `name`; absent counts as empty (the service names it), any other
/// type is refused here, naming it.
Result<std::string, http::Response> string_member(const Json& body, std::string_view name) {
  const auto* value = body.if_contains(name);
  if (value == nullptr || value->is_null()) {
    return std::string();
  }
  if (!value->is_string()) {
    return unexpected(auth_error_response(bad_input(std::string(name), std::string(name) + " must be a string")));
  }
  return std::string(value->as_string());
}

/// login_json with the ConnectyCube and refresh-token failures under "connectyCubeError"
/// and "refreshTokenError" (GraphQL puts them on the fields' paths instead).
Json rest_view(Json view) {
  for (const auto& [key, name] : {std::pair{kConnectyCubeErrorKey, "connectyCubeError"},
                                  std::pair{kRefreshTokenErrorKey, "refreshTokenError"}}) {
    if (auto* error = view.if_contains(key)) {
      view[name] = std::move(*error);
      view.erase(key);
    }
  }
  return view;
}

boost::asio::awaitable<http::Response> post_register(auth::AuthService& auth, http::RequestContext& context) {
  auto body = read_body(context.request());
  if (!body) {
    co_return std::move(body).error();
  }
  auth::Registration input;
  const std::pair<std::string_view, std::string*> fields[] = {
      {"email", &input.email}, {"password", &input.password}, {"firstName", &input.first_name},
      {"lastName", &input.last_name}};
  for (const auto& [name, out] : fields) {
    auto value = string_member(*body, name);
    if (!value) {
      co_return std::move(value).error();
    }
    *out = std::move(*value);
  }
  std::string client = rate_limit_key(context.remote_address());
  auto registered = co_await auth.register_user(std::move(input), std::move(client));
  if (!registered) {
    co_return auth_error_response(registered.error());
  }
  co_return http::json_response(http::Status::created, registered_json(*registered));
}

enum class LoginKind { kEmail, kToken };

boost::asio::awaitable<http::Response> post_login(auth::AuthService& auth, http::RequestContext& context,
                                                  LoginKind kind) {
  auto body = read_body(context.request());
  if (!body) {
    co_return std::move(body).error();
  }
  auto email = string_member(*body, "email");
  if (!email) {
    co_return std::move(email).error();
  }
  auto password = string_member(*body, "password");
  if (!password) {
    co_return std::move(password).error();
  }
  Result<auth::LoginResult, auth::AuthError> logged_in = unexpected(auth::auth_error(auth::AuthErrorKind::kInternal));
  std::string client = rate_limit_key(context.remote_address());
  if (kind == LoginKind::kEmail) {
    logged_in = co_await auth.login(std::move(*email), std::move(*password), std::move(client));
  } else {
    logged_in = co_await auth.login_by_token(std::move(*email), std::move(*password), std::move(client));
  }
  if (!logged_in) {
    co_return auth_error_response(logged_in.error());
  }
  co_return http::json_response(http::Status::ok, rest_view(login_json(*logged_in)));
}

/// The refresh token of a /auth/refresh or /auth/logout body. A missing one is empty,
/// which the service treats as GraphQL's empty string: refresh refuses it, logout has
/// nothing to do.
Result<std::string, http::Response> refresh_token_of(const http::Request& request) {
  auto body = read_body(request);
  if (!body) {
    return unexpected(std::move(body).error());
  }
  return string_member(*body, "refreshToken");
}

boost::asio::awaitable<http::Response> post_refresh(auth::AuthService& auth, http::RequestContext& context) {
  auto token = refresh_token_of(context.request());
  if (!token) {
    co_return std::move(token).error();
  }
  std::string client = rate_limit_key(context.remote_address());
  auto session = co_await auth.refresh(std::move(*token), std::move(client));
  if (!session) {
    co_return auth_error_response(session.error());
  }
  co_return http::json_response(http::Status::ok, session_json(*session, kRefreshedMessage));
}

boost::asio::awaitable<http::Response> post_logout(auth::AuthService& auth, http::RequestContext& context) {
  auto token = refresh_token_of(context.request());
  if (!token) {
    co_return std::move(token).error();
  }
  auto done = co_await auth.logout(std::move(*token));
  if (!done) {
    co_return auth_error_response(done.error());
  }
  co_return http::json_response(http::Status::ok, message_json(kLoggedOutMessage));
}

boost::asio::awaitable<http::Response> get_me(auth::AuthService& auth, http::RequestContext& context) {
  auto caller = auth.authenticate_bearer(context.request()[http::beast_http::field::authorization]);
  if (!caller) {
    http::Response refused = auth_error_response(caller.error());
    refused.set(http::beast_http::field::www_authenticate, "Bearer");
    co_return refused;
  }
  auto user = co_await auth.current_user(*caller);
  if (!user) {
    co_return auth_error_response(user.error());
  }
  co_return http::json_response(http::Status::ok, Json{{"user", user_json(*user)}});
}

}  // namespace

void add_rest_routes(http::Router& router, auth::AuthService& auth) {
  router.add(http::Verb::post, "/auth/register",
             [&auth](http::RequestContext& context) { return post_register(auth, context); });
  router.add(http::Verb::post, "/auth/login",
             [&auth](http::RequestContext& context) { return post_login(auth, context, LoginKind::kEmail); });
  router.add(http::Verb::post, "/auth/login-by-token",
             [&auth](http::RequestContext& context) { return post_login(auth, context, LoginKind::kToken); });
  router.add(http::Verb::post, "/auth/refresh",
             [&auth](http::RequestContext& context) { return post_refresh(auth, context); });
  router.add(http::Verb::post, "/auth/logout",
             [&auth](http::RequestContext& context) { return post_logout(auth, context); });
  router.add(http::Verb::get, "/auth/me", [&auth](http::RequestContext& context) { return get_me(auth, context); });
}

}  // namespace cubeauth::api
