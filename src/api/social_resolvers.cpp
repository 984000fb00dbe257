#include "api/social_resolvers.hpp"

#include "api/auth_views.hpp"
#include "auth/auth_service.hpp"
#include "graphql/execution/resolver.hpp"
#include "graphql/execution/subscribe.hpp"
#include "graphql/schema/schema.hpp"
#include "social/event_hub.hpp"
#include "social/relationship_service.hpp"
#include "social/relationship_views.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/json/array.hpp>

#include <chrono>
#include <utility>

namespace cubeauth::api {
namespace {

using graphql::FieldOutcome;
using graphql::ResolveParams;
using graphql::ResolverResult;
using social::RelationshipEntry;
using social::RelationshipService;

boost::json::value entry_json(const RelationshipEntry& entry, const auth::TokenClaims& caller) {
  return social::relationship_json(entry.relationship, caller.user_id, entry.other);
}

/// The entry as the caller sees it, or the error (a rate limit also sets Retry-After).
boost::asio::awaitable<FieldOutcome> answer(Result<RelationshipEntry, auth::AuthError> outcome,
                                            const auth::TokenClaims& caller, graphql::RequestContext& context) {
  if (!outcome) {
    note_retry_after(context, outcome.error());
    co_return unexpected(to_field_error(outcome.error()));
  }
  co_return entry_json(*outcome, caller);
}

boost::asio::awaitable<FieldOutcome> resolve_send(RelationshipService& friends, graphql::RequestContext& context,
                                                  auth::TokenClaims caller, social::RequestTarget target,
                                                  std::optional<std::string> session) {
  auto sent = co_await friends.send_request(caller, std::move(target), std::move(session));
  auto shown = co_await answer(std::move(sent), caller, context);
  co_return shown;
}

boost::asio::awaitable<FieldOutcome> resolve_accept(RelationshipService& friends, graphql::RequestContext& context,
                                                    auth::TokenClaims caller, std::string other_id,
                                                    std::optional<std::string> session) {
  auto accepted = co_await friends.accept(caller, std::move(other_id), std::move(session));
  auto shown = co_await answer(std::move(accepted), caller, context);
  co_return shown;
}

boost::asio::awaitable<FieldOutcome> resolve_block(RelationshipService& friends, graphql::RequestContext& context,
                                                   auth::TokenClaims caller, std::string other_id) {
  auto blocked = co_await friends.block(caller, std::move(other_id));
  auto shown = co_await answer(std::move(blocked), caller, context);
  co_return shown;
}

/// decline, cancel, removeFriend, unblockUser: a MessageResponse.
using EndOperation = boost::asio::awaitable<Result<void, auth::AuthError>> (RelationshipService::*)(
    const auth::TokenClaims&, std::string);

boost::asio::awaitable<FieldOutcome> resolve_end(RelationshipService& friends, graphql::RequestContext& context,
                                                 EndOperation operation, auth::TokenClaims caller,
                                                 std::string other_id, std::string_view message) {
  auto ended = co_await (friends.*operation)(caller, std::move(other_id));
  if (!ended) {
    note_retry_after(context, ended.error());
    co_return unexpected(to_field_error(ended.error()));
  }
  co_return boost::json::value(message_json(message));
}

boost::asio::awaitable<FieldOutcome> resolve_list(RelationshipService& friends, auth::TokenClaims caller,
                                                  store::RelationshipView view, std::optional<std::string> after,
                                                  int first) {
  auto page = co_await friends.list(caller, view, std::move(after), first);
  if (!page) {
    co_return unexpected(to_field_error(page.error()));
  }
  boost::json::array items;
  items.reserve(page->entries.size());
  for (const auto& entry : page->entries) {
    items.emplace_back(entry_json(entry, caller));
  }
  boost::json::object result{{"items", std::move(items)}};
  result["nextCursor"] = page->next_cursor ? boost::json::value(*page->next_cursor) : nullptr;
  co_return boost::json::value(std::move(result));
}

graphql::Resolver list_resolver(auth::AuthService& auth, RelationshipService& friends, store::RelationshipView view) {
  return [&auth, &friends, view](const ResolveParams& params) {
    return signed_in(params, auth, [&](auth::TokenClaims caller) -> ResolverResult {
      const auto& first = params.arg("first");
      // Int is 32-bit in GraphQL; anything outside 1..100 is refused by the service.
      const int count = first.is_int64() ? static_cast<int>(first.as_int64()) : 20;
      return resolve_list(friends, std::move(caller), view, optional_string_arg(params, "after"), count);
    });
  };
}

graphql::Resolver end_resolver(auth::AuthService& auth, RelationshipService& friends, EndOperation operation,
                               std::string_view message) {
  return [&auth, &friends, operation, message](const ResolveParams& params) {
    return signed_in(params, auth, [&](auth::TokenClaims caller) -> ResolverResult {
      return resolve_end(friends, params.context, operation, std::move(caller), string_arg(params, "userId"),
                         message);
    });
  };
}

/// A subscriber's EventHub queue as the engine's source event stream.
class HubStream final : public graphql::EventStream {
 public:
  explicit HubStream(std::shared_ptr<social::EventQueue> queue) : queue_(std::move(queue)) {}
  ~HubStream() override { queue_->close(); }

  boost::asio::awaitable<std::optional<boost::json::value>> next() override {
    auto event = co_await queue_->next();
    co_return event;
  }
  void close() override { queue_->close(); }

 private:
  std::shared_ptr<social::EventQueue> queue_;
};

/// relationshipChanged: the signed-in (and still enabled) user's events from now on.
boost::asio::awaitable<graphql::SubscribeOutcome> subscribe_relationships(auth::AuthService& auth,
                                                                         social::EventHub& events,
                                                                         Result<auth::TokenClaims, auth::AuthError> caller) {
  if (!caller) {
    co_return unexpected(to_field_error(caller.error()));
  }
  auto user = co_await auth.active_user(*caller);
  if (!user) {
    co_return unexpected(to_field_error(user.error()));
  }
  auto executor = co_await boost::asio::this_coro::executor;
  auto queue = events.subscribe(user->id, executor);
  if (caller->expires_at != 0) {
    // A live subscription must not outlast its access token.
    queue->set_deadline(std::chrono::system_clock::time_point(std::chrono::seconds(caller->expires_at)));
  }
  co_return std::make_shared<HubStream>(std::move(queue));
}

}  // namespace

Result<void, std::string> bind_social_resolvers(graphql::Schema& schema, auth::AuthService& auth,
                                                social::RelationshipService& friends, social::EventHub& events) {
  const std::pair<std::string_view, graphql::Resolver> bindings[] = {
      {"Query.friends", list_resolver(auth, friends, store::RelationshipView::kFriends)},
      {"Query.incomingFriendRequests", list_resolver(auth, friends, store::RelationshipView::kIncoming)},
      {"Query.outgoingFriendRequests", list_resolver(auth, friends, store::RelationshipView::kOutgoing)},
      {"Query.blockedUsers", list_resolver(auth, friends, store::RelationshipView::kBlocked)},
      {"Mutation.sendFriendRequest",
       [&auth, &friends](const ResolveParams& params) {
         return signed_in(params, auth, [&](auth::TokenClaims caller) -> ResolverResult {
           social::RequestTarget target{optional_string_arg(params, "userId"), optional_string_arg(params, "email")};
           return resolve_send(friends, params.context, std::move(caller), std::move(target),
                               optional_string_arg(params, "connectySession"));
         });
       }},
      {"Mutation.acceptFriendRequest",
       [&auth, &friends](const ResolveParams& params) {
         return signed_in(params, auth, [&](auth::TokenClaims caller) -> ResolverResult {
           return resolve_accept(friends, params.context, std::move(caller), string_arg(params, "userId"),
                                 optional_string_arg(params, "connectySession"));
         });
       }},
      {"Mutation.blockUser",
       [&auth, &friends](const ResolveParams& params) {
         return signed_in(params, auth, [&](auth::TokenClaims caller) -> ResolverResult {
           return resolve_block(friends, params.context, std::move(caller), string_arg(params, "userId"));
         });
       }},
      {"Mutation.declineFriendRequest",
       end_resolver(auth, friends, &RelationshipService::decline, "Friend request declined")},
      {"Mutation.cancelFriendRequest",
       end_resolver(auth, friends, &RelationshipService::cancel, "Friend request cancelled")},
      {"Mutation.removeFriend", end_resolver(auth, friends, &RelationshipService::remove_friend, "Friend removed")},
      {"Mutation.unblockUser", end_resolver(auth, friends, &RelationshipService::unblock, "User unblocked")},
  };
  for (const auto& [coordinate, resolver] : bindings) {
    if (auto bound = schema.bind(coordinate, resolver); !bound) {
      return bound;
    }
  }
  // Each event is the RelationshipEvent itself, or the end of the subscription: the
  // access token's life is over, or the user's access was withdrawn (disabled, deleted,
  // every session revoked: social::EventHub::revoke).
  if (auto bound = schema.bind("Subscription.relationshipChanged",
                               [](const ResolveParams& params) -> ResolverResult {
                                 if (social::EventQueue::is_expired_event(params.parent)) {
                                   auto expired = auth::auth_error(auth::AuthErrorKind::kInvalidToken);
                                   expired.message = "The access token has expired: subscribe again with a new one.";
                                   return to_field_error(expired);
                                 }
                                 if (social::EventQueue::is_revoked_event(params.parent)) {
                                   auto revoked = auth::auth_error(auth::AuthErrorKind::kInvalidToken);
                                   revoked.message =
                                       "Your sessions were revoked or your account was disabled or deleted: "
                                       "sign in again.";
                                   return to_field_error(revoked);
                                 }
                                 return params.parent;
                               });
      !bound) {
    return bound;
  }
  return schema.bind_subscriber("Subscription.relationshipChanged",
                                [&auth, &events](const ResolveParams& params) {
                                  return subscribe_relationships(auth, events, caller_of(params, auth));
                                });
}

}  // namespace cubeauth::api
