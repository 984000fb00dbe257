// Starts a real server binary (cubeauth, the ConnectyCube emulator) on a loopback
// port for end-to-end tests, learns its port from its log, and stops it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace cubeauth::testing {

class ServerProcess {
 public:
  /// `environment` is the child's whole environment (PATH is added). The child's
  /// stderr and stdout are collected; `ready_marker` is the text before the port
  /// ("listening on http://127.0.0.1:").
  ServerProcess(std::string binary, std::map<std::string, std::string> environment,
                std::vector<std::string> arguments = {},
                std::string ready_marker = "listening on http://127.0.0.1:",
                std::string working_directory = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  /// Waits until the marker appears (true) or the process exits or time runs out (false).
  bool wait_ready(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }

  /// Sends `signal`; returns the exit code once the process has exited (nullopt on timeout,
  /// -signal when killed by a signal).
  std::optional<int> stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(15));
  /// Waits for exit without signalling.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  /// Everything the process wrote so far.
  std::string output() const;
  /// Waits until the process's output holds `text` (true) or `timeout` passes (false).
  bool wait_for_output(std::string_view text,
                       std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

 private:
  void collect_output(int fd);

  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::string ready_marker_;
  mutable std::mutex mutex_;
  std::string output_;
  std::thread reader_;
  std::optional<int> exit_code_;
};

/// A fresh empty directory under the system temp folder, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace cubeauth::testing
