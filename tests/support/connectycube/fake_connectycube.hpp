// A scripted in-memory ConnectyCube for the auth layer's unit tests: users by email,
// sessions, CIdP logins mapped by hand, queued failures, and a record of every call.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "connectycube/connectycube.hpp"

namespace cubeauth::connectycube::testing {

class FakeConnectyCube final : public ConnectyCube {
 public:
  enum class Operation { kSignUp, kSessionWithEmail, kSessionWithLogin, kDeleteUser };

  struct Call {
    Operation operation;
    std::string credential;  ///< email, or login for kSessionWithLogin
    std::string password;
    std::string full_name;     ///< kSignUp only
    std::int64_t user_id = 0;  ///< kDeleteUser only
  };

  /// The next call of `operation` fails with `error` (each call queues one more).
  void fail_next(Operation operation, Error error);
  /// A login (CIdP token) the "identity provider" accepts, and the user id it maps to.
  void accept_login(std::string login, std::int64_t user_id);
  /// Adds a user as if signed up earlier; returns the id.
  std::int64_t add_user(std::string email, std::string password);

  std::vector<Call> calls() const;
  std::size_t call_count(Operation operation) const;
  std::optional<std::int64_t> user_id_of(const std::string& email) const;
  std::size_t user_count() const;

  /// Behaviour: sign_up refuses a known email with kTaken (422 {"email":["has already been
  /// taken"]}) and gives ids 1001, 1002, ...; email sessions answer kNotFound for an unknown
  /// email and kUnauthorized for a wrong password; login sessions accept only accept_login()
  /// logins, otherwise kInvalidInput (the service's CIdP refusal is a 422); delete_user needs
  /// that user's email and password (else as for sessions, or kUnauthorized for someone else).
  boost::asio::awaitable<Result<std::int64_t, Error>> sign_up(std::string email,
                                                              std::string password,
                                                              std::string full_name) override;
  boost::asio::awaitable<Result<Session, Error>> create_session_with_email(
      std::string email, std::string password) override;
  boost::asio::awaitable<Result<Session, Error>> create_session_with_login(
      std::string login, std::string password) override;
  boost::asio::awaitable<Result<void, Error>> delete_user(std::int64_t user_id, std::string email,
                                                          std::string password) override;

 private:
  struct User {
    std::int64_t id;
    std::string password;
  };
  std::optional<Error> scripted_failure(Operation operation);  // needs mutex_ held
  Result<Session, Error> session_for(const std::string& email, const std::string& password);

  mutable std::mutex mutex_;
  std::map<Operation, std::deque<Error>> failures_;
  std::map<std::string, User> users_;  // by email
  std::map<std::string, std::int64_t> logins_;
  std::vector<Call> calls_;
  std::int64_t next_id_ = 1001;
  int next_token_ = 1;
};

}  // namespace cubeauth::connectycube::testing
