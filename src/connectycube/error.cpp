#include "connectycube/error.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>

namespace cubeauth::connectycube {
namespace {

namespace json = boost::json;

/// Reads {"errors": [...]} (kept under "base") or {"errors": {field: [...] | "..."}}.
std::map<std::string, std::vector<std::string>> parse_field_messages(std::string_view body) {
  std::map<std::string, std::vector<std::string>> fields;
  boost::system::error_code ec;
  const json::value document = json::parse(body, ec);
  if (ec || !document.is_object()) {
    return fields;
  }
  const json::value* errors = document.as_object().if_contains("errors");
  if (errors == nullptr) {
    return fields;
  }
  const auto add = [&fields](const std::string& field, const json::value& messages) {
    if (messages.is_string()) {
      fields[field].emplace_back(messages.get_string());
    } else if (messages.is_array()) {
      for (const json::value& message : messages.get_array()) {
        if (message.is_string()) {
          fields[field].emplace_back(message.get_string());
        }
      }
    }
  };
  if (errors->is_object()) {
    for (const auto& [field, messages] : errors->get_object()) {
      add(std::string(field), messages);
    }
  } else {
    add("base", *errors);
  }
  return fields;
}

bool says_taken(const std::vector<std::string>& messages) {
  return std::any_of(messages.begin(), messages.end(), [](std::string message) {
    std::transform(message.begin(), message.end(), message.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return message.find("taken") != std::string::npos ||
           message.find("already") != std::string::npos;
  });
}

std::string summary(int status, const std::map<std::string, std::vector<std::string>>& fields) {
  std::string text = "ConnectyCube answered " + std::to_string(status);
  for (const auto& [field, messages] : fields) {
    for (const std::string& message : messages) {
      text.append("; ").append(field).append(": ").append(message);
    }
  }
  return text;
}

}  // namespace

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kTaken:
      return "taken";
    case ErrorKind::kInvalidInput:
      return "invalid_input";
    case ErrorKind::kUnauthorized:
      return "unauthorized";
    case ErrorKind::kNotFound:
      return "not_found";
    case ErrorKind::kUnavailable:
      return "unavailable";
    case ErrorKind::kInvalidResponse:
      return "invalid_response";
  }
  return "unknown";
}

Error unavailable_error(std::string message, int http_status) {
  return Error{ErrorKind::kUnavailable, http_status, std::move(message), {}};
}

Error invalid_response_error(std::string message, int http_status) {
  return Error{ErrorKind::kInvalidResponse, http_status, std::move(message), {}};
}

Error error_from_response(int http_status, std::string_view body) {
  Error error;
  error.http_status = http_status;
  error.field_messages = parse_field_messages(body);
  error.message = summary(http_status, error.field_messages);
  if (http_status == 422) {
    const bool taken = std::any_of(
        error.field_messages.begin(), error.field_messages.end(), [](const auto& entry) {
          return (entry.first == "email" || entry.first == "login") && says_taken(entry.second);
        });
    error.kind = taken ? ErrorKind::kTaken : ErrorKind::kInvalidInput;
  } else if (http_status == 400) {
    error.kind = ErrorKind::kInvalidInput;
  } else if (http_status == 401 || http_status == 403) {
    error.kind = ErrorKind::kUnauthorized;
  } else if (http_status == 404) {
    error.kind = ErrorKind::kNotFound;
  } else if (http_status == 429 || http_status >= 500) {
    error.kind = ErrorKind::kUnavailable;
  } else {
    error.kind = ErrorKind::kInvalidResponse;
  }
  return error;
}

}  // namespace cubeauth::connectycube
