#include "params.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace cubeauth::connectycube::emulator {
namespace {

namespace json = boost::json;

/// Sets "user[login]" = value inside `target`; "ids[]" appends to an array.
void assign(json::object& target, const std::string& key, std::string value) {
  std::vector<std::string> path;
  const std::size_t open = key.find('[');
  path.push_back(key.substr(0, open));
  for (std::size_t at = open; at != std::string::npos && at < key.size();) {
    const std::size_t close = key.find(']', at);
    if (key[at] != '[' || close == std::string::npos) {
      break;
    }
    path.push_back(key.substr(at + 1, close - at - 1));
    at = close + 1;
  }
  json::object* node = &target;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    const bool next_is_array = path[i + 1].empty();
    json::value& child = (*node)[path[i]];
    if (next_is_array) {
      if (!child.is_array()) {
        child = json::array();
      }
      child.as_array().emplace_back(value);
      return;
    }
    if (!child.is_object()) {
      child = json::object();
    }
    node = &child.as_object();
  }
  (*node)[path.back()] = value;
}

void merge(json::object& into, const json::object& from) {
  for (const auto& [key, value] : from) {
    into[key] = value;
  }
}

void flatten(const json::value& value, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>& out) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.get_object()) {
      flatten(child, prefix.empty() ? std::string(key) : prefix + "[" + std::string(key) + "]",
              out);
    }
  } else if (value.is_array()) {
    for (const auto& child : value.get_array()) {
      flatten(child, prefix + "[]", out);
    }
  } else if (value.is_string()) {
    out.emplace_back(prefix, std::string(value.get_string()));
  } else if (!value.is_null()) {
    out.emplace_back(prefix, json::serialize(value));
  }
}

}  // namespace

namespace {

std::string form_decode(std::string_view text) {
  // Hand-written: Boost.URL refuses the raw '[' and ']' that form encoders leave in keys.
  std::string out;
  out.reserve(text.size());
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 &&
               hex(text[i + 2]) >= 0) {
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

json::object parse_form(std::string_view form) {
  json::object params;
  while (!form.empty()) {
    const std::size_t amp = form.find('&');
    const std::string_view pair = form.substr(0, amp);
    form = amp == std::string_view::npos ? std::string_view{} : form.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    const std::size_t equals = pair.find('=');
    const std::string key = form_decode(pair.substr(0, equals));
    const std::string value =
        equals == std::string_view::npos ? std::string() : form_decode(pair.substr(equals + 1));
    if (!key.empty()) {
      assign(params, key, value);
    }
  }
  return params;
}

std::optional<json::object> request_params(const http::Request& request) {
  const std::string_view target = request.target();
  const std::size_t question = target.find('?');
  json::object params =
      question == std::string_view::npos ? json::object() : parse_form(target.substr(question + 1));
  const std::string_view body = request.body();
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return params;
  }
  const std::string_view type = request[http::beast_http::field::content_type];
  if (type.find("json") != std::string_view::npos || body.front() == '{') {
    boost::system::error_code ec;
    json::value parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) {
      return std::nullopt;
    }
    merge(params, parsed.as_object());
  } else {
    merge(params, parse_form(body));
  }
  return params;
}

std::vector<std::pair<std::string, std::string>> flatten_for_signature(const json::object& params) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& [key, value] : params) {
    if (key != "signature") {
      flatten(value, std::string(key), pairs);
    }
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

std::string param_text(const json::object& params, std::string_view key) {
  const json::value* value = params.if_contains(key);
  if (value == nullptr || value->is_null() || value->is_object() || value->is_array()) {
    return "";
  }
  if (value->is_string()) {
    return std::string(value->get_string());
  }
  if (value->is_bool()) {
    return value->get_bool() ? "true" : "false";
  }
  return json::serialize(*value);
}

}  // namespace cubeauth::connectycube::emulator
