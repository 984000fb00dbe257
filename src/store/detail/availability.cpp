#include "store/detail/availability.hpp"

#include "common/logging.hpp"

namespace cubeauth::store::detail {

void Availability::report_unavailable(std::string_view why) {
  if (state_.exchange(2) != 2) {
    // Driver texts span lines (libpq's do): one log line per event.
    std::string line;
    bool space = false;
    for (char c : why) {
      const bool blank = c == '\n' || c == '\r' || c == '\t' || c == ' ';
      if (blank) {
        space = !line.empty();
        continue;
      }
      if (space) {
        line += ' ';
        space = false;
      }
      line += c;
    }
    log::error("{}: database unavailable: {}", store_, line);
  }
}

void Availability::report_available() {
  if (state_.exchange(1) == 2) {
    log::info("{}: database reachable again", store_);
  }
}

}  // namespace cubeauth::store::detail
