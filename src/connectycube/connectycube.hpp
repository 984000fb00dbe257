// The ConnectyCube operations cubeauth needs, as an interface: the auth layer depends
// on this, the real Client implements it, tests use a scripted fake.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "connectycube/error.hpp"

namespace cubeauth::connectycube {

/// A ConnectyCube user session.
struct Session {
  std::string token;         ///< opaque; send as CB-Token, or as the chat password
  std::int64_t user_id = 0;  ///< the ConnectyCube user id
};

/// A password change as PUT /users/{id} takes it: the new password and the current one,
/// both sent (connectycube-api.md 3.2).
struct PasswordChange {
  std::string old_password;
  std::string password;
};

/// What update_user changes; members left unset are not sent.
struct UserUpdate {
  std::optional<std::string> full_name;
  std::optional<PasswordChange> password_change;
};

/// A ConnectyCube user as the service returns it (the fields cubeauth reads); a field the
/// service returns as null is "".
struct User {
  std::int64_t id = 0;
  std::string login;
  std::string email;
  std::string full_name;
  std::string external_id;
};

/// A chat dialog as the service returns it (connectycube-api.md 5.1); null text is "".
struct Dialog {
  std::string id;                           ///< "_id": 24 hex
  int type = 0;                             ///< 3 private, 2 group
  std::int64_t user_id = 0;                 ///< who created it
  std::vector<std::int64_t> occupants_ids;  ///< everyone in it, the creator included
  std::string name;
  std::string created_at;  ///< ISO-8601 UTC
  std::string updated_at;
};

/// Which of the caller's dialogs list_dialogs returns (GET /chat/Dialog parameters).
struct DialogQuery {
  std::optional<int> type;  ///< only dialogs of this type
  int limit = 100;          ///< at most 100
  int skip = 0;
};

struct DialogPage {
  std::int64_t total_entries = 0;  ///< all the caller's dialogs matching the query
  int skip = 0;
  int limit = 0;
  std::vector<Dialog> items;
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

  /// Changes user `user_id` in that user's own session (PUT /users/{id}); returns the user
  /// as updated. Failures:
  /// - kInvalidInput (422): field_messages name the field, e.g. {"old_password": ["is
  ///   invalid"]} for a wrong current password, {"password": ["is too short (minimum is 6
  ///   characters)"]}, {"full_name": [...]}; the service's words are safe to show.
  /// - kUnauthorized: http_status 401 when the session is missing or expired (create a new
  ///   one), 403 when the session is not `user_id`'s own (or is an application session).
  /// - kNotFound (404): no such user.
  /// - kUnavailable: network, timeout, 5xx, 429. A password change is never resent by the
  ///   client (a resend after a lost answer would meet "old_password is invalid"), so after
  ///   kUnavailable its outcome is unknown: a session with the new password tells. A
  ///   full_name-only update is idempotent and is retried like a session.
  virtual boost::asio::awaitable<Result<User, Error>> update_user(std::string session_token,
                                                                  std::int64_t user_id,
                                                                  UserUpdate update) = 0;

  /// Deletes user `user_id` in that user's own session (DELETE /users/{id}); the user's
  /// sessions end with it. Idempotent: when the user is already gone (deleted earlier, or by
  /// this very call whose first answer was lost and was resent) the answer is kNotFound
  /// (http_status 404), which a retrying caller treats as done. Other failures: kUnauthorized
  /// (401: the session is missing or expired and the user still exists; 403: another user's
  /// session, or an application session), kUnavailable.
  virtual boost::asio::awaitable<Result<void, Error>> delete_user_in_session(
      std::string session_token, std::int64_t user_id) = 0;

  /// The private (type 3) dialog between the session's user and `other_user_id`
  /// (POST /chat/Dialog). The service gives one private dialog per pair, so creating it
  /// again, from either side, returns the same dialog: the call is safe to repeat and is
  /// retried through transient failures. Failures: kInvalidInput (422 "Occupants_ids is
  /// missing opponent ID." under "base": no such other user), kUnauthorized (401 dead
  /// session; 403 an application session), kUnavailable.
  virtual boost::asio::awaitable<Result<Dialog, Error>> create_private_dialog(
      std::string session_token, std::int64_t other_user_id) = 0;

  /// The session's user's dialogs (GET /chat/Dialog), one page. Failures as above.
  virtual boost::asio::awaitable<Result<DialogPage, Error>> list_dialogs(std::string session_token,
                                                                         DialogQuery query) = 0;

  /// Deletes user `user_id` (undo of a sign-up): creates that user's session with
  /// email and password, then delete_user_in_session.
  virtual boost::asio::awaitable<Result<void, Error>> delete_user(std::int64_t user_id,
                                                                  std::string email,
                                                                  std::string password) = 0;
};

}  // namespace cubeauth::connectycube
