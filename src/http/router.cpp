#include "http/router.hpp"

#include <boost/url/parse_query.hpp>

namespace cubeauth::http {

const QueryParams& RequestContext::query() const {
  if (!query_) {
    query_.emplace();
    // Boost 1.81's parse_query reads its argument as a C string (to the first NUL), so
    // it gets a NUL-terminated copy: a view into the request target would be overrun.
    const std::string terminated(raw_query_);
    if (auto params = boost::urls::parse_query(terminated)) {
      boost::urls::encoding_opts form;
      form.space_as_plus = true;  // browsers and form encoders send '+' for a space
      for (const auto& param : *params) {
        query_->emplace_back(param.key.decode(form), param.value.decode(form));
      }
    }
  }
  return *query_;
}

std::optional<std::string> RequestContext::query_param(std::string_view name) const {
  for (const auto& [key, value] : query()) {
    if (key == name) {
      return value;
    }
  }
  return std::nullopt;
}

void Router::add(Verb method, std::string path, Handler handler) {
  routes_[std::move(path)].push_back(Route{method, std::move(handler)});
}

Router::Match Router::match(Verb method, std::string_view path) const {
  Match result;
  const auto found = routes_.find(path);
  if (found == routes_.end()) {
    return result;
  }
  result.path_known = true;
  const Verb wanted = method == Verb::head ? Verb::get : method;
  for (const Route& route : found->second) {
    if (route.method == wanted) {
      result.handler = &route.handler;
      return result;
    }
  }
  for (const Route& route : found->second) {
    if (!result.allowed_methods.empty()) {
      result.allowed_methods += ", ";
    }
    result.allowed_methods += beast_http::to_string(route.method);
  }
  result.allowed_methods += ", OPTIONS";
  return result;
}

void Router::add_websocket(std::string path, WebSocketRoute route) {
  websocket_routes_[std::move(path)] = std::move(route);
}

const WebSocketRoute* Router::match_websocket(std::string_view path) const {
  const auto found = websocket_routes_.find(path);
  return found == websocket_routes_.end() ? nullptr : &found->second;
}

}  // namespace cubeauth::http
