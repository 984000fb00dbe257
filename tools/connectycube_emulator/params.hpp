// Request parameters as the service accepts them: query string, form body or JSON body,
// with Rails-style brackets (user[login]=x) turned into nested objects.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/message.hpp"

namespace cubeauth::connectycube::emulator {

/// Every parameter of `request` (query first, then the body), or nullopt when the body
/// claims to be JSON and is not a JSON object.
std::optional<boost::json::object> request_params(const http::Request& request);

/// Decodes "a=1&user[login]=x" into {"a":"1","user":{"login":"x"}}.
boost::json::object parse_form(std::string_view form);

/// The legacy signature's pairs: every parameter except `signature`, nested keys in
/// brackets, raw values, sorted by key (connectycube-api.md 2.1).
std::vector<std::pair<std::string, std::string>> flatten_for_signature(
    const boost::json::object& params);

/// A parameter as text: strings as they are, numbers printed, others "".
std::string param_text(const boost::json::object& params, std::string_view key);

}  // namespace cubeauth::connectycube::emulator
