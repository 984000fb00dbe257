#include "http/detail/http_date.hpp"

#include <ctime>

namespace cubeauth::http::detail {

std::string_view http_date_now() {
  thread_local std::time_t cached_second = 0;
  thread_local char text[40];
  thread_local std::size_t size = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    size = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    cached_second = now;
  }
  return {text, size};
}

}  // namespace cubeauth::http::detail
