// Refresh-token families (issue 9), run against each store: rotation chains,
// reuse detection, expiry, revocation, deletion, and the concurrent-rotation race.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <map>
#include <thread>
#include <vector>

#include "store/contract/contract_fixture.hpp"

namespace cubeauth::store::testing {
namespace {

class RefreshTokenContract : public LifecycleContract {};

TEST_P(RefreshTokenContract, RotatesAChainOfTokensWithinOneFamily) {
  const User user = create(email("chain"));
  const NewRefreshToken first = stored_first_token(user);
  NewRefreshToken second = next_token(std::chrono::minutes(1));
  second.family_id = new_object_id();  // ignored: the family's own id is kept
  second.user_id = new_object_id();
  const Rotation one = rotate(first.token_hash, second);
  EXPECT_EQ(one.outcome, RotationOutcome::kRotated);
  EXPECT_EQ(one.user_id, user.id);
  EXPECT_EQ(one.family_id, first.family_id);

  const NewRefreshToken third = next_token(std::chrono::minutes(2));
  const Rotation two = rotate(second.token_hash, third);
  EXPECT_EQ(two.outcome, RotationOutcome::kRotated);
  EXPECT_EQ(two.user_id, user.id);
  EXPECT_EQ(two.family_id, first.family_id);

  const Rotation three = rotate(third.token_hash, next_token(std::chrono::minutes(3)));
  EXPECT_EQ(three.outcome, RotationOutcome::kRotated);
  EXPECT_EQ(three.family_id, first.family_id);
}

TEST_P(RefreshTokenContract, AnUnknownTokenIsUnknownAndStoresNothing) {
  const NewRefreshToken next = next_token();
  const Rotation rotation = rotate(unique_token(), next);
  EXPECT_EQ(rotation.outcome, RotationOutcome::kUnknown);
  EXPECT_TRUE(rotation.user_id.empty());
  EXPECT_TRUE(rotation.family_id.empty());
  EXPECT_EQ(rotate(next.token_hash, next_token()).outcome, RotationOutcome::kUnknown);
}

TEST_P(RefreshTokenContract, ReusingARotatedTokenRevokesTheWholeFamily) {
  const User user = create(email("reuse"));
  const NewRefreshToken first = stored_first_token(user);
  const NewRefreshToken second = next_token(std::chrono::minutes(1));
  ASSERT_EQ(rotate(first.token_hash, second).outcome, RotationOutcome::kRotated);

  const NewRefreshToken thief = next_token(std::chrono::minutes(2));
  const Rotation reused = rotate(first.token_hash, thief);
  EXPECT_EQ(reused.outcome, RotationOutcome::kReused);
  EXPECT_EQ(reused.user_id, user.id);
  EXPECT_EQ(reused.family_id, first.family_id);
  // Nothing was stored for the thief, and the live token of the family is dead.
  EXPECT_EQ(rotate(thief.token_hash, next_token()).outcome, RotationOutcome::kUnknown);
  const Rotation later = rotate(second.token_hash, next_token(std::chrono::minutes(3)));
  EXPECT_EQ(later.outcome, RotationOutcome::kRevoked);
  EXPECT_EQ(later.user_id, user.id);
  EXPECT_EQ(later.family_id, first.family_id);
  // Presenting the used token again now only says revoked.
  EXPECT_EQ(rotate(first.token_hash, next_token()).outcome, RotationOutcome::kRevoked);
}

TEST_P(RefreshTokenContract, AReuseLeavesTheUsersOtherFamiliesAlone) {
  const User user = create(email("otherfamily"));
  const NewRefreshToken stolen = stored_first_token(user);
  const NewRefreshToken other = stored_first_token(user);
  ASSERT_EQ(rotate(stolen.token_hash, next_token()).outcome, RotationOutcome::kRotated);
  ASSERT_EQ(rotate(stolen.token_hash, next_token()).outcome, RotationOutcome::kReused);
  EXPECT_EQ(rotate(other.token_hash, next_token()).outcome, RotationOutcome::kRotated);
}

TEST_P(RefreshTokenContract, AnExpiredTokenIsRevokedAndStoresNothing) {
  const User user = create(email("expired"));
  const NewRefreshToken first = stored_first_token(user);
  NewRefreshToken late = next_token();
  late.issued_at = first.expires_at;  // expires_at is the first instant it is dead
  late.expires_at = late.issued_at + std::chrono::hours(1);
  const Rotation rotation = rotate(first.token_hash, late);
  EXPECT_EQ(rotation.outcome, RotationOutcome::kRevoked);
  EXPECT_EQ(rotation.user_id, user.id);
  EXPECT_EQ(rotation.family_id, first.family_id);
  EXPECT_EQ(rotate(late.token_hash, next_token()).outcome, RotationOutcome::kUnknown);

  // A millisecond earlier it was still live.
  const NewRefreshToken other = stored_first_token(user);
  NewRefreshToken just_in_time = next_token();
  just_in_time.issued_at = other.expires_at - std::chrono::milliseconds(1);
  EXPECT_EQ(rotate(other.token_hash, just_in_time).outcome, RotationOutcome::kRotated);
}

TEST_P(RefreshTokenContract, RevokingAFamilyRevokesEveryTokenOfIt) {
  const User user = create(email("logout"));
  const NewRefreshToken first = stored_first_token(user);
  const NewRefreshToken second = next_token();
  ASSERT_EQ(rotate(first.token_hash, second).outcome, RotationOutcome::kRotated);
  const NewRefreshToken other = stored_first_token(user);

  auto revoked = run_sync(store().revoke_refresh_family(first.token_hash));
  ASSERT_TRUE(revoked.has_value()) << to_string(revoked.error());
  ASSERT_TRUE(revoked->has_value());
  EXPECT_EQ(**revoked, user.id);
  EXPECT_EQ(rotate(second.token_hash, next_token()).outcome, RotationOutcome::kRevoked);
  EXPECT_EQ(rotate(other.token_hash, next_token()).outcome, RotationOutcome::kRotated);

  // Revoking again still names the user; an unknown hash names nobody.
  auto again = run_sync(store().revoke_refresh_family(second.token_hash));
  ASSERT_TRUE(again.has_value() && again->has_value());
  EXPECT_EQ(**again, user.id);
  auto unknown = run_sync(store().revoke_refresh_family(unique_token()));
  ASSERT_TRUE(unknown.has_value());
  EXPECT_FALSE(unknown->has_value());
}

TEST_P(RefreshTokenContract, RevokingAUsersTokensRevokesAllTheirFamiliesOnly) {
  const User user = create(email("logoutall"));
  const User bystander = create(email("bystander"));
  const NewRefreshToken first = stored_first_token(user);
  const NewRefreshToken second = stored_first_token(user);
  const NewRefreshToken rotated = next_token();
  ASSERT_EQ(rotate(second.token_hash, rotated).outcome, RotationOutcome::kRotated);
  const NewRefreshToken theirs = stored_first_token(bystander);

  ASSERT_TRUE(run_sync(store().revoke_user_refresh_tokens(user.id)).has_value());
  EXPECT_EQ(rotate(first.token_hash, next_token()).outcome, RotationOutcome::kRevoked);
  EXPECT_EQ(rotate(rotated.token_hash, next_token()).outcome, RotationOutcome::kRevoked);
  EXPECT_EQ(rotate(theirs.token_hash, next_token()).outcome, RotationOutcome::kRotated);

  // A new login after that starts a live family.
  const NewRefreshToken fresh = stored_first_token(user);
  EXPECT_EQ(rotate(fresh.token_hash, next_token()).outcome, RotationOutcome::kRotated);
}

TEST_P(RefreshTokenContract, RevokingTheTokensOfAUserWithNoneSucceeds) {
  const User user = create(email("none"));
  EXPECT_TRUE(run_sync(store().revoke_user_refresh_tokens(user.id)).has_value());
  EXPECT_TRUE(run_sync(store().revoke_user_refresh_tokens(new_object_id())).has_value());
  EXPECT_TRUE(run_sync(store().revoke_user_refresh_tokens("not-an-id")).has_value());
}

TEST_P(RefreshTokenContract, DeletingAUserRemovesTheirTokens) {
  const User user = create(email("deleted"));
  const NewRefreshToken first = stored_first_token(user);
  const NewRefreshToken second = next_token();
  ASSERT_EQ(rotate(first.token_hash, second).outcome, RotationOutcome::kRotated);
  const NewRefreshToken other = stored_first_token(user);

  ASSERT_TRUE(run_sync(store().delete_user(user.id)).has_value());
  for (const auto* hash : {&first.token_hash, &second.token_hash, &other.token_hash}) {
    EXPECT_EQ(rotate(*hash, next_token()).outcome, RotationOutcome::kUnknown);
    auto revoked = run_sync(store().revoke_refresh_family(*hash));
    ASSERT_TRUE(revoked.has_value());
    EXPECT_FALSE(revoked->has_value());
  }
}

// The purge's tokens expire a month ago, where no other test's do: with PostgreSQL the
// tests of a run share one database and run side by side.
TEST_P(RefreshTokenContract, PurgingRemovesExpiredTokensAndKeepsLiveAndRevokedFamilies) {
  const User user = create(email("purge"));
  const auto now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  const auto month_ago = now - std::chrono::days(30);
  const auto stored = [&](std::chrono::system_clock::time_point expires_at) {
    NewRefreshToken token{unique_token(), new_object_id(), user.id, month_ago, expires_at};
    auto created = run_sync(store().create_refresh_token(token));
    EXPECT_TRUE(created.has_value()) << to_string(created.error());
    return token;
  };
  const NewRefreshToken expired = stored(month_ago + std::chrono::hours(1));
  // A family rotated a month ago: its used token expired, its successor lives.
  const NewRefreshToken rotated_away = stored(month_ago + std::chrono::hours(1));
  NewRefreshToken successor = next_token();
  successor.issued_at = month_ago + std::chrono::minutes(1);
  ASSERT_EQ(rotate(rotated_away.token_hash, successor).outcome, RotationOutcome::kRotated);
  const NewRefreshToken live = stored(now + std::chrono::hours(10));
  const NewRefreshToken revoked = stored(now + std::chrono::hours(10));
  ASSERT_TRUE(run_sync(store().revoke_refresh_family(revoked.token_hash)).has_value());

  auto purged = run_sync(store().purge_refresh_tokens(month_ago + std::chrono::hours(2)));
  ASSERT_TRUE(purged.has_value()) << to_string(purged.error());
  EXPECT_EQ(*purged, 2u);

  for (const auto* hash : {&expired.token_hash, &rotated_away.token_hash}) {
    EXPECT_EQ(rotate(*hash, next_token()).outcome, RotationOutcome::kUnknown);
    auto family = run_sync(store().revoke_refresh_family(*hash));
    ASSERT_TRUE(family.has_value());
    EXPECT_FALSE(family->has_value());
  }
  // Revocation still holds, and the families with a live token still rotate.
  EXPECT_EQ(rotate(revoked.token_hash, next_token()).outcome, RotationOutcome::kRevoked);
  const Rotation kept = rotate(successor.token_hash, next_token());
  EXPECT_EQ(kept.outcome, RotationOutcome::kRotated);
  EXPECT_EQ(kept.family_id, rotated_away.family_id);
  EXPECT_EQ(rotate(live.token_hash, next_token()).outcome, RotationOutcome::kRotated);
}

TEST_P(RefreshTokenContract, PurgingBeforeAnyExpiryRemovesNothing) {
  const User user = create(email("purge-none"));
  const NewRefreshToken token = stored_first_token(user);
  const auto long_ago = std::chrono::system_clock::now() - std::chrono::days(3650);
  auto purged = run_sync(store().purge_refresh_tokens(long_ago));
  ASSERT_TRUE(purged.has_value()) << to_string(purged.error());
  EXPECT_EQ(*purged, 0u);
  EXPECT_EQ(rotate(token.token_hash, next_token()).outcome, RotationOutcome::kRotated);
}

TEST_P(RefreshTokenContract, ATokenForAnUnknownUserIsNotFound) {
  User ghost;
  ghost.id = new_object_id();
  const NewRefreshToken token = first_token(ghost);
  auto created = run_sync(store().create_refresh_token(token));
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error(), StoreError::kNotFound);
  EXPECT_EQ(rotate(token.token_hash, next_token()).outcome, RotationOutcome::kUnknown);
}

TEST_P(RefreshTokenContract, ConcurrentRotationsOfOneTokenRotateItExactlyOnce) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 5;
  const User user = create(email("race"));
  for (int round = 0; round < kRounds; ++round) {
    const NewRefreshToken first = stored_first_token(user);
    std::vector<NewRefreshToken> nexts;
    for (int i = 0; i < kThreads; ++i) {
      nexts.push_back(next_token());
    }
    std::vector<Result<Rotation, StoreError>> results(kThreads, unexpected(StoreError::kInternal));
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        results[i] = run_sync(store().rotate_refresh_token(first.token_hash, nexts[i]));
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    std::map<RotationOutcome, int> outcomes;
    int winner = -1;
    for (int i = 0; i < kThreads; ++i) {
      ASSERT_TRUE(results[i].has_value()) << to_string(results[i].error());
      ++outcomes[results[i]->outcome];
      EXPECT_EQ(results[i]->family_id, first.family_id);
      if (results[i]->outcome == RotationOutcome::kRotated) {
        winner = i;
      }
    }
    EXPECT_EQ(outcomes[RotationOutcome::kRotated], 1) << "round " << round;
    EXPECT_GE(outcomes[RotationOutcome::kReused], 1) << "round " << round;
    EXPECT_EQ(outcomes[RotationOutcome::kUnknown], 0) << "round " << round;
    EXPECT_EQ(outcomes[RotationOutcome::kRotated] + outcomes[RotationOutcome::kReused] +
                  outcomes[RotationOutcome::kRevoked],
              kThreads);
    // The reuse revoked the family: the winner's new token is dead too, and no
    // loser's token was stored.
    ASSERT_GE(winner, 0);
    EXPECT_EQ(rotate(nexts[winner].token_hash, next_token()).outcome, RotationOutcome::kRevoked);
    for (int i = 0; i < kThreads; ++i) {
      if (i != winner) {
        EXPECT_EQ(rotate(nexts[i].token_hash, next_token()).outcome, RotationOutcome::kUnknown);
      }
    }
  }
}

TEST_P(RefreshTokenContract, ARevocationRacingRotationsLeavesNoLiveToken) {
  constexpr int kFamilies = 4;
  constexpr int kChain = 6;
  const User user = create(email("logoutrace"));
  std::vector<std::string> latest;
  for (int i = 0; i < kFamilies; ++i) {
    latest.push_back(stored_first_token(user).token_hash);
  }
  std::latch start(kFamilies + 1);
  std::vector<std::thread> threads;
  for (int i = 0; i < kFamilies; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      for (int step = 0; step < kChain; ++step) {
        const NewRefreshToken next = next_token();
        auto rotated = run_sync(store().rotate_refresh_token(latest[i], next));
        if (!rotated.has_value() || rotated->outcome != RotationOutcome::kRotated) {
          break;
        }
        latest[i] = next.token_hash;
      }
    });
  }
  threads.emplace_back([&] {
    start.arrive_and_wait();
    EXPECT_TRUE(run_sync(store().revoke_user_refresh_tokens(user.id)).has_value());
  });
  for (auto& thread : threads) {
    thread.join();
  }
  // Whatever interleaving happened, the newest token of every family is dead.
  for (int i = 0; i < kFamilies; ++i) {
    EXPECT_EQ(rotate(latest[i], next_token()).outcome, RotationOutcome::kRevoked) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(AllStores, RefreshTokenContract, ::testing::ValuesIn(stores_under_test()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace cubeauth::store::testing
