#include "store.hpp"

#include <algorithm>
#include <boost/json/value.hpp>
#include <cctype>
#include <ctime>
#include <random>

namespace cubeauth::connectycube::emulator {
namespace {

namespace json = boost::json;

std::string format_time(std::chrono::system_clock::time_point time, const char* format) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[64];
  const std::size_t length = std::strftime(text, sizeof text, format, &parts);
  return std::string(text, length);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string random_token() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string token(36, '0');
  for (char& c : token) {
    c = kHex[random() & 15];
  }
  return token;
}

/// 8 hex of Unix seconds then 16 random hex, the shape of a MongoDB ObjectId.
std::string object_id(std::chrono::system_clock::time_point now) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  auto seconds = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  std::string id(24, '0');
  for (int i = 7; i >= 0; --i, seconds >>= 4) {
    id[static_cast<std::size_t>(i)] = kHex[seconds & 15];
  }
  for (std::size_t i = 8; i < id.size(); ++i) {
    id[i] = kHex[random() & 15];
  }
  return id;
}

json::value nullable(const std::string& text) {
  return text.empty() ? json::value(nullptr) : json::value(text);
}

}  // namespace

std::string iso_time(std::chrono::system_clock::time_point time) {
  return format_time(time, "%Y-%m-%dT%H:%M:%SZ");
}

std::string expiration_time(std::chrono::system_clock::time_point time) {
  return format_time(time, "%Y-%m-%d %H:%M:%S UTC");
}

User& Store::add_user(User user) {
  user.id = next_user_id_++;
  user.created_at = iso_time(std::chrono::system_clock::now());
  const std::int64_t id = user.id;
  return users_[id] = std::move(user);
}

User* Store::find_by_id(std::int64_t id) {
  const auto found = users_.find(id);
  return found == users_.end() ? nullptr : &found->second;
}

User* Store::find_by_login(const std::string& login) {
  for (auto& [id, user] : users_) {
    if (!user.login.empty() && user.login == login) {
      return &user;
    }
  }
  return nullptr;
}

User* Store::find_by_email(const std::string& email) {
  const std::string wanted = lower(email);
  for (auto& [id, user] : users_) {
    if (!user.email.empty() && lower(user.email) == wanted) {
      return &user;
    }
  }
  return nullptr;
}

User* Store::find_by_external_id(const std::string& external_id) {
  for (auto& [id, user] : users_) {
    if (!user.external_id.empty() && user.external_id == external_id) {
      return &user;
    }
  }
  return nullptr;
}

void Store::remove_user(std::int64_t id) {
  users_.erase(id);
  std::erase_if(sessions_, [id](const auto& entry) { return entry.second.user_id == id; });
}

SessionRecord& Store::open_session(std::int64_t user_id) {
  const auto now = std::chrono::system_clock::now();
  SessionRecord session;
  do {
    session.token = random_token();
  } while (sessions_.contains(session.token));
  // Newer servers give a user session the user's id as its id (connectycube-api.md 2.1).
  session.id = user_id != 0 ? user_id : next_session_id_++;
  session.user_id = user_id;
  session.ts = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  session.created_at = iso_time(now);
  session.expires_at = now + kTokenLifetime;
  const std::string token = session.token;
  return sessions_[token] = std::move(session);
}

SessionRecord* Store::use_session(const std::string& token) {
  const auto found = sessions_.find(token);
  if (found == sessions_.end()) {
    return nullptr;
  }
  const auto now = std::chrono::system_clock::now();
  if (found->second.expires_at <= now) {
    sessions_.erase(found);
    return nullptr;
  }
  found->second.expires_at = now + kTokenLifetime;
  return &found->second;
}

void Store::close_session(const std::string& token) { sessions_.erase(token); }

DialogRecord& Store::add_dialog(DialogRecord dialog) {
  const auto now = std::chrono::system_clock::now();
  do {
    dialog.id = object_id(now);
  } while (std::any_of(dialogs_.begin(), dialogs_.end(),
                       [&dialog](const DialogRecord& other) { return other.id == dialog.id; }));
  dialog.created_at = iso_time(now);
  dialog.updated_at = dialog.created_at;
  std::sort(dialog.occupants_ids.begin(), dialog.occupants_ids.end());
  dialogs_.push_back(std::move(dialog));
  return dialogs_.back();
}

DialogRecord* Store::find_private_dialog(std::int64_t a, std::int64_t b) {
  const std::vector<std::int64_t> pair{std::min(a, b), std::max(a, b)};
  for (DialogRecord& dialog : dialogs_) {
    if (dialog.type == 3 && dialog.occupants_ids == pair) {
      return &dialog;
    }
  }
  return nullptr;
}

std::vector<const DialogRecord*> Store::dialogs_of(std::int64_t user_id) const {
  std::vector<const DialogRecord*> found;
  for (const DialogRecord& dialog : dialogs_) {
    if (std::binary_search(dialog.occupants_ids.begin(), dialog.occupants_ids.end(), user_id)) {
      found.push_back(&dialog);
    }
  }
  return found;
}

void Store::clear() {
  dialogs_.clear();
  users_.clear();
  sessions_.clear();
  next_user_id_ = first_user_id_;
}

json::object user_json(const User& user) {
  return json::object{{"id", user.id},
                      {"login", nullable(user.login)},
                      {"email", nullable(user.email)},
                      {"full_name", nullable(user.full_name)},
                      {"phone", nullptr},
                      {"website", nullptr},
                      {"avatar", nullptr},
                      {"blob_id", nullptr},
                      {"external_user_id", nullptr},
                      {"external_id", nullable(user.external_id)},
                      {"facebook_id", nullptr},
                      {"twitter_id", nullptr},
                      {"custom_data", nullptr},
                      {"user_tags", nullptr},
                      {"timezone", nullptr},
                      {"is_guest", nullptr},
                      {"created_at", user.created_at},
                      {"updated_at", user.updated_at.empty() ? user.created_at : user.updated_at},
                      {"last_request_at", nullptr}};
}

json::object dialog_json(const DialogRecord& dialog) {
  json::array occupants;
  for (const std::int64_t id : dialog.occupants_ids) {
    occupants.emplace_back(id);
  }
  return json::object{{"_id", dialog.id},
                      {"type", dialog.type},
                      {"user_id", dialog.user_id},
                      {"occupants_ids", std::move(occupants)},
                      {"admins_ids", json::array()},
                      {"name", nullable(dialog.name)},
                      {"photo", nullptr},
                      {"description", nullptr},
                      {"xmpp_room_jid", nullptr},
                      {"last_message", nullptr},
                      {"last_message_id", nullptr},
                      {"last_message_date_sent", nullptr},
                      {"last_message_user_id", nullptr},
                      {"last_message_status", nullptr},
                      {"pinned_messages_ids", json::array()},
                      {"unread_messages_count", 0},
                      {"extensions", nullptr},
                      {"permissions", nullptr},
                      {"created_at", dialog.created_at},
                      {"updated_at", dialog.updated_at}};
}

json::object session_json(const SessionRecord& session, const User* user) {
  json::object body{{"id", session.id},
                    {"user_id", session.user_id},
                    {"application_id", 0},
                    {"token", session.token},
                    {"ts", session.ts},
                    {"created_at", session.created_at},
                    {"updated_at", session.created_at}};
  if (user != nullptr) {
    body["user"] = user_json(*user);
  }
  return body;
}

}  // namespace cubeauth::connectycube::emulator
