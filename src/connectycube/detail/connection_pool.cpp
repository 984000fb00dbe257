#include "connectycube/detail/connection_pool.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace cubeauth::connectycube::detail {

bool Connection::still_open() {
  auto& socket = tcp().socket();
  if (!socket.is_open()) {
    return false;
  }
  char byte = 0;
  const auto peeked = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  // 0: orderly close; > 0: unsolicited bytes (the stream is out of step); -1 EAGAIN: alive.
  return peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

std::unique_ptr<Connection> ConnectionPool::take(const std::string& key,
                                                 std::chrono::milliseconds max_idle) {
  std::unique_ptr<Connection> found;
  std::deque<std::unique_ptr<Connection>> stale;
  {
    std::lock_guard lock(mutex_);
    auto entry = idle_.find(key);
    if (entry == idle_.end()) {
      return nullptr;
    }
    const auto now = std::chrono::steady_clock::now();
    auto& idle = entry->second;
    while (!idle.empty()) {
      std::unique_ptr<Connection> candidate = std::move(idle.back());  // most recent first
      idle.pop_back();
      if (now - candidate->idle_since < max_idle && candidate->still_open()) {
        found = std::move(candidate);
        break;
      }
      stale.push_back(std::move(candidate));
    }
  }
  if (found) {
    found->reused = true;
  }
  return found;  // `stale` closes its connections here, outside the lock
}

void ConnectionPool::give(const std::string& key, std::unique_ptr<Connection> connection,
                          std::size_t limit) {
  connection->idle_since = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  auto& idle = idle_[key];
  if (idle.size() < limit) {
    idle.push_back(std::move(connection));
  }
}

void ConnectionPool::shutdown() {
  std::map<std::string, std::deque<std::unique_ptr<Connection>>> closing;
  {
    std::lock_guard lock(mutex_);
    closing.swap(idle_);
  }
}

}  // namespace cubeauth::connectycube::detail
