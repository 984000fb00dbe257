// The emulator's users and session tokens, in memory, with the service's rules
// (ids increasing, 36-uppercase-hex tokens expiring 2 h after their last use).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace cubeauth::connectycube::emulator {

struct User {
  std::int64_t id = 0;
  std::string login;                    ///< "" when unset
  std::string email;                    ///< "" when unset
  std::string full_name;                ///< "" when unset
  std::string external_id;              ///< "" when unset
  std::optional<std::string> password;  ///< CIdP users have none
  std::string created_at;
  std::string updated_at;  ///< "" until the first update (then created_at is not it)
};

struct SessionRecord {
  std::string token;
  std::int64_t id = 0;
  std::int64_t user_id = 0;  ///< 0: application session
  std::int64_t ts = 0;
  std::string created_at;
  std::chrono::system_clock::time_point expires_at;
};

/// A chat dialog (connectycube-api.md 5.1); unread counts and last messages stay empty,
/// since the emulator has no messages.
struct DialogRecord {
  std::string id;  ///< 24 hex, like an ObjectId
  int type = 3;
  std::int64_t user_id = 0;                 ///< creator
  std::vector<std::int64_t> occupants_ids;  ///< sorted, the creator included
  std::string name;                         ///< "" when unset
  std::string created_at;
  std::string updated_at;
};

class Store {
 public:
  static constexpr std::chrono::hours kTokenLifetime{2};

  explicit Store(std::int64_t first_user_id)
      : first_user_id_(first_user_id), next_user_id_(first_user_id) {}

  User& add_user(User user);  ///< assigns id and created_at
  User* find_by_id(std::int64_t id);
  User* find_by_login(const std::string& login);
  User* find_by_email(const std::string& email);  ///< case-insensitive
  User* find_by_external_id(const std::string& external_id);
  void remove_user(std::int64_t id);  ///< and the user's sessions

  SessionRecord& open_session(std::int64_t user_id);
  /// A live session for `token`, its expiry extended; null when unknown or expired.
  SessionRecord* use_session(const std::string& token);
  void close_session(const std::string& token);

  /// Adds a dialog (assigns id and times) and returns it.
  DialogRecord& add_dialog(DialogRecord dialog);
  /// The private dialog of the pair {a, b}, if any.
  DialogRecord* find_private_dialog(std::int64_t a, std::int64_t b);
  /// The dialogs `user_id` occupies, in creation order.
  std::vector<const DialogRecord*> dialogs_of(std::int64_t user_id) const;

  void clear();

 private:
  std::int64_t first_user_id_;
  std::int64_t next_user_id_;
  std::int64_t next_session_id_ = 500001;
  std::map<std::int64_t, User> users_;
  std::unordered_map<std::string, SessionRecord> sessions_;
  std::vector<DialogRecord> dialogs_;  // in creation order
};

/// "2024-05-29T16:26:40Z"
std::string iso_time(std::chrono::system_clock::time_point time);
/// "2024-05-29 18:26:40 UTC", the CB-Token-ExpirationDate form.
std::string expiration_time(std::chrono::system_clock::time_point time);

/// The user as the service returns it: every field present, unset ones null.
boost::json::object user_json(const User& user);
boost::json::object dialog_json(const DialogRecord& dialog);
boost::json::object session_json(const SessionRecord& session, const User* user);

}  // namespace cubeauth::connectycube::emulator
