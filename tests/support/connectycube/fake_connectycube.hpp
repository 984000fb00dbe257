// A scripted in-memory ConnectyCube for the auth layer's unit tests: users, sessions,
// CIdP logins mapped by hand, queued failures, and a record of every call.
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
  enum class Operation {
    kSignUp,
    kSessionWithEmail,
    kSessionWithLogin,
    kDeleteUser,
    kUpdateUser,
    kDeleteUserInSession,
    kCreatePrivateDialog,
    kListDialogs,
  };

  struct Call {
    Operation operation;
    std::string credential;  ///< email, or login for kSessionWithLogin
    std::string password;
    std::string full_name;               ///< kSignUp only
    std::int64_t user_id = 0;            ///< kDeleteUser, kUpdateUser, kDeleteUserInSession
    std::string token{};                 ///< the session token of kUpdateUser, kDeleteUserInSession
    std::optional<UserUpdate> update{};  ///< kUpdateUser only
    std::int64_t other_user_id = 0;      ///< kCreatePrivateDialog only
  };

  /// A user as the fake holds it.
  struct FakeUser {
    std::int64_t id = 0;
    std::string email;                    ///< "" for users made by a CIdP login
    std::string login;                    ///< "" for users made by email
    std::optional<std::string> password;  ///< none for users made by a CIdP login
    std::string full_name;
  };

  /// The next call of `operation` fails with `error` (each call queues one more). A
  /// scripted failure comes before any effect: the call changes nothing.
  void fail_next(Operation operation, Error error);
  /// The next call of `operation` takes effect, then reports `error` anyway: an answer
  /// lost on the way back (e.g. kUnavailable after the password did change).
  void fail_next_after_effect(Operation operation, Error error);
  /// A login (CIdP token) the "identity provider" accepts, and the user id it maps to. The
  /// first session with it creates that user (no email, no password) if it does not exist.
  void accept_login(std::string login, std::int64_t user_id);
  /// Adds a user as if signed up earlier; returns the id.
  std::int64_t add_user(std::string email, std::string password, std::string full_name = "");
  /// Ends every session, as if each token had expired: later calls with them get 401.
  void expire_sessions();

  std::vector<Call> calls() const;
  std::size_t call_count(Operation operation) const;
  std::optional<std::int64_t> user_id_of(const std::string& email) const;
  std::optional<FakeUser> user(std::int64_t id) const;
  std::size_t user_count() const;
  std::size_t dialog_count() const;

  /// Behaviour: sign_up refuses a known email with kTaken (422 {"email":["has already been
  /// taken"]}) and gives ids 1001, 1002, ...; email sessions answer kNotFound for an unknown
  /// email and kUnauthorized for a wrong password; login sessions accept only accept_login()
  /// logins, otherwise kInvalidInput (the service's CIdP refusal is a 422); delete_user needs
  /// that user's email and password (else as for sessions, or kUnauthorized for someone else).
  /// update_user and delete_user_in_session follow the emulator: an unknown or expired token
  /// is kUnauthorized 401, another user's session kUnauthorized 403; update_user checks
  /// old_password (else kInvalidInput {"old_password":["is invalid"]}), a new password of
  /// 6-40 characters and a full_name of 1-200; deleting a user ends its sessions, and
  /// deleting again answers kNotFound 404 (as the real client reports an absent user).
  /// create_private_dialog keeps one dialog per pair (ids "000000000000000000000001", ...)
  /// and refuses an unknown other user with kInvalidInput 422 "Occupants_ids is missing
  /// opponent ID."; list_dialogs pages through the caller's dialogs in creation order.
  boost::asio::awaitable<Result<std::int64_t, Error>> sign_up(std::string email,
                                                              std::string password,
                                                              std::string full_name) override;
  boost::asio::awaitable<Result<Session, Error>> create_session_with_email(
      std::string email, std::string password) override;
  boost::asio::awaitable<Result<Session, Error>> create_session_with_login(
      std::string login, std::string password) override;
  boost::asio::awaitable<Result<User, Error>> update_user(std::string session_token,
                                                          std::int64_t user_id,
                                                          UserUpdate update) override;
  boost::asio::awaitable<Result<void, Error>> delete_user_in_session(std::string session_token,
                                                                     std::int64_t user_id) override;
  boost::asio::awaitable<Result<Dialog, Error>> create_private_dialog(
      std::string session_token, std::int64_t other_user_id) override;
  boost::asio::awaitable<Result<DialogPage, Error>> list_dialogs(std::string session_token,
                                                                 DialogQuery query) override;
  boost::asio::awaitable<Result<void, Error>> delete_user(std::int64_t user_id, std::string email,
                                                          std::string password) override;

 private:
  struct Scripted {
    Error error;
    bool after_effect = false;
  };
  // Each needs mutex_ held.
  std::optional<Scripted> scripted_failure(Operation operation);
  Result<Session, Error> session_for(const std::string& email, const std::string& password);
  Session open_session(std::int64_t user_id);
  FakeUser* find_by_email(const std::string& email);
  Result<void, Error> remove_user(const std::string& token, std::int64_t user_id);

  mutable std::mutex mutex_;
  std::map<Operation, std::deque<Scripted>> failures_;
  std::map<std::int64_t, FakeUser> users_;  // by id
  std::map<std::string, std::int64_t> logins_;
  std::map<std::string, std::int64_t> sessions_;  // token -> user id
  std::vector<Dialog> dialogs_;                   // in creation order
  std::vector<Call> calls_;
  std::int64_t next_id_ = 1001;
  int next_token_ = 1;
};

}  // namespace cubeauth::connectycube::testing
