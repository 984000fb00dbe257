// Maps a method and an exact path to a handler. Later layers add routes; the
// server itself never changes for them.
#pragma once

#include "http/message.hpp"
#include "http/websocket.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cubeauth::http {

/// Decoded query-string parameters in their order of appearance.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// What a handler knows about the request it answers.
class RequestContext {
 public:
  RequestContext(const Request& request, std::string_view path, std::string_view query,
                 std::string_view request_id, boost::asio::ip::address remote)
      : request_(request), path_(path), raw_query_(query), request_id_(request_id),
        remote_(std::move(remote)) {}

  const Request& request() const { return request_; }
  /// The path without the query string, percent-decoding not applied.
  std::string_view path() const { return path_; }
  /// The first value of query parameter `name`, decoded; nullopt when absent.
  std::optional<std::string> query_param(std::string_view name) const;
  /// Every query parameter, decoded.
  const QueryParams& query() const;
  std::string_view request_id() const { return request_id_; }
  const boost::asio::ip::address& remote_address() const { return remote_; }

 private:
  const Request& request_;
  std::string_view path_;
  std::string_view raw_query_;
  std::string_view request_id_;
  boost::asio::ip::address remote_;
  mutable std::optional<QueryParams> query_;
};

using Handler = std::function<boost::asio::awaitable<Response>(RequestContext&)>;

class Router {
 public:
  /// Registers `handler` for `method` on exactly `path` (no trailing-slash folding).
  /// A GET route also answers HEAD.
  void add(Verb method, std::string path, Handler handler);

  struct Match {
    const Handler* handler = nullptr;  ///< null when nothing matches
    bool path_known = false;           ///< the path exists with another method (405)
    std::string allowed_methods;       ///< for the Allow header of a 405
  };
  Match match(Verb method, std::string_view path) const;

  /// Accepts WebSocket upgrades on exactly `path` (one route per path).
  void add_websocket(std::string path, WebSocketRoute route);
  /// The WebSocket route of `path`, or null.
  const WebSocketRoute* match_websocket(std::string_view path) const;

 private:
  struct Route {
    Verb method;
    Handler handler;
  };
  // Transparent hashing: a lookup by string_view allocates nothing.
  struct PathHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view path) const noexcept {
      return std::hash<std::string_view>{}(path);
    }
  };
  std::unordered_map<std::string, std::vector<Route>, PathHash, std::equal_to<>> routes_;
  std::unordered_map<std::string, WebSocketRoute, PathHash, std::equal_to<>> websocket_routes_;
};

}  // namespace cubeauth::http
