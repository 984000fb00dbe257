// Friends (issue 10): requests, acceptance, blocking and the lists, over the store's
// one-record-per-pair relationships; each pair of friends gets its private ConnectyCube
// dialog; every change is published to both users' subscribers through the EventHub.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/auth_error.hpp"
#include "auth/jwt.hpp"
#include "auth/rate_limiter.hpp"
#include "common/result.hpp"
#include "social/relationship_views.hpp"
#include "store/relationship.hpp"
#include "store/user.hpp"

namespace cubeauth::store {
class UserStore;
}
namespace cubeauth::connectycube {
class ConnectyCube;
}
namespace cubeauth::auth {
class AuthService;
}

namespace cubeauth::social {

class EventHub;

/// A relationship and the other user in it, as the caller sees it.
struct RelationshipEntry {
  store::Relationship relationship;
  store::User other;
};

struct RelationshipPage {
  std::vector<RelationshipEntry> entries;
  std::optional<std::string> next_cursor;
};

/// Whom a friend request goes to: exactly one of the two.
struct RequestTarget {
  std::optional<std::string> user_id;
  std::optional<std::string> email;
};

class RelationshipService {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  /// `connectycube` is null when ConnectyCube is not configured (no dialogs then).
  /// Every reference must outlive the service.
  RelationshipService(store::UserStore& users, auth::AuthService& auth, connectycube::ConnectyCube* connectycube,
                      EventHub& events, Clock clock = [] { return std::chrono::system_clock::now(); });

  /// Limits each user's friend mutations (requests, answers, removals, blocks and
  /// unblocks, together) to a token bucket; above it they fail with kRateLimited and a
  /// retry_after. Unlimited until called. Call before serving.
  void limit_actions(auth::RateLimit limit);

  /// Asks the target to be friends. Idempotent while pending; when the target had
  /// already asked the caller, this accepts (racing requests from both sides end in one
  /// friendship). A user who blocked the caller, a disabled or unknown one: kUserNotFound
  /// ("User not found", the same answer, so a block is not revealed).
  boost::asio::awaitable<Result<RelationshipEntry, auth::AuthError>> send_request(
      const auth::TokenClaims& caller, RequestTarget target, std::optional<std::string> connectycube_session = {});

  /// Accepts `other_id`'s request, then creates the pair's ConnectyCube dialog acting
  /// as the caller: in `connectycube_session` when given (passwords synchronised), else
  /// in a session cubeauth opens (Custom Identity Provider). A dialog that cannot be
  /// made now is retried later (create_missing_dialogs); the friendship stands.
  boost::asio::awaitable<Result<RelationshipEntry, auth::AuthError>> accept(
      const auth::TokenClaims& caller, std::string other_id, std::optional<std::string> connectycube_session = {});

  /// Refuses `other_id`'s request.
  boost::asio::awaitable<Result<void, auth::AuthError>> decline(const auth::TokenClaims& caller, std::string other_id);
  /// Withdraws the caller's request to `other_id`.
  boost::asio::awaitable<Result<void, auth::AuthError>> cancel(const auth::TokenClaims& caller, std::string other_id);
  /// Ends a friendship (the ConnectyCube dialog stays: it holds the pair's history).
  boost::asio::awaitable<Result<void, auth::AuthError>> remove_friend(const auth::TokenClaims& caller,
                                                                      std::string other_id);
  /// Blocks `other_id`: any request or friendship between them ends and neither sees
  /// the other's requests. The blocked user is told only that the relationship is gone.
  /// Each side's block is its own: when `other_id` blocked the caller first, both
  /// blocks stand (and they hear nothing of the second).
  boost::asio::awaitable<Result<RelationshipEntry, auth::AuthError>> block(const auth::TokenClaims& caller,
                                                                           std::string other_id);
  /// Lifts the caller's own block (kRelationshipNotFound when there is none). A block
  /// `other_id` placed on the caller stays; with none, the pair has no relationship.
  boost::asio::awaitable<Result<void, auth::AuthError>> unblock(const auth::TokenClaims& caller, std::string other_id);

  /// One page of the caller's friends, incoming or outgoing requests, or blocked users.
  /// `first` is 1..100 (kInvalidInput otherwise); `after` is the previous page's cursor.
  boost::asio::awaitable<Result<RelationshipPage, auth::AuthError>> list(const auth::TokenClaims& caller,
                                                                         store::RelationshipView view,
                                                                         std::optional<std::string> after,
                                                                         int first);

  /// Creates the dialogs of friendships that have none yet (ConnectyCube failed when they
  /// were accepted), in sessions cubeauth opens itself (Custom Identity Provider only).
  /// Returns how many were created. Safe to run from several processes at once: the
  /// service returns one dialog per pair, and the store keeps the first id recorded.
  boost::asio::awaitable<std::size_t> create_missing_dialogs(std::size_t limit);

 private:
  /// The caller (signed in, enabled), the other user (existing, enabled) and their
  /// relationship as stored now.
  struct Pair {
    store::User caller;
    store::User other;
    std::optional<store::Relationship> relationship;
  };
  boost::asio::awaitable<Result<Pair, auth::AuthError>> open_pair(const auth::TokenClaims& caller,
                                                                  RequestTarget other);
  /// pending -> friends (compare-and-set), then the dialog and the events.
  /// nullopt: the pair changed meanwhile (read it again).
  boost::asio::awaitable<Result<std::optional<RelationshipEntry>, auth::AuthError>> befriend(
      Pair pair, std::optional<std::string> connectycube_session);
  /// Deletes the pair's relationship when `matches` it (else kRelationshipNotFound), and
  /// tells the caller `kind` and the other user `other_kind`.
  using Matcher = std::function<bool(const store::Relationship&, const std::string& caller_id)>;
  boost::asio::awaitable<Result<void, auth::AuthError>> end_relationship(const auth::TokenClaims& caller,
                                                                         std::string other_id, Matcher matches,
                                                                         EventKind kind,
                                                                         EventKind other_kind);
  /// The pair's dialog: created acting as `actor` (in `session`, or one opened with the
  /// Custom Identity Provider), recorded once; the relationship as stored after that.
  boost::asio::awaitable<store::Relationship> ensure_dialog(store::Relationship relationship,
                                                            const store::User& actor, const store::User& other,
                                                            std::optional<std::string> session);
  /// Publishes `kind` to `recipient` about `other` (relationship null: none to show).
  void notify(EventKind kind, const store::User& recipient, const store::User& other,
              const store::Relationship* relationship);

  /// kRateLimited when the caller has no friend action left (limit_actions).
  std::optional<auth::AuthError> throttle(const auth::TokenClaims& caller);

  store::UserStore& users_;
  auth::AuthService& auth_;
  connectycube::ConnectyCube* connectycube_;
  EventHub& events_;
  Clock clock_;
  std::unique_ptr<auth::RateLimiter> actions_;  ///< null: unlimited
};

}  // namespace cubeauth::social
