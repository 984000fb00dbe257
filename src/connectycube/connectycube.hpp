// The ConnectyCube operations cubeauth needs, as an interface: the auth layer depends
// on this, the real Client implements it, tests use a scripted fake.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>

#include "common/result.hpp"
#include "connectycube/error.hpp"

namespace cubeauth::connectycube {

/// A ConnectyCube user session.
struct Session {
  std::string token;         ///< opaque; send as CB-Token, or as the chat password
  std::int64_t user_id = 0;  ///< the ConnectyCube user id
};

class ConnectyCube {
 public:
  virtual ~ConnectyCube() = default;

  /// Signs a user up (POST /users with the app's auth key); returns the new user's id.
  /// kTaken when the email is already used. Never retried: a retry could sign up twice.
  virtual boost::asio::awaitable<Result<std::int64_t, Error>> sign_up(std::string email,
                                                                      std::string password,
                                                                      std::string full_name) = 0;

  /// A user session from email and password (POST /session).
  virtual boost::asio::awaitable<Result<Session, Error>> create_session_with_email(
      std::string email, std::string password) = 0;

  /// A user session from login and password (POST /session). With a Custom Identity
  /// Provider the login is a token (cubeauth's JWT) and the password any fixed value.
  virtual boost::asio::awaitable<Result<Session, Error>> create_session_with_login(
      std::string login, std::string password) = 0;

  /// Deletes user `user_id` (undo of a sign-up): creates that user's session with
  /// email and password, then DELETE /users/{id}.
  virtual boost::asio::awaitable<Result<void, Error>> delete_user(std::int64_t user_id,
                                                                  std::string email,
                                                                  std::string password) = 0;
};

}  // namespace cubeauth::connectycube
