#include "graphql/request/document_cache.hpp"

namespace cubeauth::graphql {

std::shared_ptr<const PreparedDocument> DocumentCache::find(std::string_view text) {
  std::lock_guard lock(mutex_);
  auto it = index_.find(text);
  if (it == index_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->prepared;
}

void DocumentCache::insert(std::string_view text, std::shared_ptr<const PreparedDocument> prepared) {
  if (capacity_ == 0) {
    return;
  }
  std::lock_guard lock(mutex_);
  auto it = index_.find(text);
  if (it != index_.end()) {
    it->second->prepared = std::move(prepared);
    entries_.splice(entries_.begin(), entries_, it->second);
    return;
  }
  if (entries_.size() >= capacity_) {
    index_.erase(entries_.back().text);
    entries_.pop_back();
  }
  entries_.push_front(Entry{std::string(text), std::move(prepared)});
  index_.emplace(entries_.front().text, entries_.begin());
}

std::size_t DocumentCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::size_t DocumentCache::hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}

std::size_t DocumentCache::misses() const {
  std::lock_guard lock(mutex_);
  return misses_;
}

}  // namespace cubeauth::graphql
