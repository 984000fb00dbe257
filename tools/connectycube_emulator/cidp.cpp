#include "cidp.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace cubeauth::connectycube::emulator {
namespace {

namespace json = boost::json;

void replace_all(std::string& text, std::string_view from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

std::string text_of(const json::value& value, const std::string& login,
                    const std::string& password) {
  return value.is_string() ? substitute(std::string(value.get_string()), login, password)
                           : json::serialize(value);
}

json::object refusal(int status, const std::string& body) {
  // The service's wording, seen in public logs (connectycube-api.md 4.3).
  std::string message =
      "Bad Authentication data. Unauthorized on remote side. Status: " + std::to_string(status) +
      ".";
  message += body.empty() ? "With empty response" : "Response \"" + body + "\"";
  return json::object{{"errors", json::array{json::value(message)}}};
}

}  // namespace

std::string substitute(std::string text, const std::string& login, const std::string& password) {
  replace_all(text, "#{login}", login);
  replace_all(text, "#{password}", password);
  return text;
}

std::string extract(const json::value& document, std::string_view path_template) {
  if (path_template.size() < 3 || path_template.substr(0, 2) != "#{" ||
      path_template.back() != '}') {
    return "";
  }
  std::string_view path = path_template.substr(2, path_template.size() - 3);
  const json::value* node = &document;
  while (!path.empty()) {
    const std::size_t dot = path.find('.');
    const std::string_view key = path.substr(0, dot);
    if (!node->is_object()) {
      return "";
    }
    node = node->as_object().if_contains(key);
    if (node == nullptr) {
      return "";
    }
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  }
  if (node->is_string()) {
    return std::string(node->get_string());
  }
  if (node->is_number()) {
    return json::serialize(*node);
  }
  return "";
}

boost::asio::awaitable<Result<CidpIdentity, json::object>> verify_with_cidp(
    const CidpOptions& options, HttpClient& http, const std::string& login,
    const std::string& password) {
  auto endpoint = parse_endpoint(options.endpoint);
  if (!endpoint) {
    co_return unexpected(refusal(0, ""));
  }
  OutgoingRequest request;
  request.method = options.method;
  request.retry_safe = false;
  for (const auto& [name, value] : options.headers) {
    request.headers.emplace_back(std::string(name), text_of(value, login, password));
  }
  json::object params;
  std::string query = endpoint->query;
  for (const auto& [name, value] : options.request_params) {
    const std::string text = text_of(value, login, password);
    params[name] = text;
    if (!query.empty()) {
      query += '&';
    }
    query += boost::urls::encode(name, boost::urls::unreserved_chars) + "=" +
             boost::urls::encode(text, boost::urls::unreserved_chars);
  }
  request.target = endpoint->base_path.empty() ? "/" : endpoint->base_path;
  if (options.method == "GET" || options.method == "DELETE") {
    if (!query.empty()) {
      request.target += "?" + query;
    }
  } else {
    if (!endpoint->query.empty()) {
      request.target += "?" + endpoint->query;
    }
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = json::serialize(params);
  }
  request.headers.emplace_back("Accept", "application/json");

  auto response = co_await http.send(*endpoint, std::move(request));
  if (!response) {
    co_return unexpected(refusal(response.error().http_status, ""));
  }
  if (response->status < 200 || response->status > 299) {
    co_return unexpected(refusal(response->status, response->body));
  }
  boost::system::error_code ec;
  const json::value document = json::parse(response->body, ec);
  CidpIdentity identity;
  if (!ec) {
    for (const auto& [field, path] : options.response_params) {
      if (!path.is_string()) {
        continue;
      }
      const std::string value = extract(document, path.get_string());
      if (field == "uid") {
        identity.uid = value;
      } else if (field == "login") {
        identity.login = value;
      } else if (field == "email") {
        identity.email = value;
      } else if (field == "full_name") {
        identity.full_name = value;
      }
    }
  }
  if (identity.uid.empty()) {
    co_return unexpected(json::object{
        {"errors",
         json::object{{"base", json::array{"Custom Identity Provider uid is required"}}}}});
  }
  co_return identity;
}

}  // namespace cubeauth::connectycube::emulator
