#include "store/detail/availability.hpp"

#include "common/logging.hpp"

namespace cubeauth::store::detail {

void Availability::report_unavailable(std::string_view why) {
  if (state_.exchange(2) != 2) {
    log::error("{}: database unavailable: {}", store_, why);
  }
}

void Availability::report_available() {
  if (state_.exchange(1) == 2) {
    log::info("{}: database reachable again", store_);
  }
}

}  // namespace cubeauth::store::detail
