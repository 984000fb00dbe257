#include "connectycube/wire.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <optional>

namespace cubeauth::connectycube::wire {
namespace {

namespace json = boost::json;

std::string path(const Endpoint& endpoint, std::string_view resource) {
  // The SDK always appends the ".json" suffix (connectycube-api.md section 1).
  std::string target = endpoint.base_path + "/" + std::string(resource) + ".json";
  if (!endpoint.query.empty()) {
    target += "?" + endpoint.query;
  }
  return target;
}

std::optional<std::int64_t> as_int64(const json::value& value) {
  if (value.is_int64()) {
    return value.get_int64();
  }
  if (value.is_uint64() && value.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(value.get_uint64());
  }
  if (value.is_string()) {
    const auto& text = value.get_string();
    std::int64_t number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
      return number;
    }
  }
  return std::nullopt;
}

json::value app_id_value(std::string_view app_id) {
  std::int64_t number = 0;
  const auto [end, ec] = std::from_chars(app_id.data(), app_id.data() + app_id.size(), number);
  if (!app_id.empty() && ec == std::errc() && end == app_id.data() + app_id.size() && number >= 0) {
    return number;
  }
  return json::string(app_id);
}

/// The 2xx answer's body as a JSON object.
Result<json::object, Error> body_object(const IncomingResponse& response) {
  boost::system::error_code ec;
  json::value document = json::parse(response.body, ec);
  if (ec) {
    return unexpected(invalid_response_error(
        "the " + std::to_string(response.status) + " answer is not JSON (" + ec.message() + ")",
        response.status));
  }
  if (!document.is_object()) {
    return unexpected(invalid_response_error("the answer is not a JSON object", response.status));
  }
  return std::move(document.as_object());
}

std::string text_at(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

Result<Dialog, Error> dialog_from(const json::object& object, int status) {
  Dialog dialog;
  dialog.id = text_at(object, "_id");
  if (dialog.id.empty()) {
    return unexpected(invalid_response_error("the dialog has no _id", status));
  }
  const json::value* type = object.if_contains("type");
  const auto type_number = type == nullptr ? std::nullopt : as_int64(*type);
  if (!type_number) {
    return unexpected(invalid_response_error("the dialog has no integer type", status));
  }
  dialog.type = static_cast<int>(*type_number);
  if (const json::value* user_id = object.if_contains("user_id")) {
    dialog.user_id = as_int64(*user_id).value_or(0);
  }
  if (const json::value* occupants = object.if_contains("occupants_ids");
      occupants != nullptr && occupants->is_array()) {
    for (const json::value& occupant : occupants->get_array()) {
      const auto id = as_int64(occupant);
      if (!id) {
        return unexpected(invalid_response_error("an occupant id is not an integer", status));
      }
      dialog.occupants_ids.push_back(*id);
    }
  }
  dialog.name = text_at(object, "name");
  dialog.created_at = text_at(object, "created_at");
  dialog.updated_at = text_at(object, "updated_at");
  return dialog;
}

/// The object under `key` of a 2xx JSON answer, or the reason it is not usable.
Result<json::object, Error> member_object(const IncomingResponse& response, std::string_view key) {
  auto document = body_object(response);
  if (!document) {
    return unexpected(std::move(document).error());
  }
  json::value* member = document->if_contains(key);
  if (member == nullptr || !member->is_object()) {
    return unexpected(invalid_response_error(
        "the answer has no \"" + std::string(key) + "\" object", response.status));
  }
  return std::move(member->as_object());
}

}  // namespace

OutgoingRequest sign_up(const Endpoint& endpoint, std::string_view auth_key, std::string_view email,
                        std::string_view password, std::string_view full_name) {
  json::object user;
  user["email"] = email;
  user["password"] = password;
  user["full_name"] = full_name;
  json::object body;
  body["user"] = std::move(user);
  OutgoingRequest request;
  request.method = "POST";
  request.target = path(endpoint, "users");
  request.headers = {{"Content-Type", std::string(kJsonContentType)},
                     {"CB-SDK", std::string(kSdkHeader)},
                     {"CB-AuthKey", std::string(auth_key)}};
  request.body = json::serialize(body);
  request.retry_safe = false;  // a resend after a lost answer would meet "email taken"
  return request;
}

OutgoingRequest create_session(const Endpoint& endpoint, std::string_view app_id,
                               std::string_view auth_key, std::string_view credential_field,
                               std::string_view credential, std::string_view password) {
  json::object user;
  user[credential_field] = credential;
  user["password"] = password;
  json::object body;
  body["application_id"] = app_id_value(app_id);
  body["auth_key"] = auth_key;
  body["user"] = std::move(user);
  OutgoingRequest request;
  request.method = "POST";
  request.target = path(endpoint, "session");
  request.headers = {{"Content-Type", std::string(kJsonContentType)},
                     {"CB-SDK", std::string(kSdkHeader)}};
  request.body = json::serialize(body);
  // Not idempotent in HTTP terms, but a second session for the same credentials only
  // leaves an unused token that expires in 2 h; an auto-created user (or a CIdP user,
  // matched by external id) is found again by the resend. So it is safe to retry.
  request.retry_safe = true;
  return request;
}

OutgoingRequest create_app_session(const Endpoint& endpoint, std::string_view app_id,
                                   std::string_view auth_key) {
  json::object body;
  body["application_id"] = app_id_value(app_id);
  body["auth_key"] = auth_key;
  OutgoingRequest request;
  request.method = "POST";
  request.target = path(endpoint, "session");
  request.headers = {{"Content-Type", std::string(kJsonContentType)},
                     {"CB-SDK", std::string(kSdkHeader)}};
  request.body = json::serialize(body);
  request.retry_safe = true;  // a spare application session only expires
  return request;
}

OutgoingRequest get_user(const Endpoint& endpoint, std::int64_t user_id, std::string_view token) {
  OutgoingRequest request;
  request.method = "GET";
  request.target = path(endpoint, "users/" + std::to_string(user_id));
  request.headers = {{"Content-Type", std::string(kFormContentType)},
                     {"CB-SDK", std::string(kSdkHeader)},
                     {"CB-Token", std::string(token)}};
  request.retry_safe = true;
  return request;
}

OutgoingRequest update_user(const Endpoint& endpoint, std::int64_t user_id, std::string_view token,
                            const UserUpdate& update) {
  json::object user;
  if (update.full_name) {
    user["full_name"] = *update.full_name;
  }
  if (update.password_change) {
    user["password"] = update.password_change->password;
    user["old_password"] = update.password_change->old_password;
  }
  json::object body;
  body["user"] = std::move(user);
  OutgoingRequest request;
  request.method = "PUT";
  request.target = path(endpoint, "users/" + std::to_string(user_id));
  request.headers = {{"Content-Type", std::string(kJsonContentType)},
                     {"CB-SDK", std::string(kSdkHeader)},
                     {"CB-Token", std::string(token)}};
  request.body = json::serialize(body);
  // Setting a full name twice is harmless; a password change resent after a lost answer
  // would meet "old_password is invalid" and hide that the first one worked.
  request.retry_safe = !update.password_change.has_value();
  return request;
}

OutgoingRequest delete_user(const Endpoint& endpoint, std::int64_t user_id,
                            std::string_view token) {
  OutgoingRequest request;
  request.method = "DELETE";
  request.target = path(endpoint, "users/" + std::to_string(user_id));
  // The SDK labels every non-POST/PUT request as a form, even without a body.
  request.headers = {{"Content-Type", std::string(kFormContentType)},
                     {"CB-SDK", std::string(kSdkHeader)},
                     {"CB-Token", std::string(token)}};
  request.retry_safe = true;  // DELETE is idempotent
  return request;
}

Result<Session, Error> parse_session(const IncomingResponse& response) {
  auto session = member_object(response, "session");
  if (!session) {
    return unexpected(std::move(session).error());
  }
  const json::value* token = session->if_contains("token");
  if (token == nullptr || !token->is_string() || token->get_string().empty()) {
    return unexpected(invalid_response_error("the session has no token", response.status));
  }
  const json::value* user_id = session->if_contains("user_id");
  const auto id = user_id == nullptr ? std::nullopt : as_int64(*user_id);
  if (!id || *id <= 0) {
    return unexpected(
        invalid_response_error("the session has no user_id (an application "
                               "session where a user session was asked for)",
                               response.status));
  }
  return Session{std::string(token->get_string()), *id};
}

OutgoingRequest create_private_dialog(const Endpoint& endpoint, std::string_view token,
                                      std::int64_t other_user_id) {
  json::object body;
  body["type"] = 3;
  body["occupants_ids"] = std::to_string(other_user_id);
  OutgoingRequest request;
  request.method = "POST";
  request.target = path(endpoint, "chat/Dialog");
  request.headers = {{"Content-Type", std::string(kJsonContentType)},
                     {"CB-SDK", std::string(kSdkHeader)},
                     {"CB-Token", std::string(token)}};
  request.body = json::serialize(body);
  request.retry_safe = true;  // one private dialog per pair: a resend returns the same one
  return request;
}

OutgoingRequest list_dialogs(const Endpoint& endpoint, std::string_view token,
                             const DialogQuery& query) {
  std::string parameters =
      "limit=" + std::to_string(query.limit) + "&skip=" + std::to_string(query.skip);
  if (query.type) {
    parameters += "&type=" + std::to_string(*query.type);
  }
  OutgoingRequest request;
  request.method = "GET";
  request.target = path(endpoint, "chat/Dialog");
  // The endpoint's own query (if any) comes first; ours follows it.
  request.target += (request.target.find('?') == std::string::npos ? "?" : "&") + parameters;
  request.headers = {{"Content-Type", std::string(kFormContentType)},
                     {"CB-SDK", std::string(kSdkHeader)},
                     {"CB-Token", std::string(token)}};
  request.retry_safe = true;
  return request;
}

Result<Dialog, Error> parse_dialog(const IncomingResponse& response) {
  auto object = body_object(response);
  if (!object) {
    return unexpected(std::move(object).error());
  }
  return dialog_from(*object, response.status);
}

Result<DialogPage, Error> parse_dialog_page(const IncomingResponse& response) {
  auto object = body_object(response);
  if (!object) {
    return unexpected(std::move(object).error());
  }
  const json::value* items = object->if_contains("items");
  if (items == nullptr || !items->is_array()) {
    return unexpected(invalid_response_error("the answer has no \"items\" array", response.status));
  }
  DialogPage page;
  const auto number = [&object](std::string_view key) {
    const json::value* value = object->if_contains(key);
    return value == nullptr ? 0 : as_int64(*value).value_or(0);
  };
  page.total_entries = number("total_entries");
  page.skip = static_cast<int>(number("skip"));
  page.limit = static_cast<int>(number("limit"));
  for (const json::value& item : items->get_array()) {
    if (!item.is_object()) {
      return unexpected(invalid_response_error("a dialog is not an object", response.status));
    }
    auto dialog = dialog_from(item.get_object(), response.status);
    if (!dialog) {
      return unexpected(std::move(dialog).error());
    }
    page.items.push_back(std::move(*dialog));
  }
  return page;
}

Result<std::string, Error> parse_session_token(const IncomingResponse& response) {
  auto session = member_object(response, "session");
  if (!session) {
    return unexpected(std::move(session).error());
  }
  const json::value* token = session->if_contains("token");
  if (token == nullptr || !token->is_string() || token->get_string().empty()) {
    return unexpected(invalid_response_error("the session has no token", response.status));
  }
  return std::string(token->get_string());
}

Result<User, Error> parse_user(const IncomingResponse& response) {
  auto user = member_object(response, "user");
  if (!user) {
    return unexpected(std::move(user).error());
  }
  const json::value* id = user->if_contains("id");
  const auto number = id == nullptr ? std::nullopt : as_int64(*id);
  if (!number || *number <= 0) {
    return unexpected(invalid_response_error("the user has no integer id", response.status));
  }
  const auto text = [&user](std::string_view key) {
    const json::value* value = user->if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->get_string())
                                                  : std::string();
  };
  return User{*number, text("login"), text("email"), text("full_name"), text("external_id")};
}

Result<std::int64_t, Error> parse_user_id(const IncomingResponse& response) {
  auto user = member_object(response, "user");
  if (!user) {
    return unexpected(std::move(user).error());
  }
  const json::value* id = user->if_contains("id");
  const auto number = id == nullptr ? std::nullopt : as_int64(*id);
  if (!number || *number <= 0) {
    return unexpected(invalid_response_error("the user has no integer id", response.status));
  }
  return *number;
}

}  // namespace cubeauth::connectycube::wire
