// The ConnectyCube emulator as an embeddable server: the emulated REST API plus test
// controls under /_emulator/ (inject failures, latency, dropped connections; list the
// requests received; reset). The binary (main.cpp) and the tests both run it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "emulator_options.hpp"

namespace boost::asio {
class io_context;
}

namespace cubeauth::connectycube::emulator {

class Emulator {
 public:
  Emulator(boost::asio::io_context& io, EmulatorOptions options);
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  /// Binds and listens; the error names the address.
  Result<void, std::string> listen();
  std::uint16_t port() const;
  /// Starts accepting on the io_context (run it to serve).
  void start();
  /// Closes the listener; connections end with their current request.
  void stop();

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace cubeauth::connectycube::emulator
