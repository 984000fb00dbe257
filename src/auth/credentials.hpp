// The input rules of register and login (CONTRACT section 4): which field is
// wrong and why, before anything is hashed, stored or sent to ConnectyCube.
#pragma once

#include "common/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace cubeauth::auth {

/// A refused input: the field as the client named it and a sentence for the client.
struct FieldError {
  std::string field;    ///< "email", "password", "firstName", "lastName"
  std::string message;  ///< "password must be at least 8 characters long"
};

struct PasswordRules {
  std::size_t min_length = 8;  ///< in characters (code points)
  /// 40 while passwords are synchronised with ConnectyCube (its clients refuse longer);
  /// 0 when not synchronised (then only the 72-byte bcrypt limit applies).
  std::size_t max_length = 40;
};

/// True for an address of the form local@domain.tld (UTF-8 allowed, no spaces or
/// control characters, at most 254 bytes, local part at most 64).
bool is_email_address(std::string_view normalized_email);

/// Length in Unicode code points of UTF-8 text (invalid bytes count one each).
std::size_t count_characters(std::string_view utf8);

struct Registration {
  std::string email;  ///< normalised
  std::string password;
  std::string first_name;
  std::string last_name;
};

/// Checks a registration; on success returns it with the email normalised and the
/// names trimmed.
Result<Registration, FieldError> check_registration(Registration input, const PasswordRules& rules);

/// The rules for a new password (registration, password change), naming `field` in the
/// error: at least rules.min_length characters, at most rules.max_length, at most 72
/// bytes (bcrypt's limit), no NUL.
Result<void, FieldError> check_new_password(std::string_view field, std::string_view password,
                                           const PasswordRules& rules);

/// firstName and lastName: trimmed, non-empty, bounded, no control characters.
Result<std::pair<std::string, std::string>, FieldError> check_names(std::string_view first_name,
                                                                    std::string_view last_name);

/// The login mutations keep the old server's check: an email address and a password
/// of at least 6 characters, so that no existing password is refused before comparing.
Result<void, FieldError> check_login(std::string_view normalized_email, std::string_view password);

}  // namespace cubeauth::auth
