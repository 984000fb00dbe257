// Logs a database's reachability once per change (lost / back), not once per
// failed call, so an outage gives one clear line rather than a flood.
#pragma once

#include <atomic>
#include <string>
#include <string_view>
#include <utility>

namespace cubeauth::store::detail {

class Availability {
 public:
  /// `store` names the adapter in log lines ("postgres", "mongodb").
  explicit Availability(std::string store) : store_(std::move(store)) {}

  void report_unavailable(std::string_view why);
  void report_available();

 private:
  std::string store_;
  /// 0 unknown (start), 1 available, 2 unavailable.
  std::atomic<int> state_{0};
};

}  // namespace cubeauth::store::detail
