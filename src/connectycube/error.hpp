// The failures a ConnectyCube call can end in, as values: what kind of failure,
// the HTTP status seen (if any), a log text and the service's field messages.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cubeauth::connectycube {

enum class ErrorKind {
  /// 422 whose field errors on `email` or `login` say the value is already used.
  kTaken,
  /// Any other 422 (or a 400): the service refused the input; see field_messages.
  kInvalidInput,
  /// 401 or 403: wrong password, bad app credentials, missing/expired token, not allowed.
  kUnauthorized,
  /// 404: no such user (e.g. session creation with auto-create denied).
  kNotFound,
  /// The service could not be reached or did not answer in time, a connection broke
  /// mid-answer, a 5xx or a 429. Worth trying again later.
  kUnavailable,
  /// The service answered something that is not a usable answer: not HTTP, not JSON
  /// where JSON was due, an unexpected shape, or a body above the size limit.
  kInvalidResponse,
};

/// The stable lower-case name of `kind` ("taken", "invalid_input", ...), for logs.
std::string_view to_string(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::kUnavailable;
  int http_status = 0;  ///< 0 when no HTTP answer was received
  std::string message;  ///< log text; never shown to clients verbatim
  /// The service's {"errors": {field: [...]}}; an array of strings is kept under "base".
  std::map<std::string, std::vector<std::string>> field_messages;
};

/// Named makers, one per kind.
Error unavailable_error(std::string message, int http_status = 0);
Error invalid_response_error(std::string message, int http_status = 0);

/// The error for a non-2xx answer: maps the status and reads {"errors": ...} from `body`
/// (any body that is not that shape leaves field_messages empty).
Error error_from_response(int http_status, std::string_view body);

}  // namespace cubeauth::connectycube
