#include "auth/password.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

namespace cubeauth::auth {
namespace {

TEST(Bcrypt, HashesWithTheConfiguredCostAndVerifies) {
  const auto hash = bcrypt_hash("Lantern-8812", 4);
  ASSERT_TRUE(hash);
  EXPECT_EQ(hash->substr(0, 7), "$2b$04$");
  EXPECT_EQ(hash->size(), 60u);
  EXPECT_TRUE(bcrypt_verify("Lantern-8812", *hash));
  EXPECT_FALSE(bcrypt_verify("Lantern-8813", *hash));
  EXPECT_NE(*bcrypt_hash("Lantern-8812", 4), *hash);  // fresh salt each time
}

TEST(Bcrypt, VerifiesAKnownHashOfTheNodePackage) {
  // Made by Node's bcrypt 5 (the old server's library): bcrypt.hashSync('secret-pass', 10).
  EXPECT_TRUE(bcrypt_verify("secret-pass", "$2b$10$JvCLramNxEvoW6CqoQQE/uKAQb3AG5qhA84h9E5jWC.4Bf0waTpZS"));
  EXPECT_TRUE(bcrypt_verify("secret-pass", "$2a$10$JvCLramNxEvoW6CqoQQE/uKAQb3AG5qhA84h9E5jWC.4Bf0waTpZS"));
  EXPECT_TRUE(bcrypt_verify("secret-pass", "$2y$10$JvCLramNxEvoW6CqoQQE/uKAQb3AG5qhA84h9E5jWC.4Bf0waTpZS"));
  EXPECT_FALSE(bcrypt_verify("secret-pasS", "$2b$10$JvCLramNxEvoW6CqoQQE/uKAQb3AG5qhA84h9E5jWC.4Bf0waTpZS"));
}

TEST(Bcrypt, NeverHashesOrMatchesWhatBcryptWouldTruncate) {
  const std::string long_a = std::string(72, 'a') + "first";
  EXPECT_EQ(bcrypt_hash(long_a, 4).error(), PasswordError::kTooLong);
  EXPECT_EQ(bcrypt_hash(std::string("abc\0def", 7), 4).error(), PasswordError::kContainsNul);
  const auto hash = bcrypt_hash(std::string(72, 'a'), 4);
  ASSERT_TRUE(hash);
  EXPECT_TRUE(bcrypt_verify(std::string(72, 'a'), *hash));
  EXPECT_FALSE(bcrypt_verify(long_a, *hash));  // bcrypt alone would say yes
  const auto short_hash = bcrypt_hash("abc", 4);
  EXPECT_FALSE(bcrypt_verify(std::string("abc\0def", 7), *short_hash));  // bcrypt alone would say yes
}

TEST(Bcrypt, RefusesMalformedStoredHashes) {
  EXPECT_FALSE(bcrypt_verify("x", ""));
  EXPECT_FALSE(bcrypt_verify("x", "plain-text-password"));
  EXPECT_FALSE(bcrypt_verify("x", "$1$abc$defghijklmnopqrstuvwxyz"));
  EXPECT_FALSE(bcrypt_verify("x", "$2b$10$tooShort"));
}

TEST(PasswordHasher, HashesAndVerifiesOffTheCallingThread) {
  boost::asio::io_context io;
  PasswordHasher hasher(4, 2);
  bool matched = false;
  bool mismatched = true;
  bool unknown = true;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        auto hash = co_await hasher.hash("Lantern-8812");
        EXPECT_TRUE(hash);
        matched = co_await hasher.verify("Lantern-8812", *hash);
        mismatched = co_await hasher.verify("wrong", *hash);
        unknown = co_await hasher.verify_nothing("Lantern-8812");
      },
      boost::asio::detached);
  io.run();
  EXPECT_TRUE(matched);
  EXPECT_FALSE(mismatched);
  EXPECT_FALSE(unknown);
}

}  // namespace
}  // namespace cubeauth::auth
