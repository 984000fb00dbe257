// The variables cubeauth is configured by: the process environment over an
// optional .env file (a variable that is set is never overridden by .env).
#pragma once

#include "common/result.hpp"

#include <map>
#include <string>
#include <string_view>

namespace cubeauth::app {

using Variables = std::map<std::string, std::string, std::less<>>;

/// Parses .env text: `NAME=value` lines, `#` comments, optional `export `, single or
/// double quotes (double quotes understand \n, \" and \\). Returns an error naming the line.
Result<Variables, std::string> parse_dotenv(std::string_view text);

/// The process environment merged over the .env file at `dotenv_path` (missing file: fine).
Result<Variables, std::string> read_environment(const std::string& dotenv_path, char** environ);

}  // namespace cubeauth::app
