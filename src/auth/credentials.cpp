#include "auth/credentials.hpp"

#include "auth/password.hpp"
#include "store/email.hpp"

#include <fmt/format.h>

namespace cubeauth::auth {
namespace {

constexpr std::size_t kMaxNameCharacters = 100;
constexpr std::size_t kOldServerMinPassword = 6;

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

bool is_valid_local_part(std::string_view local) {
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return false;
  }
  for (unsigned char c : local) {
    if (is_control(c) || c == ' ' || std::string_view("\"(),:;<>[\\]@").find(static_cast<char>(c)) !=
                                         std::string_view::npos) {
      return false;
    }
  }
  return true;
}

bool is_valid_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) {
    return false;
  }
  std::size_t labels = 0;
  std::string_view last_label;
  while (!domain.empty()) {
    const auto dot = domain.find('.');
    const std::string_view label = domain.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (unsigned char c : label) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c >= 0x80;
      if (!ok) {
        return false;
      }
    }
    ++labels;
    last_label = label;
    if (dot == std::string_view::npos) {
      break;
    }
    domain.remove_prefix(dot + 1);
    if (domain.empty()) {
      return false;  // trailing dot
    }
  }
  if (labels < 2 || last_label.size() < 2) {
    return false;
  }
  for (char c : last_label) {
    if (c < '0' || c > '9') {
      return true;  // a top-level domain is not all digits
    }
  }
  return false;
}

/// Checks a name field; returns the trimmed text or a FieldError.
Result<std::string, FieldError> check_name(std::string_view field, std::string_view value) {
  const std::string_view trimmed = trim(value);
  if (trimmed.empty()) {
    return unexpected(FieldError{std::string(field), fmt::format("{} should not be empty", field)});
  }
  if (count_characters(trimmed) > kMaxNameCharacters) {
    return unexpected(FieldError{std::string(field), fmt::format("{} must be at most {} characters long",
                                                                 field, kMaxNameCharacters)});
  }
  for (unsigned char c : trimmed) {
    if (is_control(c)) {
      return unexpected(FieldError{std::string(field),
                                   fmt::format("{} must not contain control characters", field)});
    }
  }
  return std::string(trimmed);
}

}  // namespace

bool is_email_address(std::string_view email) {
  if (email.size() > 254) {
    return false;
  }
  const auto at = email.rfind('@');
  if (at == std::string_view::npos) {
    return false;
  }
  return is_valid_local_part(email.substr(0, at)) && is_valid_domain(email.substr(at + 1));
}

std::size_t count_characters(std::string_view utf8) {
  std::size_t count = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) {
      ++count;  // every byte but a continuation byte starts a character
    }
  }
  return count;
}

Result<Registration, FieldError> check_registration(Registration input, const PasswordRules& rules) {
  Registration checked;
  checked.email = store::normalize_email(input.email);
  if (!is_email_address(checked.email)) {
    return unexpected(FieldError{"email", "email must be an email"});
  }
  if (auto password = check_new_password("password", input.password, rules); !password) {
    return unexpected(std::move(password).error());
  }
  checked.password = std::move(input.password);
  auto names = check_names(input.first_name, input.last_name);
  if (!names) {
    return unexpected(std::move(names).error());
  }
  checked.first_name = std::move(names->first);
  checked.last_name = std::move(names->second);
  return checked;
}

Result<void, FieldError> check_new_password(std::string_view field, std::string_view password,
                                           const PasswordRules& rules) {
  const std::size_t characters = count_characters(password);
  if (characters < rules.min_length) {
    return unexpected(
        FieldError{std::string(field), fmt::format("{} must be at least {} characters long", field, rules.min_length)});
  }
  if (rules.max_length != 0 && characters > rules.max_length) {
    return unexpected(
        FieldError{std::string(field), fmt::format("{} must be at most {} characters long", field, rules.max_length)});
  }
  if (password.size() > kMaxPasswordBytes) {
    return unexpected(
        FieldError{std::string(field), fmt::format("{} must be at most {} bytes long", field, kMaxPasswordBytes)});
  }
  if (password.find('\0') != std::string_view::npos) {
    return unexpected(FieldError{std::string(field), fmt::format("{} must not contain a NUL character", field)});
  }
  return {};
}

Result<std::pair<std::string, std::string>, FieldError> check_names(std::string_view first_name,
                                                                    std::string_view last_name) {
  auto first = check_name("firstName", first_name);
  if (!first) {
    return unexpected(std::move(first).error());
  }
  auto last = check_name("lastName", last_name);
  if (!last) {
    return unexpected(std::move(last).error());
  }
  return std::pair{std::move(*first), std::move(*last)};
}

Result<void, FieldError> check_login(std::string_view normalized_email, std::string_view password) {
  if (!is_email_address(normalized_email)) {
    return unexpected(FieldError{"email", "email must be an email"});
  }
  if (count_characters(password) < kOldServerMinPassword) {
    return unexpected(FieldError{"password", fmt::format("password must be at least {} characters long",
                                                         kOldServerMinPassword)});
  }
  return {};
}

}  // namespace cubeauth::auth
