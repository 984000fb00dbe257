#include "api/account_resolvers.hpp"

#include "api/auth_views.hpp"
#include "auth/auth_service.hpp"
#include "graphql/execution/resolver.hpp"
#include "graphql/schema/schema.hpp"
#include "http/router.hpp"

#include <boost/json/array.hpp>

namespace cubeauth::api {
namespace {

using graphql::FieldOutcome;
using graphql::ResolveParams;
using graphql::ResolverResult;

boost::asio::awaitable<FieldOutcome> resolve_me(auth::AuthService& auth, auth::TokenClaims caller) {
  auto user = co_await auth.current_user(caller);
  if (!user) {
    co_return unexpected(to_field_error(user.error()));
  }
  co_return boost::json::value(user_json(*user));
}

boost::asio::awaitable<FieldOutcome> resolve_users(auth::AuthService& auth, auth::TokenClaims caller,
                                                   store::UserQuery query) {
  auto page = co_await auth.list_users(caller, std::move(query));
  if (!page) {
    co_return unexpected(to_field_error(page.error()));
  }
  boost::json::array users;
  for (const auto& user : page->users) {
    users.emplace_back(user_json(user));
  }
  boost::json::object result{{"users", std::move(users)}};
  result["nextCursor"] = page->next_after_id ? boost::json::value(*page->next_after_id) : nullptr;
  co_return boost::json::value(std::move(result));
}

boost::asio::awaitable<FieldOutcome> resolve_refresh(auth::AuthService& auth, graphql::RequestContext& context,
                                                     std::string refresh_token, std::string client) {
  auto session = co_await auth.refresh(std::move(refresh_token), std::move(client));
  if (!session) {
    note_retry_after(context, session.error());
    co_return unexpected(to_field_error(session.error()));
  }
  co_return boost::json::value(session_json(*session, kRefreshedMessage));
}

boost::asio::awaitable<FieldOutcome> resolve_logout(auth::AuthService& auth, std::string refresh_token) {
  auto done = co_await auth.logout(std::move(refresh_token));
  if (!done) {
    co_return unexpected(to_field_error(done.error()));
  }
  co_return boost::json::value(message_json(kLoggedOutMessage));
}

boost::asio::awaitable<FieldOutcome> resolve_logout_all(auth::AuthService& auth, auth::TokenClaims caller) {
  auto done = co_await auth.logout_all(caller);
  if (!done) {
    co_return unexpected(to_field_error(done.error()));
  }
  co_return boost::json::value(message_json("Logged out of every session"));
}

boost::asio::awaitable<FieldOutcome> resolve_change_password(auth::AuthService& auth, auth::TokenClaims caller,
                                                             std::string old_password, std::string new_password) {
  auto session = co_await auth.change_password(caller, std::move(old_password), std::move(new_password));
  if (!session) {
    co_return unexpected(to_field_error(session.error()));
  }
  co_return boost::json::value(session_json(*session, "Password changed"));
}

boost::asio::awaitable<FieldOutcome> resolve_update_profile(auth::AuthService& auth, auth::TokenClaims caller,
                                                            std::string first_name, std::string last_name,
                                                            std::optional<std::string> connectycube_session) {
  auto updated = co_await auth.update_profile(caller, std::move(first_name), std::move(last_name),
                                              std::move(connectycube_session));
  if (!updated) {
    co_return unexpected(to_field_error(updated.error()));
  }
  co_return boost::json::value(profile_json(*updated));
}

boost::asio::awaitable<FieldOutcome> resolve_delete_account(auth::AuthService& auth, auth::TokenClaims caller,
                                                            std::string password) {
  auto deleted = co_await auth.delete_account(caller, std::move(password));
  if (!deleted) {
    co_return unexpected(to_field_error(deleted.error()));
  }
  co_return boost::json::value(message_json("Account deleted"));
}

boost::asio::awaitable<FieldOutcome> resolve_set_disabled(auth::AuthService& auth, auth::TokenClaims caller,
                                                          std::string user_id, bool disabled) {
  auto user = co_await auth.set_user_disabled(caller, std::move(user_id), disabled);
  if (!user) {
    co_return unexpected(to_field_error(user.error()));
  }
  co_return boost::json::value(user_json(*user));
}

}  // namespace

Result<void, std::string> bind_account_resolvers(graphql::Schema& schema, auth::AuthService& auth) {
  const std::pair<std::string_view, graphql::Resolver> bindings[] = {
      {"Query.me",
       [&auth](const ResolveParams& params) {
         return signed_in(params, auth, [&](auth::TokenClaims caller) { return resolve_me(auth, std::move(caller)); });
       }},
      {"Query.users",
       [&auth](const ResolveParams& params) {
         return signed_in(params, auth, [&](auth::TokenClaims caller) -> ResolverResult {
           store::UserQuery query;
           query.email_contains = string_arg(params, "search");
           if (query.email_contains.size() > 254) {
             return to_field_error({auth::AuthErrorKind::kInvalidInput, "search must be at most 254 bytes", "search"});
           }
           if (const auto& after = params.arg("after"); after.is_string()) {
             query.after_id = std::string(after.as_string());
           }
           const auto& first = params.arg("first");
           const std::int64_t limit = first.is_int64() ? first.as_int64() : 20;
           if (limit < 1 || limit > 100) {
             return to_field_error({auth::AuthErrorKind::kInvalidInput, "first must be between 1 and 100", "first"});
           }
           query.limit = static_cast<std::size_t>(limit);
           return resolve_users(auth, std::move(caller), std::move(query));
         });
       }},
      {"Mutation.refresh",
       [&auth](const ResolveParams& params) -> ResolverResult {
         return resolve_refresh(auth, params.context, string_arg(params, "refreshToken"), client_address(params));
       }},
      {"Mutation.logout",
       [&auth](const ResolveParams& params) -> ResolverResult {
         return resolve_logout(auth, string_arg(params, "refreshToken"));
       }},
      {"Mutation.logoutAll",
       [&auth](const ResolveParams& params) {
         return signed_in(params, auth,
                          [&](auth::TokenClaims caller) { return resolve_logout_all(auth, std::move(caller)); });
       }},
      {"Mutation.changePassword",
       [&auth](const ResolveParams& params) {
         return signed_in(params, auth, [&](auth::TokenClaims caller) {
           return resolve_change_password(auth, std::move(caller), string_arg(params, "oldPassword"),
                                          string_arg(params, "newPassword"));
         });
       }},
      {"Mutation.updateProfile",
       [&auth](const ResolveParams& params) {
         return signed_in(params, auth, [&](auth::TokenClaims caller) {
           return resolve_update_profile(auth, std::move(caller), string_arg(params, "firstName"),
                                         string_arg(params, "lastName"),
                                         optional_string_arg(params, "connectySession"));
         });
       }},
      {"Mutation.deleteAccount",
       [&auth](const ResolveParams& params) {
         return signed_in(params, auth, [&](auth::TokenClaims caller) {
           return resolve_delete_account(auth, std::move(caller), string_arg(params, "password"));
         });
       }},
      {"Mutation.setUserDisabled",
       [&auth](const ResolveParams& params) {
         return signed_in(params, auth, [&](auth::TokenClaims caller) {
           const auto& disabled = params.arg("disabled");
           return resolve_set_disabled(auth, std::move(caller), string_arg(params, "id"),
                                       disabled.is_bool() && disabled.as_bool());
         });
       }},
      {"ProfileResponse.connectyCubeUpdated",
       [](const ResolveParams& params) { return connectycube_field(params, "connectyCubeUpdated"); }},
  };
  for (const auto& [coordinate, resolver] : bindings) {
    if (auto bound = schema.bind(coordinate, resolver); !bound) {
      return bound;
    }
  }
  return {};
}

}  // namespace cubeauth::api
