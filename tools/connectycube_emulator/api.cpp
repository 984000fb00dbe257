#include "api.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <boost/json/value.hpp>
#include <charconv>

#include "cidp.hpp"
#include "params.hpp"

namespace cubeauth::connectycube::emulator {
namespace {

namespace json = boost::json;
using http::Status;

json::object errors(std::string_view message) {
  return json::object{{"errors", json::array{json::value(message)}}};
}

json::object field_errors(std::string_view field, std::string_view message) {
  return json::object{{"errors", json::object{{field, json::array{json::value(message)}}}}};
}

http::Response empty_ok() {
  http::Response response{Status::ok, 11};
  return response;
}

std::string hmac_sha1_hex(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

bool looks_like_email(const std::string& email) {
  const std::size_t at = email.find('@');
  return at != std::string::npos && at > 0 && email.find('@', at + 1) == std::string::npos &&
         email.find('.', at) != std::string::npos && email.back() != '.' &&
         email.find_first_of(" \t\r\n") == std::string::npos;
}

std::string too_short(std::size_t minimum) {
  return "is too short (minimum is " + std::to_string(minimum) + " characters)";
}
std::string too_long(std::size_t maximum) {
  return "is too long (maximum is " + std::to_string(maximum) + " characters)";
}

/// Length in characters (UTF-8 code points), as Rails counts it.
std::size_t characters(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

const json::object* object_at(const json::object& params, std::string_view key) {
  const json::value* value = params.if_contains(key);
  return value != nullptr && value->is_object() ? &value->get_object() : nullptr;
}

}  // namespace

Api::Api(EmulatorOptions options)
    : options_(std::move(options)),
      store_(options_.first_user_id),
      http_(HttpClientOptions{options_.cidp.timeout, options_.cidp.timeout, 0}) {}

http::Response Api::answer(Status status, const json::object& body, const SessionRecord* session) {
  http::Response response = http::json_response(status, body);
  if (session != nullptr) {
    response.set("CB-Token-ExpirationDate", expiration_time(session->expires_at));
  }
  return response;
}

boost::asio::awaitable<http::Response> Api::handle(const http::Request& request) {
  std::string_view path = request.target();
  path = path.substr(0, path.find('?'));
  if (path.ends_with(".json")) {
    path.remove_suffix(5);
  }
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    path.remove_prefix(path.front() == '/' ? 1 : 0);
    const std::size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  }
  auto params = request_params(request);
  if (!params) {
    co_return answer(Status::bad_request, errors("The request body is not a JSON object"));
  }
  const auto method = request.method();
  using http::Verb;
  if (segments.size() == 1 && segments[0] == "session") {
    if (method == Verb::post) {
      co_return co_await create_session(request, *params);
    }
    if (method == Verb::get) {
      co_return get_session(request);
    }
    if (method == Verb::delete_) {
      co_return delete_session(request);
    }
  } else if (segments.size() == 1 && segments[0] == "login" && method == Verb::post) {
    co_return co_await login(request, *params);
  } else if (segments.size() == 1 && segments[0] == "users" && method == Verb::post) {
    co_return sign_up(request, *params);
  } else if (segments.size() == 2 && segments[0] == "users") {
    if (method == Verb::get) {
      co_return get_user(request, segments[1], *params);
    }
    if (method == Verb::put) {
      co_return update_user(request, segments[1], *params);
    }
    if (method == Verb::delete_) {
      co_return delete_user(request, segments[1]);
    }
  }
  co_return answer(Status::not_found, field_errors("base", "Resource not found"));
}

Result<SessionRecord*, http::Response> Api::session_of(const http::Request& request) {
  const std::string token(request["CB-Token"]);
  if (token.empty()) {  // Flutter sends an empty CB-Token: treat it as absent
    return unexpected(answer(Status::unauthorized, errors("Token is required")));
  }
  SessionRecord* session = store_.use_session(token);
  if (session == nullptr) {
    return unexpected(
        answer(Status::unauthorized, field_errors("base", "Required session does not exist")));
  }
  return session;
}

Result<User*, http::Response> Api::validate_and_create(const Params& user) {
  const std::string login = param_text(user, "login");
  const std::string email = param_text(user, "email");
  const std::string password = param_text(user, "password");
  json::object fields;
  const auto add = [&fields](std::string_view field, std::string message) {
    json::value& list = fields[field];
    if (!list.is_array()) {
      list = json::array();
    }
    list.as_array().emplace_back(message);
  };
  if (login.empty() && email.empty()) {
    add("base", "Login or email required");
  }
  if (!login.empty()) {
    if (login.size() < 3) {
      add("login", too_short(3));
    } else if (login.size() > 70) {
      add("login", too_long(70));
    } else if (store_.find_by_login(login) != nullptr) {
      add("login", "has already been taken");
    }
  }
  if (!email.empty()) {
    if (!looks_like_email(email)) {
      add("email", "is invalid");
    } else if (store_.find_by_email(email) != nullptr) {
      add("email", "has already been taken");
    }
  }
  if (password.empty()) {
    add("password", "can't be blank");
  } else if (password.size() < options_.password_min) {
    add("password", too_short(options_.password_min));
  } else if (password.size() > options_.password_max) {
    add("password", too_long(options_.password_max));
  }
  if (!fields.empty()) {
    return unexpected(answer(Status::unprocessable_entity, json::object{{"errors", fields}}));
  }
  User created;
  created.login = login;
  created.email = email;
  created.password = password;
  created.full_name = param_text(user, "full_name");
  created.external_id = param_text(user, "external_id");
  return &store_.add_user(std::move(created));
}

boost::asio::awaitable<Result<User*, http::Response>> Api::authenticate(const Params& user) {
  const std::string login = param_text(user, "login");
  const std::string email = param_text(user, "email");
  const std::string password = param_text(user, "password");
  if (password.empty()) {
    co_return unexpected(
        answer(Status::unprocessable_entity, field_errors("password", "cannot be blank")));
  }
  if (!login.empty() && options_.cidp.enabled) {
    // While CIdP is on, every login-based session goes through the IdP (section 4.2).
    auto identity = co_await verify_with_cidp(options_.cidp, http_, login, password);
    if (!identity) {
      co_return unexpected(answer(Status::unprocessable_entity, identity.error()));
    }
    if (User* known = store_.find_by_external_id(identity->uid)) {
      co_return known;
    }
    User created;
    created.login = identity->login.empty() ? "custom_" + identity->uid : identity->login;
    created.email = identity->email;
    created.full_name = identity->full_name;
    created.external_id = identity->uid;
    co_return &store_.add_user(std::move(created));
  }
  User* found = !login.empty() ? store_.find_by_login(login) : store_.find_by_email(email);
  if (found == nullptr) {
    if (!options_.auto_create) {
      co_return unexpected(answer(Status::not_found, errors("User not found")));
    }
    co_return validate_and_create(user);
  }
  if (!found->password || *found->password != password) {
    co_return unexpected(answer(Status::unauthorized, errors("Invalid password")));
  }
  co_return found;
}

boost::asio::awaitable<http::Response> Api::create_session(const http::Request&,
                                                           const Params& params) {
  if (param_text(params, "application_id") != options_.app_id ||
      param_text(params, "auth_key") != options_.auth_key) {
    co_return answer(Status::unauthorized, errors("Unauthorized"));
  }
  if (const std::string signature = param_text(params, "signature"); !signature.empty()) {
    std::string message;
    for (const auto& [key, value] : flatten_for_signature(params)) {
      message += (message.empty() ? "" : "&") + key + "=" + value;
    }
    if (hmac_sha1_hex(options_.auth_secret, message) != signature) {
      co_return answer(Status::unprocessable_entity, errors("Unexpected signature"));
    }
  }
  const json::object* credentials = object_at(params, "user");
  User* user = nullptr;
  if (credentials != nullptr) {
    auto authenticated = co_await authenticate(*credentials);
    if (!authenticated) {
      co_return std::move(authenticated).error();
    }
    user = *authenticated;
  }
  SessionRecord& session = store_.open_session(user == nullptr ? 0 : user->id);
  json::object body = session_json(session, user);
  std::int64_t app_id = 0;
  std::from_chars(options_.app_id.data(), options_.app_id.data() + options_.app_id.size(), app_id);
  body["application_id"] = app_id;
  co_return answer(Status::created, json::object{{"session", std::move(body)}}, &session);
}

boost::asio::awaitable<http::Response> Api::login(const http::Request& request,
                                                  const Params& params) {
  auto session = session_of(request);
  if (!session) {
    co_return std::move(session).error();
  }
  auto authenticated = co_await authenticate(params);
  if (!authenticated) {
    co_return std::move(authenticated).error();
  }
  // The coroutine may have waited on the IdP: look the token up again.
  SessionRecord* live = store_.use_session(std::string(request["CB-Token"]));
  if (live == nullptr) {
    co_return answer(Status::unauthorized, field_errors("base", "Required session does not exist"));
  }
  live->user_id = (*authenticated)->id;
  co_return answer(Status::accepted, json::object{{"user", user_json(**authenticated)}}, live);
}

http::Response Api::sign_up(const http::Request& request, const Params& params) {
  SessionRecord* session = nullptr;
  if (!request["CB-Token"].empty()) {
    auto found = session_of(request);
    if (!found) {
      return std::move(found).error();
    }
    session = *found;
  } else if (request["CB-AuthKey"].empty()) {
    return answer(Status::unauthorized, errors("Token is required"));
  } else if (request["CB-AuthKey"] != options_.auth_key) {
    return answer(Status::unauthorized, errors("Unauthorized"));
  }
  const json::object* user = object_at(params, "user");
  if (user == nullptr) {
    return answer(Status::unprocessable_entity, field_errors("base", "User is required"));
  }
  auto created = validate_and_create(*user);
  if (!created) {
    return std::move(created).error();
  }
  return answer(Status::created, json::object{{"user", user_json(**created)}}, session);
}

http::Response Api::get_session(const http::Request& request) {
  auto session = session_of(request);
  if (!session) {
    return std::move(session).error();
  }
  const User* user = store_.find_by_id((*session)->user_id);
  return answer(Status::ok, json::object{{"session", session_json(**session, user)}}, *session);
}

http::Response Api::delete_session(const http::Request& request) {
  auto session = session_of(request);
  if (!session) {
    return std::move(session).error();
  }
  store_.close_session((*session)->token);
  return empty_ok();
}

http::Response Api::get_user(const http::Request& request, std::string_view which,
                             const Params& params) {
  auto session = session_of(request);
  if (!session) {
    return std::move(session).error();
  }
  const User* user = nullptr;
  if (which == "by_login") {
    user = store_.find_by_login(param_text(params, "login"));
  } else if (which == "by_email") {
    user = store_.find_by_email(param_text(params, "email"));
  } else {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(which.data(), which.data() + which.size(), id);
    if (ec == std::errc() && end == which.data() + which.size()) {
      user = store_.find_by_id(id);
    }
  }
  if (user == nullptr) {
    return answer(Status::not_found, field_errors("base", "User not found"), *session);
  }
  return answer(Status::ok, json::object{{"user", user_json(*user)}}, *session);
}

http::Response Api::update_user(const http::Request& request, std::string_view which,
                                const Params& params) {
  auto session = session_of(request);
  if (!session) {
    return std::move(session).error();
  }
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(which.data(), which.data() + which.size(), id);
  const bool own = ec == std::errc() && end == which.data() + which.size() &&
                   (*session)->user_id != 0 && id == (*session)->user_id;
  if (!own) {  // an application session, or another user's id: only the user may change itself
    return answer(Status::forbidden, field_errors("base", "Forbidden. Need user."), *session);
  }
  User* user = store_.find_by_id(id);  // the session is live, so its user exists
  const json::object* changes = object_at(params, "user");
  if (user == nullptr || changes == nullptr) {
    return answer(Status::unprocessable_entity, field_errors("base", "User is required"), *session);
  }
  json::object fields;
  const auto add = [&fields](std::string_view field, std::string message) {
    json::value& list = fields[field];
    if (!list.is_array()) {
      list = json::array();
    }
    list.as_array().emplace_back(message);
  };
  const bool names = changes->contains("full_name");
  const std::string full_name = param_text(*changes, "full_name");
  if (names) {
    if (characters(full_name) < 1) {
      add("full_name", too_short(1));
    } else if (characters(full_name) > 200) {
      add("full_name", too_long(200));
    }
  }
  const bool changes_password = changes->contains("password");
  const std::string password = param_text(*changes, "password");
  if (changes_password) {
    const std::string old_password = param_text(*changes, "old_password");
    if (old_password.empty()) {
      add("old_password", "can't be blank");
    } else if (!user->password || *user->password != old_password) {
      add("old_password", "is invalid");
    }
    if (password.empty()) {
      add("password", "can't be blank");
    } else if (password.size() < options_.password_min) {
      add("password", too_short(options_.password_min));
    } else if (password.size() > options_.password_max) {
      add("password", too_long(options_.password_max));
    }
  }
  if (!fields.empty()) {
    return answer(Status::unprocessable_entity, json::object{{"errors", fields}}, *session);
  }
  if (names) {
    user->full_name = full_name;
  }
  if (changes_password) {
    user->password = password;
  }
  user->updated_at = iso_time(std::chrono::system_clock::now());
  return answer(Status::ok, json::object{{"user", user_json(*user)}}, *session);
}

http::Response Api::delete_user(const http::Request& request, std::string_view which) {
  auto session = session_of(request);
  if (!session) {
    return std::move(session).error();
  }
  if ((*session)->user_id == 0) {
    return answer(Status::forbidden, field_errors("base", "Forbidden. Need user."), *session);
  }
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(which.data(), which.data() + which.size(), id);
  if (ec != std::errc() || end != which.data() + which.size() || store_.find_by_id(id) == nullptr) {
    return answer(Status::not_found, field_errors("base", "User not found"), *session);
  }
  if (id != (*session)->user_id) {
    return answer(Status::forbidden, field_errors("base", "You can delete only your own user"),
                  *session);
  }
  store_.remove_user(id);  // also ends that user's sessions
  return empty_ok();
}

}  // namespace cubeauth::connectycube::emulator
