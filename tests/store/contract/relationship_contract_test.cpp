// Relationships (issue 10), run against each store: one record per pair in
// canonical order, the creation race from both sides, compare-and-set on version,
// the first dialog wins, each side's own block, every list view with paging, and the
// cascade on delete_user.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "store/contract/contract_fixture.hpp"

namespace cubeauth::store::testing {
namespace {

using std::chrono::milliseconds;

class RelationshipContract : public UserStoreContract {
 protected:
  Relationship relate(const User& requester, const User& other,
                      RelationshipStatus status = RelationshipStatus::kPending) {
    NewRelationship input{requester.id, other.id, status, requester.id};
    auto created = run_sync(store().create_relationship(input));
    EXPECT_TRUE(created.has_value()) << to_string(created.error());
    return created.has_value() ? *created : Relationship{};
  }

  std::optional<Relationship> find(const std::string& a, const std::string& b) {
    auto found = run_sync(store().find_relationship(a, b));
    EXPECT_TRUE(found.has_value()) << to_string(found.error());
    return found.has_value() ? *found : std::nullopt;
  }

  /// A change to `status` by `actor`; a block is the actor's alone.
  static RelationshipChange change_to(const Relationship& stored, RelationshipStatus status,
                                      const std::string& actor) {
    RelationshipChange change{status, actor};
    if (status == RelationshipStatus::kBlocked) {
      const bool low = lower(actor) == stored.user_low;
      change.blocked_by_low = low;
      change.blocked_by_high = !low;
    }
    return change;
  }

  Relationship update(const Relationship& stored, RelationshipStatus status,
                      const std::string& actor) {
    const RelationshipChange change = change_to(stored, status, actor);
    auto updated = run_sync(store().update_relationship(stored.id, stored.version, change));
    EXPECT_TRUE(updated.has_value()) << to_string(updated.error());
    return updated.has_value() ? *updated : Relationship{};
  }

  RelationshipPage page(const User& user, RelationshipView view,
                        std::optional<std::string> after_id = std::nullopt,
                        std::size_t limit = 20) {
    RelationshipQuery query{user.id, view, std::move(after_id), limit};
    auto listed = run_sync(store().list_relationships(query));
    EXPECT_TRUE(listed.has_value()) << to_string(listed.error());
    return listed.has_value() ? *listed : RelationshipPage{};
  }

  static std::vector<std::string> ids(const RelationshipPage& listed) {
    std::vector<std::string> out;
    for (const auto& relationship : listed.items) {
      out.push_back(relationship.id);
    }
    return out;
  }

  std::vector<Relationship> without_dialog() {
    auto listed = run_sync(store().list_friendships_without_dialog(100000));
    EXPECT_TRUE(listed.has_value()) << to_string(listed.error());
    return listed.has_value() ? *listed : std::vector<Relationship>{};
  }

  static std::string upper(std::string id) {
    std::transform(id.begin(), id.end(), id.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return id;
  }

  static std::string lower(std::string id) {
    std::transform(id.begin(), id.end(), id.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return id;
  }

  /// Waits for the clock to pass the next millisecond, so updated_at can differ.
  static void next_millisecond() {
    const auto start = std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now());
    while (std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now()) <= start) {
      std::this_thread::yield();
    }
  }
};

TEST_P(RelationshipContract, ARequestIsStoredOnceInCanonicalOrderWhateverItsDirection) {
  const User first = create(email("canon-a"));
  const User second = create(email("canon-b"));
  // The later user asks the earlier one: user_a is the larger id.
  const User& high = first.id < second.id ? second : first;
  const User& low = first.id < second.id ? first : second;
  const Relationship created = relate(high, low);
  EXPECT_TRUE(is_object_id(created.id));
  EXPECT_EQ(created.id, canonical_object_id(created.id));
  EXPECT_EQ(created.user_low, low.id);
  EXPECT_EQ(created.user_high, high.id);
  EXPECT_EQ(created.status, RelationshipStatus::kPending);
  EXPECT_EQ(created.acted_by, high.id);
  EXPECT_EQ(created.dialog_id, std::nullopt);
  EXPECT_EQ(created.version, 1);
  EXPECT_EQ(created.created_at, created.updated_at);
  EXPECT_EQ(created.other(low.id), high.id);
  EXPECT_EQ(created.other(high.id), low.id);

  EXPECT_EQ(find(low.id, high.id), created);
  EXPECT_EQ(find(high.id, low.id), created);
  EXPECT_EQ(find(upper(high.id), upper(low.id)), created);
  EXPECT_EQ(find(low.id, new_object_id()), std::nullopt);
  EXPECT_EQ(find("not-an-id", low.id), std::nullopt);
}

TEST_P(RelationshipContract, TimestampsKeepMillisecondsAndReadBackEqual) {
  const User a = create(email("millis-a"));
  const User b = create(email("millis-b"));
  const auto before = std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now());
  const Relationship created = relate(a, b);
  const auto after = std::chrono::system_clock::now();
  EXPECT_GE(created.created_at, before);
  EXPECT_LE(created.created_at, after);
  EXPECT_EQ(created.created_at.time_since_epoch() % milliseconds(1), milliseconds(0));
  next_millisecond();
  const Relationship accepted = update(created, RelationshipStatus::kFriends, b.id);
  EXPECT_GT(accepted.updated_at, created.updated_at);
  EXPECT_EQ(accepted.created_at, created.created_at);
  EXPECT_EQ(accepted.updated_at.time_since_epoch() % milliseconds(1), milliseconds(0));
  EXPECT_EQ(find(a.id, b.id), accepted);
}

TEST_P(RelationshipContract, ASecondCreationOfThePairFromEitherSideIsAConflict) {
  const User a = create(email("dup-a"));
  const User b = create(email("dup-b"));
  const Relationship created = relate(a, b);
  NewRelationship again{a.id, b.id, RelationshipStatus::kPending, a.id};
  auto same_side = run_sync(store().create_relationship(again));
  ASSERT_FALSE(same_side.has_value());
  EXPECT_EQ(same_side.error(), StoreError::kConflict);
  NewRelationship reverse{upper(b.id), a.id, RelationshipStatus::kBlocked, b.id};
  auto other_side = run_sync(store().create_relationship(reverse));
  ASSERT_FALSE(other_side.has_value());
  EXPECT_EQ(other_side.error(), StoreError::kConflict);
  EXPECT_EQ(find(a.id, b.id), created);
}

TEST_P(RelationshipContract, CreationNeedsTwoExistingDistinctUsersOneOfWhomActed) {
  const User a = create(email("needs-a"));
  const User b = create(email("needs-b"));
  const std::string ghost = new_object_id();
  NewRelationship unknown{a.id, ghost, RelationshipStatus::kPending, a.id};
  auto missing = run_sync(store().create_relationship(unknown));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error(), StoreError::kNotFound);

  NewRelationship malformed{"nobody", a.id, RelationshipStatus::kPending, a.id};
  auto no_id = run_sync(store().create_relationship(malformed));
  ASSERT_FALSE(no_id.has_value());
  EXPECT_EQ(no_id.error(), StoreError::kNotFound);

  NewRelationship self{a.id, upper(a.id), RelationshipStatus::kPending, a.id};
  auto alone = run_sync(store().create_relationship(self));
  ASSERT_FALSE(alone.has_value());
  EXPECT_EQ(alone.error(), StoreError::kInternal);

  NewRelationship stranger{a.id, b.id, RelationshipStatus::kPending, ghost};
  auto outsider = run_sync(store().create_relationship(stranger));
  ASSERT_FALSE(outsider.has_value());
  EXPECT_EQ(outsider.error(), StoreError::kInternal);

  EXPECT_EQ(find(a.id, b.id), std::nullopt);
  EXPECT_EQ(find(a.id, ghost), std::nullopt);
}

TEST_P(RelationshipContract, RacingCreationsFromBothSidesEndInOneRelationship) {
  constexpr int kRounds = 8;
  for (int round = 0; round < kRounds; ++round) {
    const User a = create(email("race-a"));
    const User b = create(email("race-b"));
    NewRelationship from_a{a.id, b.id, RelationshipStatus::kPending, a.id};
    NewRelationship from_b{b.id, a.id, RelationshipStatus::kPending, b.id};
    std::vector<Result<Relationship, StoreError>> results(2, unexpected(StoreError::kInternal));
    std::latch start(2);
    std::thread one([&] {
      start.arrive_and_wait();
      results[0] = run_sync(store().create_relationship(from_a));
    });
    std::thread two([&] {
      start.arrive_and_wait();
      results[1] = run_sync(store().create_relationship(from_b));
    });
    one.join();
    two.join();
    const int winners = (results[0].has_value() ? 1 : 0) + (results[1].has_value() ? 1 : 0);
    ASSERT_EQ(winners, 1) << "round " << round;
    const auto& winner = results[0].has_value() ? results[0] : results[1];
    const auto& loser = results[0].has_value() ? results[1] : results[0];
    EXPECT_EQ(loser.error(), StoreError::kConflict) << "round " << round;
    EXPECT_EQ(find(a.id, b.id), *winner) << "round " << round;
    EXPECT_EQ(find(b.id, a.id), *winner) << "round " << round;
  }
}

TEST_P(RelationshipContract, AnUpdateIsACompareAndSetOnTheVersion) {
  const User a = create(email("cas-a"));
  const User b = create(email("cas-b"));
  const Relationship created = relate(a, b);
  const Relationship accepted = update(created, RelationshipStatus::kFriends, upper(b.id));
  EXPECT_EQ(accepted.id, created.id);
  EXPECT_EQ(accepted.version, 2);
  EXPECT_EQ(accepted.status, RelationshipStatus::kFriends);
  EXPECT_EQ(accepted.acted_by, b.id);
  EXPECT_EQ(accepted.user_low, created.user_low);
  EXPECT_EQ(accepted.user_high, created.user_high);
  EXPECT_GE(accepted.updated_at, created.updated_at);
  EXPECT_EQ(find(a.id, b.id), accepted);

  // A second writer that read version 1 loses and changes nothing.
  const RelationshipChange stale = change_to(created, RelationshipStatus::kBlocked, a.id);
  auto lost = run_sync(store().update_relationship(created.id, 1, stale));
  ASSERT_FALSE(lost.has_value());
  EXPECT_EQ(lost.error(), StoreError::kConflict);
  EXPECT_EQ(find(a.id, b.id), accepted);

  const Relationship blocked = update(accepted, RelationshipStatus::kBlocked, a.id);
  EXPECT_EQ(blocked.version, 3);
  EXPECT_EQ(blocked.acted_by, a.id);
}

TEST_P(RelationshipContract, ConcurrentUpdatesOfOneVersionLetExactlyOneWin) {
  constexpr int kThreads = 6;
  const User a = create(email("casrace-a"));
  const User b = create(email("casrace-b"));
  const Relationship created = relate(a, b);
  std::vector<Result<Relationship, StoreError>> results(kThreads,
                                                        unexpected(StoreError::kInternal));
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      const RelationshipChange change = change_to(
          created, i % 2 == 0 ? RelationshipStatus::kFriends : RelationshipStatus::kBlocked, b.id);
      start.arrive_and_wait();
      results[i] = run_sync(store().update_relationship(created.id, 1, change));
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  int wins = 0;
  for (const auto& result : results) {
    if (result.has_value()) {
      ++wins;
      EXPECT_EQ(find(a.id, b.id), *result);
    } else {
      EXPECT_EQ(result.error(), StoreError::kConflict);
    }
  }
  EXPECT_EQ(wins, 1);
  EXPECT_EQ(find(a.id, b.id)->version, 2);
}

TEST_P(RelationshipContract, AnUpdateNamingAnActorOutsideThePairIsRefused) {
  const User a = create(email("actor-a"));
  const User b = create(email("actor-b"));
  const Relationship created = relate(a, b);
  RelationshipChange change{RelationshipStatus::kFriends, new_object_id()};
  auto refused = run_sync(store().update_relationship(created.id, created.version, change));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error(), StoreError::kInternal);
  EXPECT_EQ(find(a.id, b.id), created);
}

TEST_P(RelationshipContract, ADeleteIsACompareAndSetAndAGoneRelationshipIsNotFound) {
  const User a = create(email("del-a"));
  const User b = create(email("del-b"));
  const Relationship created = relate(a, b);
  const Relationship accepted = update(created, RelationshipStatus::kFriends, b.id);

  auto stale = run_sync(store().delete_relationship(created.id, created.version));
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error(), StoreError::kConflict);
  EXPECT_EQ(find(a.id, b.id), accepted);

  auto deleted = run_sync(store().delete_relationship(upper(accepted.id), accepted.version));
  EXPECT_TRUE(deleted.has_value()) << to_string(deleted.error());
  EXPECT_EQ(find(a.id, b.id), std::nullopt);

  auto again = run_sync(store().delete_relationship(accepted.id, accepted.version));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error(), StoreError::kNotFound);
  const RelationshipChange change = change_to(accepted, RelationshipStatus::kBlocked, a.id);
  auto updated = run_sync(store().update_relationship(accepted.id, accepted.version, change));
  ASSERT_FALSE(updated.has_value());
  EXPECT_EQ(updated.error(), StoreError::kNotFound);
  auto dialog = run_sync(store().set_relationship_dialog(accepted.id, "dialog"));
  ASSERT_FALSE(dialog.has_value());
  EXPECT_EQ(dialog.error(), StoreError::kNotFound);
  auto malformed = run_sync(store().update_relationship("not-an-id", 1, change));
  ASSERT_FALSE(malformed.has_value());
  EXPECT_EQ(malformed.error(), StoreError::kNotFound);
  auto malformed_delete = run_sync(store().delete_relationship("not-an-id", 1));
  ASSERT_FALSE(malformed_delete.has_value());
  EXPECT_EQ(malformed_delete.error(), StoreError::kNotFound);

  // The pair may start over.
  const Relationship renewed = relate(b, a);
  EXPECT_NE(renewed.id, created.id);
  EXPECT_EQ(renewed.version, 1);
}

TEST_P(RelationshipContract, TheFirstDialogRecordedWinsAndOnlyBetweenFriends) {
  const User a = create(email("dialog-a"));
  const User b = create(email("dialog-b"));
  const Relationship created = relate(a, b);
  auto pending = run_sync(store().set_relationship_dialog(created.id, "early"));
  ASSERT_FALSE(pending.has_value());
  EXPECT_EQ(pending.error(), StoreError::kConflict);

  const Relationship accepted = update(created, RelationshipStatus::kFriends, b.id);
  auto first = run_sync(store().set_relationship_dialog(accepted.id, "dialog-1"));
  ASSERT_TRUE(first.has_value()) << to_string(first.error());
  EXPECT_EQ(first->dialog_id, "dialog-1");
  EXPECT_EQ(first->version, accepted.version);
  EXPECT_EQ(first->updated_at, accepted.updated_at);
  EXPECT_EQ(first->status, RelationshipStatus::kFriends);

  auto second = run_sync(store().set_relationship_dialog(upper(accepted.id), "dialog-2"));
  ASSERT_TRUE(second.has_value()) << to_string(second.error());
  EXPECT_EQ(second->dialog_id, "dialog-1");
  EXPECT_EQ(find(b.id, a.id), *first);

  // The dialog stays with the record; once not friends, recording is refused.
  const Relationship blocked = update(*first, RelationshipStatus::kBlocked, a.id);
  EXPECT_EQ(blocked.dialog_id, "dialog-1");
  auto refused = run_sync(store().set_relationship_dialog(blocked.id, "dialog-3"));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error(), StoreError::kConflict);
}

TEST_P(RelationshipContract, ConcurrentDialogRecordsAgreeOnOne) {
  constexpr int kThreads = 6;
  const User a = create(email("dialograce-a"));
  const User b = create(email("dialograce-b"));
  const Relationship friends = relate(a, b, RelationshipStatus::kFriends);
  std::vector<Result<Relationship, StoreError>> results(kThreads,
                                                        unexpected(StoreError::kInternal));
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      std::string dialog = "dialog-" + std::to_string(i);
      start.arrive_and_wait();
      results[i] = run_sync(store().set_relationship_dialog(friends.id, dialog));
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  const auto stored = find(a.id, b.id);
  ASSERT_TRUE(stored.has_value());
  ASSERT_TRUE(stored->dialog_id.has_value());
  for (const auto& result : results) {
    ASSERT_TRUE(result.has_value()) << to_string(result.error());
    EXPECT_EQ(result->dialog_id, stored->dialog_id);
  }
}

TEST_P(RelationshipContract, EachUserSeesTheRightSideOfARequestABlockAndAFriendship) {
  const User a = create(email("side-a"));
  const User b = create(email("side-b"));
  const User c = create(email("side-c"));
  const Relationship request = relate(b, a);  // b asks a
  EXPECT_EQ(ids(page(b, RelationshipView::kOutgoing)), std::vector{request.id});
  EXPECT_TRUE(page(b, RelationshipView::kIncoming).items.empty());
  EXPECT_EQ(ids(page(a, RelationshipView::kIncoming)), std::vector{request.id});
  EXPECT_TRUE(page(a, RelationshipView::kOutgoing).items.empty());
  for (const User* user : {&a, &b}) {
    EXPECT_TRUE(page(*user, RelationshipView::kFriends).items.empty());
    EXPECT_TRUE(page(*user, RelationshipView::kBlocked).items.empty());
  }
  EXPECT_EQ(page(a, RelationshipView::kIncoming).items.front(), request);
  EXPECT_EQ(page(a, RelationshipView::kIncoming).next_after_id, std::nullopt);

  // c asks b, and b blocks c: only b lists it, as blocked.
  const Relationship asked = relate(c, b);
  const Relationship blocked = update(asked, RelationshipStatus::kBlocked, b.id);
  EXPECT_EQ(ids(page(b, RelationshipView::kBlocked)), std::vector{blocked.id});
  EXPECT_TRUE(page(c, RelationshipView::kBlocked).items.empty());
  EXPECT_TRUE(page(c, RelationshipView::kOutgoing).items.empty());
  EXPECT_TRUE(page(b, RelationshipView::kIncoming).items.empty());
  EXPECT_EQ(ids(page(b, RelationshipView::kOutgoing)), std::vector{request.id});

  // a accepts: both list the friendship.
  const Relationship accepted = update(request, RelationshipStatus::kFriends, a.id);
  EXPECT_EQ(page(a, RelationshipView::kFriends).items, std::vector{accepted});
  EXPECT_EQ(page(b, RelationshipView::kFriends).items, std::vector{accepted});
  EXPECT_TRUE(page(a, RelationshipView::kIncoming).items.empty());
  EXPECT_TRUE(page(b, RelationshipView::kOutgoing).items.empty());
  EXPECT_TRUE(page(c, RelationshipView::kFriends).items.empty());
}

TEST_P(RelationshipContract, ARelationshipCreatedBlockedIsItsActorsBlockAlone) {
  const User a = create(email("mkblock-a"));
  const User b = create(email("mkblock-b"));
  for (const auto& [blocker, other] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
    const Relationship blocked = relate(*blocker, *other, RelationshipStatus::kBlocked);
    EXPECT_TRUE(blocked.blocked_by(blocker->id));
    EXPECT_FALSE(blocked.blocked_by(other->id));
    EXPECT_EQ(blocked.acted_by, blocker->id);
    EXPECT_EQ(find(a.id, b.id), blocked);
    EXPECT_EQ(ids(page(*blocker, RelationshipView::kBlocked)), std::vector{blocked.id});
    EXPECT_TRUE(page(*other, RelationshipView::kBlocked).items.empty());
    ASSERT_TRUE(run_sync(store().delete_relationship(blocked.id, blocked.version)).has_value());
  }
  // A request or friendship made from scratch carries no block.
  const Relationship request = relate(a, b);
  EXPECT_FALSE(request.blocked_by_low);
  EXPECT_FALSE(request.blocked_by_high);
}

TEST_P(RelationshipContract, EachSideBlocksAndUnblocksOnItsOwn) {
  const User a = create(email("mutual-a"));
  const User b = create(email("mutual-b"));
  const Relationship first = relate(a, b, RelationshipStatus::kBlocked);

  // b blocks a too: both blocks stand, each listed by its own blocker.
  RelationshipChange both{RelationshipStatus::kBlocked, b.id, true, true};
  auto mutual = run_sync(store().update_relationship(first.id, first.version, both));
  ASSERT_TRUE(mutual.has_value()) << to_string(mutual.error());
  EXPECT_TRUE(mutual->blocked_by(a.id));
  EXPECT_TRUE(mutual->blocked_by(b.id));
  EXPECT_EQ(mutual->acted_by, b.id);
  EXPECT_EQ(mutual->version, 2);
  EXPECT_EQ(find(b.id, a.id), *mutual);
  EXPECT_EQ(page(a, RelationshipView::kBlocked).items, std::vector{*mutual});
  EXPECT_EQ(page(b, RelationshipView::kBlocked).items, std::vector{*mutual});

  // a unblocks: b's block stays, and only b lists it.
  const RelationshipChange a_lifts = change_to(*mutual, RelationshipStatus::kBlocked, b.id);
  auto lifted = run_sync(store().update_relationship(mutual->id, mutual->version, a_lifts));
  ASSERT_TRUE(lifted.has_value()) << to_string(lifted.error());
  EXPECT_FALSE(lifted->blocked_by(a.id));
  EXPECT_TRUE(lifted->blocked_by(b.id));
  EXPECT_EQ(lifted->status, RelationshipStatus::kBlocked);
  EXPECT_EQ(find(a.id, b.id), *lifted);
  EXPECT_TRUE(page(a, RelationshipView::kBlocked).items.empty());
  EXPECT_EQ(page(b, RelationshipView::kBlocked).items, std::vector{*lifted});

  // Leaving the block for a friendship clears both flags.
  const Relationship friends = update(*lifted, RelationshipStatus::kFriends, b.id);
  EXPECT_FALSE(friends.blocked_by_low);
  EXPECT_FALSE(friends.blocked_by_high);
  EXPECT_TRUE(page(b, RelationshipView::kBlocked).items.empty());
}

TEST_P(RelationshipContract, AChangeWhoseBlocksDisagreeWithItsStatusIsRefused) {
  const User a = create(email("badblock-a"));
  const User b = create(email("badblock-b"));
  const Relationship created = relate(a, b);
  const std::vector<RelationshipChange> wrong = {
      {RelationshipStatus::kBlocked, a.id, false, false},
      {RelationshipStatus::kFriends, b.id, true, false},
      {RelationshipStatus::kPending, a.id, false, true},
  };
  for (const auto& change : wrong) {
    auto refused = run_sync(store().update_relationship(created.id, created.version, change));
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error(), StoreError::kInternal);
  }
  EXPECT_EQ(find(a.id, b.id), created);
}

TEST_P(RelationshipContract, EveryViewPagesInIdOrderFromEitherSideOfThePairs) {
  // Users made before `me` have smaller ids (me is user_high), those after larger.
  std::vector<User> others;
  others.push_back(create(email("page-o0")));
  others.push_back(create(email("page-o1")));
  const User me = create(email("page-me"));
  for (int i = 2; i < 8; ++i) {
    others.push_back(create(email("page-o" + std::to_string(i))));
  }
  // others[0..3] friends (two each side), [4..5] ask me, [6] I ask, [7] I block.
  std::vector<std::string> friends;
  std::vector<std::string> incoming;
  for (std::size_t i = 0; i < 4; ++i) {
    friends.push_back(relate(i % 2 == 0 ? me : others[i], i % 2 == 0 ? others[i] : me,
                             RelationshipStatus::kFriends)
                          .id);
  }
  incoming.push_back(relate(others[4], me).id);
  incoming.push_back(relate(others[5], me).id);
  const std::string outgoing = relate(me, others[6]).id;
  const std::string blocked = relate(me, others[7], RelationshipStatus::kBlocked).id;
  ASSERT_TRUE(std::is_sorted(friends.begin(), friends.end()));
  EXPECT_LT(others[0].id, me.id);
  EXPECT_GT(others[2].id, me.id);

  const RelationshipPage one = page(me, RelationshipView::kFriends, std::nullopt, 3);
  EXPECT_EQ(ids(one), std::vector(friends.begin(), friends.begin() + 3));
  ASSERT_EQ(one.next_after_id, friends[2]);
  const RelationshipPage two = page(me, RelationshipView::kFriends, one.next_after_id, 3);
  EXPECT_EQ(ids(two), std::vector{friends[3]});
  EXPECT_EQ(two.next_after_id, std::nullopt);
  // A page that ends exactly at the last item says nothing follows.
  const RelationshipPage exact = page(me, RelationshipView::kFriends, std::nullopt, 4);
  EXPECT_EQ(ids(exact), friends);
  EXPECT_EQ(exact.next_after_id, std::nullopt);
  EXPECT_EQ(ids(page(me, RelationshipView::kFriends, upper(friends[0]), 2)),
            std::vector(friends.begin() + 1, friends.begin() + 3));

  const RelationshipPage in_one = page(me, RelationshipView::kIncoming, std::nullopt, 1);
  EXPECT_EQ(ids(in_one), std::vector{incoming[0]});
  ASSERT_EQ(in_one.next_after_id, incoming[0]);
  EXPECT_EQ(ids(page(me, RelationshipView::kIncoming, in_one.next_after_id, 1)),
            std::vector{incoming[1]});
  EXPECT_EQ(ids(page(me, RelationshipView::kOutgoing)), std::vector{outgoing});
  EXPECT_EQ(ids(page(me, RelationshipView::kBlocked)), std::vector{blocked});
  // Each other user sees the other side.
  EXPECT_EQ(ids(page(others[4], RelationshipView::kOutgoing)), std::vector{incoming[0]});
  EXPECT_EQ(ids(page(others[6], RelationshipView::kIncoming)), std::vector{outgoing});
  EXPECT_TRUE(page(others[7], RelationshipView::kBlocked).items.empty());
  EXPECT_EQ(ids(page(others[1], RelationshipView::kFriends)), std::vector{friends[1]});

  // Limit 0, a malformed cursor or user: an empty page.
  EXPECT_TRUE(page(me, RelationshipView::kFriends, std::nullopt, 0).items.empty());
  EXPECT_TRUE(page(me, RelationshipView::kFriends, std::string("zz"), 5).items.empty());
  User nobody;
  nobody.id = "nobody";
  EXPECT_TRUE(page(nobody, RelationshipView::kFriends).items.empty());
  EXPECT_TRUE(page(me, RelationshipView::kFriends, friends[3], 5).items.empty());
}

TEST_P(RelationshipContract, FriendshipsWithoutADialogComeLeastRecentlyUpdatedFirst) {
  const User a = create(email("nodialog-a"));
  const User b = create(email("nodialog-b"));
  const User c = create(email("nodialog-c"));
  const Relationship older = relate(a, b, RelationshipStatus::kFriends);
  next_millisecond();
  const Relationship newer = relate(a, c, RelationshipStatus::kFriends);
  const Relationship pending = relate(b, c);

  auto position = [](const std::vector<Relationship>& list, const std::string& id) {
    return std::find_if(list.begin(), list.end(),
                        [&](const Relationship& r) { return r.id == id; }) -
           list.begin();
  };
  auto listed = without_dialog();
  ASSERT_LT(position(listed, older.id), static_cast<long>(listed.size()));
  ASSERT_LT(position(listed, newer.id), static_cast<long>(listed.size()));
  EXPECT_LT(position(listed, older.id), position(listed, newer.id));
  EXPECT_EQ(position(listed, pending.id), static_cast<long>(listed.size()));
  EXPECT_EQ(listed[static_cast<std::size_t>(position(listed, older.id))], older);
  for (std::size_t i = 1; i < listed.size(); ++i) {
    EXPECT_LE(listed[i - 1].updated_at, listed[i].updated_at);
  }

  // Touching the older one makes it the newer; a dialog takes it off the list.
  next_millisecond();
  const Relationship touched = update(older, RelationshipStatus::kFriends, b.id);
  listed = without_dialog();
  EXPECT_LT(position(listed, newer.id), position(listed, touched.id));
  ASSERT_TRUE(run_sync(store().set_relationship_dialog(newer.id, "dialog")).has_value());
  listed = without_dialog();
  EXPECT_EQ(position(listed, newer.id), static_cast<long>(listed.size()));
  EXPECT_LT(position(listed, touched.id), static_cast<long>(listed.size()));

  auto limited = run_sync(store().list_friendships_without_dialog(1));
  ASSERT_TRUE(limited.has_value());
  EXPECT_EQ(limited->size(), 1u);
  auto none = run_sync(store().list_friendships_without_dialog(0));
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
}

TEST_P(RelationshipContract, DeletingAUserDeletesEveryRelationshipTheyAreIn) {
  const User a = create(email("cascade-a"));
  const User b = create(email("cascade-b"));
  const User c = create(email("cascade-c"));
  const Relationship ab = relate(a, b, RelationshipStatus::kFriends);
  const Relationship ca = relate(c, a);
  const Relationship bc = relate(b, c, RelationshipStatus::kFriends);
  ASSERT_TRUE(run_sync(store().delete_user(a.id)).has_value());
  EXPECT_EQ(find(a.id, b.id), std::nullopt);
  EXPECT_EQ(find(c.id, a.id), std::nullopt);
  EXPECT_EQ(find(b.id, c.id), bc);
  EXPECT_EQ(page(b, RelationshipView::kFriends).items, std::vector{bc});
  EXPECT_TRUE(page(c, RelationshipView::kOutgoing).items.empty());
  auto gone = run_sync(store().delete_relationship(ab.id, ab.version));
  ASSERT_FALSE(gone.has_value());
  EXPECT_EQ(gone.error(), StoreError::kNotFound);
  const auto listed = without_dialog();
  EXPECT_TRUE(std::none_of(listed.begin(), listed.end(),
                           [&](const Relationship& r) { return r.id == ab.id; }));
  // A relationship with a deleted user cannot be created again.
  NewRelationship again{b.id, a.id, RelationshipStatus::kPending, b.id};
  auto refused = run_sync(store().create_relationship(again));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error(), StoreError::kNotFound);
  (void)ca;
}

INSTANTIATE_TEST_SUITE_P(AllStores, RelationshipContract, ::testing::ValuesIn(stores_under_test()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace cubeauth::store::testing
