#include "store/store_config.hpp"

#include <algorithm>
#include <cctype>

namespace cubeauth::store {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool has_scheme(std::string_view url, std::string_view scheme) {
  return lower(url.substr(0, scheme.size())) == scheme;
}

bool is_mongo(std::string_view url) {
  return has_scheme(url, "mongodb://") || has_scheme(url, "mongodb+srv://");
}

Result<StoreLocation, std::string> from_database_url(const std::string& url) {
  if (is_mongo(url)) {
    return StoreLocation{StoreKind::kMongo, url, "DATABASE_URL"};
  }
  if (has_scheme(url, "postgres://") || has_scheme(url, "postgresql://")) {
    return StoreLocation{StoreKind::kPostgres, url, "DATABASE_URL"};
  }
  if (has_scheme(url, "sqlite:")) {
    // sqlite:///abs/path -> /abs/path; sqlite://rel/path and sqlite:rel/path -> rel/path.
    std::string path = url.substr(std::string_view("sqlite:").size());
    if (path.starts_with("//")) {
      path.erase(0, 2);
    }
    if (const auto query = path.find('?'); query != std::string::npos) {
      path.erase(query);
    }
    if (path.empty() || path == ":memory:" || path.ends_with("/")) {
      return unexpected("DATABASE_URL: \"" + url +
                        "\" names no SQLite file (write sqlite:///absolute/path.db or "
                        "sqlite:relative/path.db)");
    }
    return StoreLocation{StoreKind::kSqlite, path, "DATABASE_URL"};
  }
  const auto colon = url.find(':');
  const std::string scheme = colon == std::string::npos ? url : url.substr(0, colon);
  return unexpected("DATABASE_URL: unsupported database \"" + scheme +
                    "\" (use sqlite:///path, postgres://..., mongodb://... or mongodb+srv://...)");
}

}  // namespace

std::string_view to_string(StoreKind kind) {
  switch (kind) {
    case StoreKind::kSqlite:
      return "sqlite";
    case StoreKind::kPostgres:
      return "postgres";
    case StoreKind::kMongo:
      return "mongodb";
  }
  return "unknown";
}

Result<StoreLocation, std::string> locate_store(const StoreConfig& config) {
  if (!config.database_url.empty()) {
    return from_database_url(config.database_url);
  }
  for (const auto& [name, value] :
       {std::pair<std::string, const std::string&>{"MONGODB_URL", config.mongodb_url},
        {"MONGO_URI", config.mongo_uri}}) {
    if (value.empty()) {
      continue;
    }
    if (!is_mongo(value)) {
      return unexpected(name + ": \"" + redact_url(value) +
                        "\" is no MongoDB connection string (mongodb://... or mongodb+srv://...)");
    }
    return StoreLocation{StoreKind::kMongo, value, name};
  }
  return StoreLocation{StoreKind::kSqlite, config.default_sqlite_path.string(), "default"};
}

std::string redact_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return std::string(url);
  }
  const auto authority = scheme_end + 3;
  const auto at = url.find('@', authority);
  const auto slash = url.find('/', authority);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) {
    return std::string(url);
  }
  const auto colon = url.find(':', authority);
  if (colon == std::string_view::npos || colon > at) {
    return std::string(url);
  }
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

}  // namespace cubeauth::store
