#include "social/event_hub.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <random>
#include <utility>

#include "common/logging.hpp"
#include "store/event_channel.hpp"

namespace cubeauth::social {
namespace {

constexpr auto kNoThrow = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace

EventQueue::EventQueue(const boost::asio::any_io_executor& executor, EventHub* hub, std::string user_id)
    : executor_(executor), wakeup_(executor), hub_(hub), user_id_(std::move(user_id)) {}

EventQueue::~EventQueue() {
  if (!closed_ && hub_ != nullptr) {
    hub_->unregister(this);
  }
}

bool EventQueue::is_expired_event(const boost::json::value& event) {
  const auto* object = event.if_object();
  return object != nullptr && object->contains("__expired");
}

bool EventQueue::is_revoked_event(const boost::json::value& event) {
  const auto* object = event.if_object();
  return object != nullptr && object->contains("__revoked");
}

boost::asio::awaitable<std::optional<boost::json::value>> EventQueue::next() {
  for (;;) {
    if (closed_) {
      co_return std::nullopt;
    }
    if (revoked_) {
      close();
      co_return boost::json::value{{"__revoked", true}};
    }
    const auto now = std::chrono::system_clock::now();
    if (deadline_ && now >= *deadline_) {
      close();
      co_return boost::json::value{{"__expired", true}};
    }
    if (!pending_.empty()) {
      std::shared_ptr<const boost::json::value> event = std::move(pending_.front());
      pending_.pop_front();
      co_return boost::json::value(*event);
    }
    if (deadline_) {
      wakeup_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(*deadline_ - now));
    } else {
      wakeup_.expires_at(boost::asio::steady_timer::time_point::max());
    }
    co_await wakeup_.async_wait(kNoThrow);
  }
}

void EventQueue::close() {
  if (closed_) {
    return;
  }
  closed_ = true;
  pending_.clear();
  wakeup_.cancel();
  if (hub_ != nullptr) {
    hub_->unregister(this);
  }
}

void EventQueue::push(std::shared_ptr<const boost::json::value> event) {
  boost::asio::post(executor_, [self = shared_from_this(), event = std::move(event)]() mutable {
    self->enqueue(std::move(event));
  });
}

void EventQueue::revoke() {
  boost::asio::post(executor_, [self = shared_from_this()] {
    if (!self->closed_) {
      self->revoked_ = true;
      self->pending_.clear();
      self->wakeup_.cancel();
    }
  });
}

void EventQueue::enqueue(std::shared_ptr<const boost::json::value> event) {
  if (closed_ || revoked_) {
    return;
  }
  if (pending_.size() >= kMaxPending) {
    log::warn("events: a subscriber of user {} fell {} events behind and was closed", user_id_, kMaxPending);
    close();
    return;
  }
  pending_.push_back(std::move(event));
  wakeup_.cancel();
}

EventHub::EventHub(store::EventChannel* channel) : channel_(channel) {
  std::random_device random;
  sender_ = std::to_string(random()) + "-" + std::to_string(random());
}

EventHub::~EventHub() {
  stop();
  // Queues still alive must not call back into a destroyed hub.
  std::lock_guard lock(mutex_);
  for (auto& [user, queues] : subscribers_) {
    for (auto& weak : queues) {
      if (auto queue = weak.lock()) {
        queue->hub_ = nullptr;
      }
    }
  }
}

void EventHub::start() {
  if (channel_ != nullptr) {
    channel_->start([this](std::string_view message) { receive(message); });
  }
}

void EventHub::stop() {
  if (channel_ != nullptr) {
    channel_->stop();
  }
}

std::string EventHub::message_text(const std::string& user_id, const boost::json::value& event) const {
  boost::json::object message;
  message["p"] = sender_;
  message["u"] = user_id;
  message["e"] = event;
  return boost::json::serialize(message);
}

std::string EventHub::revocation_text(const std::string& user_id) const {
  boost::json::object message;
  message["p"] = sender_;
  message["r"] = user_id;
  return boost::json::serialize(message);
}

void EventHub::revoke(const std::string& user_id) {
  if (channel_ != nullptr) {
    std::string text = revocation_text(user_id);
    if (!channel_->publish(std::move(text))) {
      log::warn("events: the end of user {}'s subscriptions could not be sent to other processes; ended here only",
                user_id);
    }
  }
  revoke_local(user_id);
}

void EventHub::publish(const std::string& user_id, boost::json::value event) {
  // This process's subscribers at once (whatever the channel is doing), the others
  // through the channel; this process skips its own messages when they come back.
  if (channel_ != nullptr) {
    std::string text = message_text(user_id, event);
    if (!channel_->publish(std::move(text))) {
      log::warn("events: an event for user {} could not be sent to other processes; delivered here only", user_id);
    }
  }
  deliver_local(user_id, std::make_shared<const boost::json::value>(std::move(event)));
}

void EventHub::receive(std::string_view message) {
  boost::system::error_code error;
  boost::json::value parsed = boost::json::parse(message, error);
  const boost::json::object* object = error ? nullptr : parsed.if_object();
  const boost::json::value* sender = object ? object->if_contains("p") : nullptr;
  if (sender != nullptr && sender->is_string() && sender->as_string() == sender_) {
    return;  // ours: delivered when published
  }
  const boost::json::value* revoked = object ? object->if_contains("r") : nullptr;
  if (revoked != nullptr && revoked->is_string()) {
    const std::string user_id(revoked->as_string());
    revoke_local(user_id);
    return;
  }
  const boost::json::value* user = object ? object->if_contains("u") : nullptr;
  const boost::json::value* event = object ? object->if_contains("e") : nullptr;
  if (user == nullptr || !user->is_string() || event == nullptr) {
    log::warn("events: ignored a message that is not an event ({} bytes)", message.size());
    return;
  }
  const std::string user_id(user->as_string());
  deliver_local(user_id, std::make_shared<const boost::json::value>(*event));
}

std::shared_ptr<EventQueue> EventHub::subscribe(const std::string& user_id,
                                                const boost::asio::any_io_executor& executor) {
  auto queue = std::make_shared<EventQueue>(executor, this, user_id);
  std::lock_guard lock(mutex_);
  auto& queues = subscribers_[user_id];
  // Entries of queues being destroyed right now: their own unregister will find none.
  count_ -= std::min(count_, static_cast<std::size_t>(std::erase_if(
                                 queues, [](const std::weak_ptr<EventQueue>& weak) { return weak.expired(); })));
  queues.push_back(queue);
  ++count_;
  return queue;
}

std::size_t EventHub::subscriber_count() const {
  std::lock_guard lock(mutex_);
  return count_;
}

std::vector<std::shared_ptr<EventQueue>> EventHub::queues_of(const std::string& user_id) const {
  std::vector<std::shared_ptr<EventQueue>> queues;
  std::lock_guard lock(mutex_);
  auto found = subscribers_.find(user_id);
  if (found == subscribers_.end()) {
    return queues;
  }
  queues.reserve(found->second.size());
  for (const auto& weak : found->second) {
    if (auto queue = weak.lock()) {
      queues.push_back(std::move(queue));
    }
  }
  return queues;
}

void EventHub::deliver_local(const std::string& user_id, std::shared_ptr<const boost::json::value> event) {
  for (const auto& queue : queues_of(user_id)) {
    queue->push(event);
  }
}

void EventHub::revoke_local(const std::string& user_id) {
  const auto queues = queues_of(user_id);
  if (!queues.empty()) {
    log::info("events: ended {} subscription(s) of user {} (access withdrawn)", queues.size(), user_id);
  }
  for (const auto& queue : queues) {
    queue->revoke();
  }
}

void EventHub::unregister(const EventQueue* queue) {
  std::lock_guard lock(mutex_);
  auto found = subscribers_.find(queue->user_id());
  if (found == subscribers_.end()) {
    return;
  }
  auto& queues = found->second;
  const auto before = queues.size();
  std::erase_if(queues, [queue](const std::weak_ptr<EventQueue>& weak) {
    auto locked = weak.lock();
    return !locked || locked.get() == queue;
  });
  // A queue being destroyed no longer locks: it went with the expired entries.
  count_ -= std::min(count_, before - queues.size());
  if (queues.empty()) {
    subscribers_.erase(found);
  }
}

}  // namespace cubeauth::social
