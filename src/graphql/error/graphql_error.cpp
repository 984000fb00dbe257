#include "graphql/error/graphql_error.hpp"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

namespace cubeauth::graphql {

boost::json::object to_json(const GraphQLError& error) {
  boost::json::object out;
  out.reserve(4);
  out["message"] = error.message;
  if (!error.locations.empty()) {
    boost::json::array locations;
    locations.reserve(error.locations.size());
    for (const auto& location : error.locations) {
      locations.push_back(boost::json::object{{"line", location.line}, {"column", location.column}});
    }
    out["locations"] = std::move(locations);
  }
  if (!error.path.empty()) {
    boost::json::array path;
    path.reserve(error.path.size());
    for (const auto& segment : error.path) {
      if (const auto* key = std::get_if<std::string>(&segment)) {
        path.emplace_back(*key);
      } else {
        path.emplace_back(std::get<std::size_t>(segment));
      }
    }
    out["path"] = std::move(path);
  }
  if (!error.extensions.empty()) {
    out["extensions"] = error.extensions;
  }
  return out;
}

}  // namespace cubeauth::graphql
