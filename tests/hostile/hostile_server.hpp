// Shared by the hostile-input tests: the real cubeauth binary with short limits and
// timeouts, what its process uses (/proc), and a check that other clients are still served.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include "e2e/api_client.hpp"
#include "support/raw_client.hpp"

namespace cubeauth::testing {

/// Limits small enough that a test reaches them in milliseconds.
inline constexpr std::size_t kHostileHeaderLimit = 4096;
inline constexpr std::size_t kHostileBodyLimit = 256 * 1024;
inline constexpr std::chrono::milliseconds kHostileHeaderTimeout{1500};
inline constexpr std::chrono::milliseconds kHostileBodyTimeout{1500};
inline constexpr std::chrono::milliseconds kHostileIdleTimeout{1000};

/// The environment of a hostile test server: the limits above (Cubeauth adds two I/O
/// threads, bcrypt cost 4, a fresh SQLite file); `extra` adds or overrides variables.
std::map<std::string, std::string> hostile_environment(
    std::map<std::string, std::string> extra = {});

/// Kilobytes of a /proc/<pid>/status line ("VmHWM", "VmRSS"); 0 when unreadable.
std::size_t process_status_kb(int pid, const std::string& field);
/// Open file descriptors of a process.
std::size_t open_descriptors(int pid);

/// True when GET /healthz answers 200 on a new connection within `limit`.
bool served_within(std::uint16_t port, std::chrono::milliseconds limit);

/// The raw bytes of one request on a new connection and everything the server sends back
/// until it closes (or `timeout`).
std::string exchange(std::uint16_t port, const std::string& bytes,
                     std::chrono::milliseconds timeout = std::chrono::seconds(5));

/// Number of HTTP status lines in raw response bytes.
std::size_t count_responses(const std::string& bytes);

/// A POST /api with a raw body (JSON or not) and the parsed answer.
GraphqlAnswer post_raw_graphql(std::uint16_t port, const std::string& body);

}  // namespace cubeauth::testing
