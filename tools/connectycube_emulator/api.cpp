#include "api.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <boost/json/value.hpp>
#include <charconv>
#include <optional>

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

std::optional<std::int64_t> integer(std::string_view text) {
  while (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  while (!text.empty() && text.back() == ' ') {
    text.remove_suffix(1);
  }
  std::int64_t number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return number;
}

/// Ids given as a JSON array (of numbers or strings), a form array, or a comma string
/// ("45, 78", as the JS SDK sends them). Nullopt when any is not an integer.
std::optional<std::vector<std::int64_t>> id_list(const json::value* value) {
  std::vector<std::int64_t> ids;
  if (value == nullptr || value->is_null()) {
    return ids;
  }
  const auto add_text = [&ids](std::string_view text) {
    while (!text.empty()) {
      const std::size_t comma = text.find(',');
      const auto id = integer(text.substr(0, comma));
      if (!id) {
        return false;
      }
      ids.push_back(*id);
      text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    }
    return true;
  };
  if (value->is_array()) {
    for (const json::value& item : value->get_array()) {
      if (item.is_int64()) {
        ids.push_back(item.get_int64());
      } else if (!item.is_string() || !add_text(item.get_string())) {
        return std::nullopt;
      }
    }
    return ids;
  }
  if (value->is_int64()) {
    return std::vector<std::int64_t>{value->get_int64()};
  }
  if (value->is_string() && add_text(value->get_string())) {
    return ids;
  }
  return std::nullopt;
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
  if (segments.size() == 2 && segments[0] == "chat" && segments[1] == "Dialog") {
    if (method == Verb::post) {
      co_return create_dialog(request, *params);
    }
    if (method == Verb::get) {
      co_return list_dialogs(request, *params);
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

namespace cubeauth::connectycube::emulator {

Result<SessionRecord*, http::Response> Api::user_session_of(const http::Request& request) {
  auto session = session_of(request);
  if (!session) {
    return unexpected(std::move(session).error());
  }
  if ((*session)->user_id == 0) {
    return unexpected(
        answer(Status::forbidden, field_errors("base", "Forbidden. Need user."), *session));
  }
  return *session;
}

http::Response Api::create_dialog(const http::Request& request, const Params& params) {
  auto session = user_session_of(request);
  if (!session) {
    return std::move(session).error();
  }
  const std::int64_t self = (*session)->user_id;
  const auto type = integer(param_text(params, "type"));
  if (!type || (*type != 1 && *type != 2 && *type != 3 && *type != 4)) {
    return answer(Status::unprocessable_entity, field_errors("type", "is invalid"), *session);
  }
  if (*type == 1 || *type == 4) {  // status unseen; the text is observed (section 5.1)
    return answer(Status::forbidden,
                  errors("You do not have appropriate permissions. Broadcast dialogs can be "
                         "created only via Admin panel."),
                  *session);
  }
  const auto listed = id_list(params.if_contains("occupants_ids"));
  if (!listed) {
    return answer(Status::unprocessable_entity, field_errors("occupants_ids", "is invalid"),
                  *session);
  }
  // The caller is added automatically; the others must exist.
  std::vector<std::int64_t> others;
  for (const std::int64_t id : *listed) {
    if (id != self && std::find(others.begin(), others.end(), id) == others.end()) {
      others.push_back(id);
    }
  }
  const bool all_exist = std::all_of(others.begin(), others.end(),
                                     [this](std::int64_t id) { return store_.find_by_id(id); });
  if (*type == 3) {
    if (others.size() != 1 || !all_exist) {
      return answer(Status::unprocessable_entity, errors("Occupants_ids is missing opponent ID."),
                    *session);
    }
    // One private dialog per pair, whoever asks (observed; section 5.1).
    if (const DialogRecord* existing = store_.find_private_dialog(self, others.front())) {
      return answer(Status::created, dialog_json(*existing), *session);
    }
  } else {
    const std::string name = param_text(params, "name");
    if (name.empty()) {
      return answer(Status::unprocessable_entity, field_errors("name", "can't be blank"), *session);
    }
    if (!all_exist) {
      return answer(Status::unprocessable_entity, field_errors("occupants_ids", "is invalid"),
                    *session);
    }
  }
  DialogRecord dialog;
  dialog.type = static_cast<int>(*type);
  dialog.user_id = self;
  dialog.occupants_ids = others;
  dialog.occupants_ids.push_back(self);
  if (*type != 3) {  // ignored for private dialogs
    dialog.name = param_text(params, "name");
  }
  const DialogRecord& created = store_.add_dialog(std::move(dialog));
  return answer(Status::created, dialog_json(created), *session);
}

http::Response Api::list_dialogs(const http::Request& request, const Params& params) {
  auto session = user_session_of(request);
  if (!session) {
    return std::move(session).error();
  }
  // Filters: type=v or type[in]=a,b; _id=v. Unknown parameters are ignored.
  std::optional<std::vector<std::int64_t>> types;
  if (const json::value* type = params.if_contains("type")) {
    const json::value* in = type->is_object() ? type->get_object().if_contains("in") : type;
    types = id_list(in);
  }
  const std::string wanted_id = param_text(params, "_id");
  const std::int64_t limit =
      std::clamp<std::int64_t>(integer(param_text(params, "limit")).value_or(100), 1, 100);
  const std::int64_t skip =
      std::max<std::int64_t>(integer(param_text(params, "skip")).value_or(0), 0);
  std::vector<const DialogRecord*> matching;
  for (const DialogRecord* dialog : store_.dialogs_of((*session)->user_id)) {
    if (types && std::find(types->begin(), types->end(), dialog->type) == types->end()) {
      continue;
    }
    if (!wanted_id.empty() && dialog->id != wanted_id) {
      continue;
    }
    matching.push_back(dialog);
  }
  // Newest first when any sort_desc is asked for (no dialog has messages, so every
  // ordering field follows creation); otherwise creation order.
  if (params.contains("sort_desc")) {
    std::reverse(matching.begin(), matching.end());
  }
  json::array items;
  for (std::size_t i = static_cast<std::size_t>(skip);
       i < matching.size() && items.size() < static_cast<std::size_t>(limit); ++i) {
    items.push_back(dialog_json(*matching[i]));
  }
  return answer(Status::ok,
                json::object{{"total_entries", matching.size()},
                             {"skip", skip},
                             {"limit", limit},
                             {"items", std::move(items)}},
                *session);
}

}  // namespace cubeauth::connectycube::emulator
