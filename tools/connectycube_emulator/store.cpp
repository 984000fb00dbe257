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

void Store::clear() {
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
