#include "api/verify_route.hpp"

#include "auth/auth_service.hpp"
#include "common/logging.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse_query.hpp>

namespace cubeauth::api {
namespace {

/// The token of a POST: the query string first, then a form or JSON body.
std::optional<std::string> token_from_body(const http::Request& request) {
  const std::string_view content_type = request[http::beast_http::field::content_type];
  const std::string& body = request.body();
  if (content_type.starts_with("application/json")) {
    boost::system::error_code ec;
    const boost::json::value json = boost::json::parse(body, ec);
    if (!ec && json.is_object()) {
      if (const auto* token = json.as_object().if_contains("token"); token != nullptr && token->is_string()) {
        return std::string(token->as_string());
      }
    }
    return std::nullopt;
  }
  if (content_type.starts_with("application/x-www-form-urlencoded")) {
    if (auto params = boost::urls::parse_query(body)) {  // body is a NUL-terminated std::string
      boost::urls::encoding_opts form;
      form.space_as_plus = true;
      for (const auto& param : *params) {
        if (param.key.decode(form) == "token") {
          return param.value.decode(form);
        }
      }
    }
  }
  return std::nullopt;
}

http::Response verified_response(const auth::TokenClaims& claims) {
  boost::json::object user;
  user["id"] = claims.user_id;
  user["email"] = claims.email;
  boost::json::object body;
  body["user"] = std::move(user);
  // "uid" lets a Custom Identity Provider mapping read {"uid": "#{uid}"} as well as #{user.id}.
  body["uid"] = claims.user_id;
  return http::json_response(http::Status::ok, body);
}

/// One log line per refused token, with the reason and never the token itself.
http::Response refused_response(const auth::AuthError& error) {
  if (error.kind == auth::AuthErrorKind::kStoreUnavailable) {
    log::warn("verify: token not checked: the user store is unavailable");
    return http::error_response(http::Status::service_unavailable, error.message);
  }
  log::info("verify: token refused: {}", error.reason.empty() ? "invalid token" : error.reason);
  return http::error_response(http::Status::unauthorized, "The token is invalid or expired.");
}

boost::asio::awaitable<http::Response> verify(auth::AuthService& auth, std::optional<std::string> token) {
  if (!token || token->empty()) {
    log::info("verify: token refused: none given");
    co_return http::error_response(http::Status::unauthorized, "A token is required (query parameter 'token').");
  }
  if (!auth.options().strict_tokens) {
    // Stateless: no store read, no coroutine suspension on the hot path.
    auto claims = auth.verify_token(*token);
    co_return claims ? verified_response(*claims) : refused_response(claims.error());
  }
  auto claims = co_await auth.check_token(std::move(*token));
  co_return claims ? verified_response(*claims) : refused_response(claims.error());
}

}  // namespace

void add_verify_routes(http::Router& router, auth::AuthService& auth) {
  constexpr std::string_view kPath = "/auth/verify-connectycube";
  router.add(http::Verb::get, std::string(kPath),
             [&auth](http::RequestContext& context) -> boost::asio::awaitable<http::Response> {
               std::optional<std::string> token = context.query_param("token");
               http::Response response = co_await verify(auth, std::move(token));
               co_return response;
             });
  router.add(http::Verb::post, std::string(kPath),
             [&auth](http::RequestContext& context) -> boost::asio::awaitable<http::Response> {
               std::optional<std::string> token = context.query_param("token");
               if (!token) {
                 token = token_from_body(context.request());
               }
               http::Response response = co_await verify(auth, std::move(token));
               co_return response;
             });
}

}  // namespace cubeauth::api
