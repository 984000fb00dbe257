// Friends end to end (issue 10): the real binary on every store, with the ConnectyCube
// emulator as a Custom Identity Provider app, so cubeauth opens the sessions that
// create each pair's private dialog itself; a dialog ConnectyCube refused at first is
// made by the retry pass; racing requests from both sides end in one friendship; a
// mutual block is two blocks, each lifted on its own.
#include "e2e/api_client.hpp"
#include "e2e/emulator.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace cubeauth::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kRelationshipFields = "id status user { id firstName ccUserId } connectyDialogId";
const std::string kSend = std::string("mutation($id: String, $email: String) { sendFriendRequest(userId: $id, "
                                      "email: $email) { ") + kRelationshipFields + " } }";
const std::string kAccept =
    std::string("mutation($id: String!) { acceptFriendRequest(userId: $id) { ") + kRelationshipFields + " } }";
const std::string kFriends =
    std::string("{ friends { items { ") + kRelationshipFields + " } nextCursor } }";

struct Member {
  std::string id;
  std::string email;
  std::string headers;  ///< Authorization: Bearer <token>
  double connectycube_id = 0;
};

class Friends : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto environment = store_environment(GetParam());
    if (!environment) {
      GTEST_SKIP() << "TEST_POSTGRES_URL is not set (scripts/with-postgres.sh sets it)";
    }
    const std::uint16_t port = free_port();
    emulator_ = std::make_unique<Emulator>(std::vector<std::string>{
        "--cidp-enabled=true",
        "--cidp-endpoint=http://127.0.0.1:" + std::to_string(port) + "/auth/verify-connectycube",
        R"(--cidp-response-params={"uid":"#{user.id}","email":"#{user.email}"})"});
    (*environment)["APP_ID"] = kAppId;
    (*environment)["AUTH_KEY"] = kAuthKey;
    (*environment)["CONNECTYCUBE_API_URL"] = emulator_->url();
    (*environment)["CONNECTYCUBE_SIGNUP"] = "false";
    (*environment)["CUBEAUTH_DIALOG_RETRY_SECONDS"] = "1";
    (*environment)["PORT"] = std::to_string(port);
    cubeauth_ = std::make_unique<Cubeauth>(std::move(*environment));
  }

  std::uint16_t port() const { return cubeauth_->port(); }

  /// Registers and logs in through the identity provider, so that the member has a
  /// ConnectyCube user.
  Member join(const std::string& name) {
    Member member;
    member.email = unique_email(name);
    const auto registered = post_graphql(port(), kRegister, registration(member.email, "Lantern-8812", name));
    EXPECT_TRUE(registered.errors().empty()) << boost::json::serialize(registered.body);
    const auto login = post_graphql(port(), kLoginByToken,
                                    {{"body", {{"email", member.email}, {"password", "Lantern-8812"}}}});
    EXPECT_TRUE(login.errors().empty()) << boost::json::serialize(login.body);
    const auto& data = login.data().at("login_By_token");
    member.id = std::string(data.at("user").at("id").as_string());
    member.headers = "Authorization: Bearer " + std::string(data.at("token").as_string()) + "\r\n";
    member.connectycube_id = data.at("ccUserId").to_number<double>();
    return member;
  }

  std::size_t dialog_creations() {
    std::size_t count = 0;
    for (const auto& request : emulator_->requests()) {
      if (request.at("method") == "POST" && request.at("path").as_string().starts_with("/chat/Dialog")) {
        ++count;
      }
    }
    return count;
  }

  std::unique_ptr<Emulator> emulator_;
  std::unique_ptr<Cubeauth> cubeauth_;
};

TEST_P(Friends, AcceptingARequestMakesFriendsWithTheirPrivateDialog) {
  const Member ana = join("Ana");
  const Member ben = join("Ben");
  const auto sent = post_graphql(port(), kSend, {{"email", ben.email}}, ana.headers);
  ASSERT_TRUE(sent.errors().empty()) << boost::json::serialize(sent.body);
  EXPECT_EQ(sent.data().at("sendFriendRequest").at("status"), "REQUEST_SENT");
  EXPECT_EQ(sent.data().at("sendFriendRequest").at("user").at("id").as_string(), ben.id);

  const auto incoming = post_graphql(port(), "{ incomingFriendRequests { items { status user { id } } } }", {},
                                     ben.headers);
  ASSERT_TRUE(incoming.errors().empty()) << boost::json::serialize(incoming.body);
  ASSERT_EQ(incoming.data().at("incomingFriendRequests").at("items").as_array().size(), 1u);

  const auto accepted = post_graphql(port(), kAccept, {{"id", ana.id}}, ben.headers);
  ASSERT_TRUE(accepted.errors().empty()) << boost::json::serialize(accepted.body);
  const auto& friendship = accepted.data().at("acceptFriendRequest");
  EXPECT_EQ(friendship.at("status"), "FRIENDS");
  ASSERT_TRUE(friendship.at("connectyDialogId").is_string()) << boost::json::serialize(accepted.body);
  EXPECT_EQ(dialog_creations(), 1u);

  // Both see the friendship and the same dialog, so either can open the chat.
  const auto anas = post_graphql(port(), kFriends, {}, ana.headers);
  ASSERT_TRUE(anas.errors().empty()) << boost::json::serialize(anas.body);
  const auto& items = anas.data().at("friends").at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("connectyDialogId"), friendship.at("connectyDialogId"));
  EXPECT_EQ(items[0].at("user").at("ccUserId").to_number<double>(), ben.connectycube_id);
}

TEST_P(Friends, ADialogConnectyCubeRefusedIsCreatedLaterAndOnlyOnce) {
  const Member ana = join("Ana");
  const Member ben = join("Ben");
  ASSERT_TRUE(post_graphql(port(), kSend, {{"id", ben.id}}, ana.headers).errors().empty());
  emulator_->control("/_emulator/fail", R"({"count":50,"status":503,"method":"POST","path":"/chat/Dialog"})");
  const auto accepted = post_graphql(port(), kAccept, {{"id", ana.id}}, ben.headers);
  ASSERT_TRUE(accepted.errors().empty()) << boost::json::serialize(accepted.body);
  EXPECT_EQ(accepted.data().at("acceptFriendRequest").at("status"), "FRIENDS");  // the friendship stands
  EXPECT_TRUE(accepted.data().at("acceptFriendRequest").at("connectyDialogId").is_null());

  emulator_->control("/_emulator/fail", R"({"count":0,"method":"POST","path":"/chat/Dialog"})");
  boost::json::value dialog;
  for (int waited = 0; waited < 100 && !dialog.is_string(); ++waited) {
    std::this_thread::sleep_for(100ms);
    const auto friends = post_graphql(port(), kFriends, {}, ben.headers);
    ASSERT_TRUE(friends.errors().empty()) << boost::json::serialize(friends.body);
    dialog = friends.data().at("friends").at("items").at(0).at("connectyDialogId");
  }
  ASSERT_TRUE(dialog.is_string()) << "the retry pass did not create the dialog:\n" << cubeauth_->process().output();
  // Accepting again finds the dialog recorded and creates nothing.
  const std::size_t created = dialog_creations();
  const auto again = post_graphql(port(), kAccept, {{"id", ana.id}}, ben.headers);
  EXPECT_EQ(again.data().at("acceptFriendRequest").at("connectyDialogId"), dialog);
  EXPECT_EQ(dialog_creations(), created);
}

TEST_P(Friends, RacingRequestsFromBothSidesEndInOneFriendship) {
  const Member ana = join("Ana");
  const Member ben = join("Ben");
  GraphqlAnswer from_ana, from_ben;
  std::thread first([&] { from_ana = post_graphql(port(), kSend, {{"id", ben.id}}, ana.headers); });
  std::thread second([&] { from_ben = post_graphql(port(), kSend, {{"id", ana.id}}, ben.headers); });
  first.join();
  second.join();
  ASSERT_TRUE(from_ana.errors().empty()) << boost::json::serialize(from_ana.body);
  ASSERT_TRUE(from_ben.errors().empty()) << boost::json::serialize(from_ben.body);
  // One record: both answers name it, and whoever came second made it a friendship.
  EXPECT_EQ(from_ana.data().at("sendFriendRequest").at("id"), from_ben.data().at("sendFriendRequest").at("id"));
  const auto friends = post_graphql(port(), kFriends, {}, ana.headers);
  ASSERT_EQ(friends.data().at("friends").at("items").as_array().size(), 1u) << boost::json::serialize(friends.body);
  EXPECT_EQ(dialog_creations(), 1u);
}

TEST_P(Friends, BlockingHidesTheBlockerAndBadInputNamesTheField) {
  const Member ana = join("Ana");
  const Member ben = join("Ben");
  const auto blocked = post_graphql(port(), "mutation($id: String!) { blockUser(userId: $id) { status } }",
                                    {{"id", ben.id}}, ana.headers);
  ASSERT_TRUE(blocked.errors().empty()) << boost::json::serialize(blocked.body);
  const auto refused = post_graphql(port(), kSend, {{"id", ana.id}}, ben.headers);
  EXPECT_EQ(refused.code(), "NOT_FOUND");
  const auto unknown = post_graphql(port(), kSend, {{"id", "0123456789abcdef01234567"}}, ben.headers);
  EXPECT_EQ(unknown.errors().at(0).at("message"), refused.errors().at(0).at("message"));

  const auto both = post_graphql(port(), kSend, {{"id", ana.id}, {"email", ana.email}}, ben.headers);
  EXPECT_EQ(both.code(), "BAD_USER_INPUT");
  EXPECT_EQ(both.errors().at(0).at("extensions").at("field"), "userId");
  const auto anonymous = post_graphql(port(), kFriends);
  EXPECT_EQ(anonymous.code(), "UNAUTHENTICATED");
  const auto no_request = post_graphql(port(), "mutation($id: String!) { declineFriendRequest(userId: $id) { message } }",
                                       {{"id", ana.id}}, ben.headers);
  EXPECT_EQ(no_request.code(), "NOT_FOUND");
}

TEST_P(Friends, AMutualBlockIsTwoBlocksAndEachUnblockLiftsOnlyItsOwn) {
  const Member ana = join("Ana");
  const Member ben = join("Ben");
  const std::string block = "mutation($id: String!) { blockUser(userId: $id) { status user { id } } }";
  const std::string unblock = "mutation($id: String!) { unblockUser(userId: $id) { message } }";
  const std::string blocked_users = "{ blockedUsers { items { status user { id } } } }";
  auto blocked_ids = [&](const Member& viewer) {
    const auto listed = post_graphql(port(), blocked_users, {}, viewer.headers);
    EXPECT_TRUE(listed.errors().empty()) << boost::json::serialize(listed.body);
    std::vector<std::string> ids;
    for (const auto& item : listed.data().at("blockedUsers").at("items").as_array()) {
      ids.emplace_back(item.at("user").at("id").as_string());
    }
    return ids;
  };
  ASSERT_TRUE(post_graphql(port(), block, {{"id", ben.id}}, ana.headers).errors().empty());
  const auto second = post_graphql(port(), block, {{"id", ana.id}}, ben.headers);
  ASSERT_TRUE(second.errors().empty()) << boost::json::serialize(second.body);
  EXPECT_EQ(second.data().at("blockUser").at("status"), "BLOCKED");
  EXPECT_EQ(blocked_ids(ana), std::vector<std::string>{ben.id});
  EXPECT_EQ(blocked_ids(ben), std::vector<std::string>{ana.id});  // stored, not just answered

  // Ana unblocks first: Ben's block stands, so to her he is "User not found".
  const auto lifted = post_graphql(port(), unblock, {{"id", ben.id}}, ana.headers);
  ASSERT_TRUE(lifted.errors().empty()) << boost::json::serialize(lifted.body);
  EXPECT_TRUE(blocked_ids(ana).empty());
  EXPECT_EQ(blocked_ids(ben), std::vector<std::string>{ana.id});
  const auto hidden = post_graphql(port(), kSend, {{"id", ben.id}}, ana.headers);
  EXPECT_EQ(hidden.code(), "NOT_FOUND");
  EXPECT_EQ(hidden.errors().at(0).at("message"), "User not found");
  const auto again = post_graphql(port(), unblock, {{"id", ben.id}}, ana.headers);
  EXPECT_EQ(again.code(), "NOT_FOUND");  // her block is gone; his is not hers to lift

  // Ben unblocks too: nothing is left, and a request goes through.
  const auto lifted_too = post_graphql(port(), unblock, {{"id", ana.id}}, ben.headers);
  ASSERT_TRUE(lifted_too.errors().empty()) << boost::json::serialize(lifted_too.body);
  EXPECT_TRUE(blocked_ids(ben).empty());
  const auto sent = post_graphql(port(), kSend, {{"id", ben.id}}, ana.headers);
  ASSERT_TRUE(sent.errors().empty()) << boost::json::serialize(sent.body);
  EXPECT_EQ(sent.data().at("sendFriendRequest").at("status"), "REQUEST_SENT");
}

INSTANTIATE_TEST_SUITE_P(Stores, Friends, ::testing::ValuesIn(kStores),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cubeauth::testing
