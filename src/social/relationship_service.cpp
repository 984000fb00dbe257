#include "social/relationship_service.hpp"

#include <algorithm>
#include <utility>

#include "auth/auth_service.hpp"
#include "auth/detail/error_mapping.hpp"
#include "common/logging.hpp"
#include "connectycube/connectycube.hpp"
#include "social/event_hub.hpp"
#include "store/object_id.hpp"
#include "store/user_store.hpp"

namespace cubeauth::social {
namespace {

using auth::AuthError;
using auth::AuthErrorKind;
using auth::detail::from_store;
using store::RelationshipStatus;
using store::StoreError;

/// Compare-and-set attempts before giving up: each lost attempt means another request
/// changed the pair in between, so more than a few means something is wrong.
constexpr int kAttempts = 8;

AuthError invalid_input(std::string field, std::string message) {
  return AuthError{AuthErrorKind::kInvalidInput, std::move(message), std::move(field), {}};
}

/// The same answer for unknown, disabled and blocking users.
AuthError user_not_found() {
  AuthError error = auth::auth_error(AuthErrorKind::kUserNotFound);
  error.message = "User not found";
  return error;
}

AuthError no_relationship() { return auth::auth_error(AuthErrorKind::kRelationshipNotFound); }

AuthError too_busy(std::string_view operation) {
  log::error("friends: {} kept losing compare-and-set races; gave up after {} attempts", operation, kAttempts);
  return auth::auth_error(AuthErrorKind::kInternal);
}

/// A lost race (the pair changed since it was read): read it again and retry.
bool lost_race(StoreError error) { return error == StoreError::kConflict || error == StoreError::kNotFound; }

bool contains(const std::vector<std::int64_t>& ids, std::int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

RelationshipService::RelationshipService(store::UserStore& users, auth::AuthService& auth,
                                         connectycube::ConnectyCube* connectycube, EventHub& events, Clock clock)
    : users_(users), auth_(auth), connectycube_(connectycube), events_(events), clock_(std::move(clock)) {}

boost::asio::awaitable<Result<RelationshipService::Pair, AuthError>> RelationshipService::open_pair(
    const auth::TokenClaims& caller, RequestTarget other) {
  if (other.user_id.has_value() == other.email.has_value()) {
    co_return unexpected(invalid_input("userId", "Give exactly one of userId and email."));
  }
  const std::string field = other.user_id ? "userId" : "email";
  auto me = co_await auth_.active_user(caller);
  if (!me) {
    co_return unexpected(std::move(me).error());
  }
  Result<std::optional<store::User>, StoreError> found{std::nullopt};
  if (other.user_id) {
    if (!store::is_object_id(*other.user_id)) {
      co_return unexpected(invalid_input(field, "userId is not a user id."));
    }
    std::string id = std::move(*other.user_id);
    found = co_await users_.find_by_id(std::move(id));
  } else {
    std::string email = std::move(*other.email);
    found = co_await users_.find_by_email(std::move(email));
  }
  if (!found) {
    co_return unexpected(from_store(found.error()));
  }
  if (!found->has_value()) {
    co_return unexpected(user_not_found());
  }
  if ((*found)->id == me->id) {
    co_return unexpected(invalid_input(field, "That is your own account."));
  }
  std::string my_id = me->id;
  std::string other_id = (*found)->id;
  auto relationship = co_await users_.find_relationship(std::move(my_id), std::move(other_id));
  if (!relationship) {
    co_return unexpected(from_store(relationship.error()));
  }
  co_return Pair{std::move(*me), std::move(**found), std::move(*relationship)};
}

void RelationshipService::notify(EventKind kind, const store::User& recipient, const store::User& other,
                                 const store::Relationship* relationship) {
  boost::json::object shown;
  if (relationship != nullptr) {
    shown = relationship_json(*relationship, recipient.id, other);
  }
  events_.publish(recipient.id, event_json(kind, other, relationship != nullptr ? &shown : nullptr, clock_()));
}

void RelationshipService::limit_actions(auth::RateLimit limit) {
  actions_ = limit.enabled() ? std::make_unique<auth::RateLimiter>(limit) : nullptr;
}

std::optional<AuthError> RelationshipService::throttle(const auth::TokenClaims& caller) {
  if (actions_ == nullptr) {
    return std::nullopt;
  }
  const auto wait = actions_->take(caller.user_id, auth::RateLimiter::Clock::now());
  if (!wait) {
    return std::nullopt;
  }
  log::warn("rate limit: user {} has no friend actions left for {} s", caller.user_id, wait->count());
  AuthError limited = auth::auth_error(AuthErrorKind::kRateLimited);
  limited.retry_after = *wait;
  return limited;
}

boost::asio::awaitable<Result<RelationshipEntry, AuthError>> RelationshipService::send_request(
    const auth::TokenClaims& caller, RequestTarget target, std::optional<std::string> connectycube_session) {
  if (auto limited = throttle(caller)) {
    co_return unexpected(std::move(*limited));
  }
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    RequestTarget whom = target;
    auto pair = co_await open_pair(caller, std::move(whom));
    if (!pair) {
      co_return unexpected(std::move(pair).error());
    }
    const store::User& me = pair->caller;
    const store::User& other = pair->other;
    if (other.disabled) {
      co_return unexpected(user_not_found());
    }
    if (!pair->relationship) {
      store::NewRelationship fresh{me.id, other.id, RelationshipStatus::kPending, me.id};
      auto created = co_await users_.create_relationship(std::move(fresh));
      if (!created) {
        if (created.error() == StoreError::kConflict) {
          continue;  // the other side (or another device) was first: read what they made
        }
        if (created.error() == StoreError::kNotFound) {
          co_return unexpected(user_not_found());
        }
        co_return unexpected(from_store(created.error()));
      }
      log::info("friends: user {} asked user {}", me.id, other.id);
      notify(EventKind::kRequestSent, me, other, &*created);
      notify(EventKind::kRequestReceived, other, me, &*created);
      co_return RelationshipEntry{std::move(*created), other};
    }
    const store::Relationship& existing = *pair->relationship;
    switch (existing.status) {
      case RelationshipStatus::kFriends:
        co_return RelationshipEntry{existing, other};
      case RelationshipStatus::kBlocked:
        if (existing.blocked_by(me.id)) {
          co_return unexpected(invalid_input(target.user_id ? "userId" : "email",
                                             "You blocked this user: unblock them first."));
        }
        co_return unexpected(user_not_found());
      case RelationshipStatus::kPending:
        break;
    }
    if (existing.acted_by == me.id) {
      co_return RelationshipEntry{existing, other};  // asked already
    }
    // They asked first: asking back is accepting.
    std::optional<std::string> session = connectycube_session;
    auto accepted = co_await befriend(std::move(*pair), std::move(session));
    if (accepted && !accepted->has_value()) {
      continue;
    }
    if (!accepted) {
      co_return unexpected(std::move(accepted).error());
    }
    co_return std::move(**accepted);
  }
  co_return unexpected(too_busy("sendFriendRequest"));
}

boost::asio::awaitable<Result<RelationshipEntry, AuthError>> RelationshipService::accept(
    const auth::TokenClaims& caller, std::string other_id, std::optional<std::string> connectycube_session) {
  if (auto limited = throttle(caller)) {
    co_return unexpected(std::move(*limited));
  }
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    RequestTarget whom{other_id, std::nullopt};
    auto pair = co_await open_pair(caller, std::move(whom));
    if (!pair) {
      co_return unexpected(std::move(pair).error());
    }
    if (!pair->relationship) {
      co_return unexpected(no_relationship());
    }
    const store::Relationship& existing = *pair->relationship;
    if (existing.status == RelationshipStatus::kFriends) {
      // Accepting twice is harmless, and a good moment to make a missing dialog.
      std::optional<std::string> session = connectycube_session;
      store::Relationship current = existing;
      store::Relationship shown = co_await ensure_dialog(std::move(current), pair->caller, pair->other,
                                                          std::move(session));
      co_return RelationshipEntry{std::move(shown), std::move(pair->other)};
    }
    if (existing.status != RelationshipStatus::kPending || existing.acted_by != pair->other.id) {
      co_return unexpected(no_relationship());
    }
    if (pair->other.disabled) {
      co_return unexpected(user_not_found());
    }
    std::optional<std::string> session = connectycube_session;
    auto accepted = co_await befriend(std::move(*pair), std::move(session));
    if (accepted && !accepted->has_value()) {
      continue;
    }
    if (!accepted) {
      co_return unexpected(std::move(accepted).error());
    }
    co_return std::move(**accepted);
  }
  co_return unexpected(too_busy("acceptFriendRequest"));
}

boost::asio::awaitable<Result<std::optional<RelationshipEntry>, AuthError>> RelationshipService::befriend(
    Pair pair, std::optional<std::string> connectycube_session) {
  const store::Relationship& pending = *pair.relationship;
  store::RelationshipChange change{RelationshipStatus::kFriends, pair.caller.id};
  std::string id = pending.id;
  auto updated = co_await users_.update_relationship(std::move(id), pending.version, std::move(change));
  if (!updated) {
    if (lost_race(updated.error())) {
      co_return std::optional<RelationshipEntry>{};
    }
    co_return unexpected(from_store(updated.error()));
  }
  log::info("friends: users {} and {} are friends", pair.caller.id, pair.other.id);
  // Told before ConnectyCube is asked, so a slow dialog cannot reorder this event after
  // a later change of the pair; the dialog gets an event of its own.
  notify(EventKind::kAccepted, pair.caller, pair.other, &*updated);
  notify(EventKind::kAccepted, pair.other, pair.caller, &*updated);
  store::Relationship friends = co_await ensure_dialog(std::move(*updated), pair.caller, pair.other,
                                                       std::move(connectycube_session));
  co_return RelationshipEntry{std::move(friends), std::move(pair.other)};
}

boost::asio::awaitable<store::Relationship> RelationshipService::ensure_dialog(
    store::Relationship relationship, const store::User& actor, const store::User& other,
    std::optional<std::string> session) {
  if (relationship.dialog_id || connectycube_ == nullptr || !actor.connectycube_id || !other.connectycube_id) {
    co_return relationship;
  }
  std::string token;
  if (session && !session->empty()) {
    token = std::move(*session);
  } else {
    auto opened = co_await auth_.connectycube_session_as(actor);
    if (!opened) {
      log::info("friends: the dialog of relationship {} waits: {}", relationship.id, opened.error().message);
      co_return relationship;
    }
    token = std::move(opened->token);
  }
  const std::int64_t other_connectycube_id = *other.connectycube_id;
  auto dialog = co_await connectycube_->create_private_dialog(std::move(token), other_connectycube_id);
  if (!dialog) {
    log::warn("friends: the dialog of relationship {} was not created, will retry: {}", relationship.id,
              dialog.error().message);
    co_return relationship;
  }
  // A session passed by a client must be the actor's own, or the dialog is someone else's.
  if (!contains(dialog->occupants_ids, *actor.connectycube_id) ||
      !contains(dialog->occupants_ids, other_connectycube_id)) {
    log::warn("friends: dialog {} is not between users {} and {} (a connectySession of another user?); not recorded",
              dialog->id, actor.id, other.id);
    co_return relationship;
  }
  std::string id = relationship.id;
  std::string dialog_id = dialog->id;
  auto recorded = co_await users_.set_relationship_dialog(std::move(id), std::move(dialog_id));
  if (!recorded) {
    // kConflict / kNotFound: the friendship ended meanwhile, and its events said so.
    log::warn("friends: dialog {} of relationship {} not recorded: {}", dialog->id, relationship.id,
              store::to_string(recorded.error()));
    co_return relationship;
  }
  notify(EventKind::kDialogCreated, actor, other, &*recorded);
  notify(EventKind::kDialogCreated, other, actor, &*recorded);
  co_return std::move(*recorded);
}

boost::asio::awaitable<Result<void, AuthError>> RelationshipService::end_relationship(
    const auth::TokenClaims& caller, std::string other_id, Matcher matches, EventKind kind,
    EventKind other_kind) {
  if (auto limited = throttle(caller)) {
    co_return unexpected(std::move(*limited));
  }
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    RequestTarget whom{other_id, std::nullopt};
    auto pair = co_await open_pair(caller, std::move(whom));
    if (!pair) {
      co_return unexpected(std::move(pair).error());
    }
    if (!pair->relationship || !matches(*pair->relationship, pair->caller.id)) {
      co_return unexpected(no_relationship());
    }
    std::string id = pair->relationship->id;
    auto deleted = co_await users_.delete_relationship(std::move(id), pair->relationship->version);
    if (!deleted) {
      if (lost_race(deleted.error())) {
        continue;
      }
      co_return unexpected(from_store(deleted.error()));
    }
    log::info("friends: user {} ended relationship {} ({})", pair->caller.id, pair->relationship->id, to_string(kind));
    notify(kind, pair->caller, pair->other, nullptr);
    notify(other_kind, pair->other, pair->caller, nullptr);
    co_return Result<void, AuthError>{};
  }
  co_return unexpected(too_busy(to_string(kind)));
}

boost::asio::awaitable<Result<void, AuthError>> RelationshipService::decline(const auth::TokenClaims& caller,
                                                                            std::string other_id) {
  Matcher incoming = [](const store::Relationship& r, const std::string& me) {
    return r.status == RelationshipStatus::kPending && r.acted_by != me;
  };
  auto done = co_await end_relationship(caller, std::move(other_id), std::move(incoming), EventKind::kDeclined,
                                        EventKind::kDeclined);
  co_return done;
}

boost::asio::awaitable<Result<void, AuthError>> RelationshipService::cancel(const auth::TokenClaims& caller,
                                                                           std::string other_id) {
  Matcher outgoing = [](const store::Relationship& r, const std::string& me) {
    return r.status == RelationshipStatus::kPending && r.acted_by == me;
  };
  auto done = co_await end_relationship(caller, std::move(other_id), std::move(outgoing), EventKind::kCancelled,
                                        EventKind::kCancelled);
  co_return done;
}

boost::asio::awaitable<Result<void, AuthError>> RelationshipService::remove_friend(const auth::TokenClaims& caller,
                                                                                  std::string other_id) {
  Matcher friends = [](const store::Relationship& r, const std::string&) {
    return r.status == RelationshipStatus::kFriends;
  };
  auto done = co_await end_relationship(caller, std::move(other_id), std::move(friends), EventKind::kRemoved,
                                        EventKind::kRemoved);
  co_return done;
}

boost::asio::awaitable<Result<void, AuthError>> RelationshipService::unblock(const auth::TokenClaims& caller,
                                                                            std::string other_id) {
  if (auto limited = throttle(caller)) {
    co_return unexpected(std::move(*limited));
  }
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    RequestTarget whom{other_id, std::nullopt};
    auto pair = co_await open_pair(caller, std::move(whom));
    if (!pair) {
      co_return unexpected(std::move(pair).error());
    }
    const store::User& me = pair->caller;
    const store::User& other = pair->other;
    if (!pair->relationship || pair->relationship->status != RelationshipStatus::kBlocked ||
        !pair->relationship->blocked_by(me.id)) {
      co_return unexpected(no_relationship());
    }
    const store::Relationship& existing = *pair->relationship;
    std::string id = existing.id;
    Result<void, StoreError> done;
    if (existing.blocked_by(other.id)) {
      // Their block stands: only the caller's own goes.
      store::RelationshipChange change{RelationshipStatus::kBlocked, other.id, existing.user_low == other.id,
                                       existing.user_high == other.id};
      auto updated = co_await users_.update_relationship(std::move(id), existing.version, std::move(change));
      if (!updated) {
        done = unexpected(updated.error());
      }
    } else {
      auto deleted = co_await users_.delete_relationship(std::move(id), existing.version);
      done = deleted;
    }
    if (!done) {
      if (lost_race(done.error())) {
        continue;
      }
      co_return unexpected(from_store(done.error()));
    }
    log::info("friends: user {} unblocked user {}", me.id, other.id);
    notify(EventKind::kUnblocked, me, other, nullptr);  // they never learnt of the block
    co_return Result<void, AuthError>{};
  }
  co_return unexpected(too_busy("unblockUser"));
}

boost::asio::awaitable<Result<RelationshipEntry, AuthError>> RelationshipService::block(
    const auth::TokenClaims& caller, std::string other_id) {
  if (auto limited = throttle(caller)) {
    co_return unexpected(std::move(*limited));
  }
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    RequestTarget whom{other_id, std::nullopt};
    auto pair = co_await open_pair(caller, std::move(whom));
    if (!pair) {
      co_return unexpected(std::move(pair).error());
    }
    const store::User& me = pair->caller;
    const store::User& other = pair->other;
    if (!pair->relationship) {
      store::NewRelationship fresh{me.id, other.id, RelationshipStatus::kBlocked, me.id};
      auto created = co_await users_.create_relationship(std::move(fresh));
      if (!created) {
        if (lost_race(created.error())) {
          continue;
        }
        co_return unexpected(from_store(created.error()));
      }
      log::info("friends: user {} blocked user {}", me.id, other.id);
      notify(EventKind::kBlocked, me, other, &*created);
      co_return RelationshipEntry{std::move(*created), other};
    }
    const store::Relationship& existing = *pair->relationship;
    const bool was_blocked = existing.status == RelationshipStatus::kBlocked;
    if (was_blocked && existing.blocked_by(me.id)) {
      co_return RelationshipEntry{existing, other};  // blocked already
    }
    // The caller's block, added to theirs when they blocked the caller first (each
    // side's block stands on its own); any request or friendship ends.
    const bool by_low = existing.user_low == me.id || (was_blocked && existing.blocked_by_low);
    const bool by_high = existing.user_high == me.id || (was_blocked && existing.blocked_by_high);
    store::RelationshipChange change{RelationshipStatus::kBlocked, me.id, by_low, by_high};
    std::string id = existing.id;
    auto updated = co_await users_.update_relationship(std::move(id), existing.version, std::move(change));
    if (!updated) {
      if (lost_race(updated.error())) {
        continue;
      }
      co_return unexpected(from_store(updated.error()));
    }
    log::info("friends: user {} blocked user {}", me.id, other.id);
    notify(EventKind::kBlocked, me, other, &*updated);
    if (was_blocked) {
      // They blocked the caller before: nothing between them changed from their side.
      co_return RelationshipEntry{std::move(*updated), other};
    }
    // They see the request or friendship go as it would without a block: their request
    // declined, the blocker's request withdrawn, the friendship removed.
    EventKind seen = EventKind::kRemoved;
    if (existing.status == RelationshipStatus::kPending) {
      seen = existing.acted_by == other.id ? EventKind::kDeclined : EventKind::kCancelled;
    }
    notify(seen, other, me, nullptr);
    co_return RelationshipEntry{std::move(*updated), other};
  }
  co_return unexpected(too_busy("blockUser"));
}

boost::asio::awaitable<Result<RelationshipPage, AuthError>> RelationshipService::list(
    const auth::TokenClaims& caller, store::RelationshipView view, std::optional<std::string> after, int first) {
  if (first < 1 || first > 100) {
    co_return unexpected(invalid_input("first", "first must be between 1 and 100."));
  }
  if (after && !store::is_object_id(*after)) {
    co_return unexpected(invalid_input("after", "after is not a cursor from a previous page."));
  }
  auto me = co_await auth_.active_user(caller);
  if (!me) {
    co_return unexpected(std::move(me).error());
  }
  store::RelationshipQuery query{me->id, view, std::move(after), static_cast<std::size_t>(first)};
  auto page = co_await users_.list_relationships(std::move(query));
  if (!page) {
    co_return unexpected(from_store(page.error()));
  }
  RelationshipPage result;
  result.entries.reserve(page->items.size());
  for (auto& relationship : page->items) {
    std::string other_id = relationship.other(me->id);
    auto other = co_await users_.find_by_id(std::move(other_id));
    if (!other) {
      co_return unexpected(from_store(other.error()));
    }
    if (other->has_value()) {  // else deleted this instant: its relationships go with it
      result.entries.push_back(RelationshipEntry{std::move(relationship), std::move(**other)});
    }
  }
  result.next_cursor = std::move(page->next_after_id);
  co_return result;
}

boost::asio::awaitable<std::size_t> RelationshipService::create_missing_dialogs(std::size_t limit) {
  if (connectycube_ == nullptr || auth_.options().connectycube_signup) {
    co_return 0;
  }
  auto waiting = co_await users_.list_friendships_without_dialog(limit);
  if (!waiting) {
    log::warn("friends: friendships without a dialog could not be listed: {}", store::to_string(waiting.error()));
    co_return 0;
  }
  std::size_t created = 0;
  for (auto& relationship : *waiting) {
    std::string low_id = relationship.user_low;
    std::string high_id = relationship.user_high;
    auto low = co_await users_.find_by_id(std::move(low_id));
    auto high = co_await users_.find_by_id(std::move(high_id));
    if (!low || !high || !low->has_value() || !high->has_value()) {
      continue;
    }
    const store::User& actor = **low;
    const store::User& other = **high;
    std::optional<std::string> no_session;
    store::Relationship done = co_await ensure_dialog(std::move(relationship), actor, other, std::move(no_session));
    if (done.dialog_id) {
      ++created;
      log::info("friends: dialog {} of relationship {} created on retry", *done.dialog_id, done.id);
    }
  }
  co_return created;
}

}  // namespace cubeauth::social
