#include "support/connectycube/fake_connectycube.hpp"

#include <algorithm>

namespace cubeauth::connectycube::testing {

void FakeConnectyCube::fail_next(Operation operation, Error error) {
  std::lock_guard lock(mutex_);
  failures_[operation].push_back(std::move(error));
}

void FakeConnectyCube::accept_login(std::string login, std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  logins_[std::move(login)] = user_id;
}

std::int64_t FakeConnectyCube::add_user(std::string email, std::string password) {
  std::lock_guard lock(mutex_);
  const std::int64_t id = next_id_++;
  users_[std::move(email)] = User{id, std::move(password)};
  return id;
}

std::vector<FakeConnectyCube::Call> FakeConnectyCube::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

std::size_t FakeConnectyCube::call_count(Operation operation) const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(calls_.begin(), calls_.end(),
                    [operation](const Call& call) { return call.operation == operation; }));
}

std::optional<std::int64_t> FakeConnectyCube::user_id_of(const std::string& email) const {
  std::lock_guard lock(mutex_);
  const auto found = users_.find(email);
  return found == users_.end() ? std::nullopt : std::optional(found->second.id);
}

std::size_t FakeConnectyCube::user_count() const {
  std::lock_guard lock(mutex_);
  return users_.size();
}

std::optional<Error> FakeConnectyCube::scripted_failure(Operation operation) {
  auto& queue = failures_[operation];
  if (queue.empty()) {
    return std::nullopt;
  }
  Error error = std::move(queue.front());
  queue.pop_front();
  return error;
}

Result<Session, Error> FakeConnectyCube::session_for(const std::string& email,
                                                     const std::string& password) {
  const auto found = users_.find(email);
  if (found == users_.end()) {
    return unexpected(
        Error{ErrorKind::kNotFound, 404, "fake: User not found", {{"base", {"User not found"}}}});
  }
  if (found->second.password != password) {
    return unexpected(Error{
        ErrorKind::kUnauthorized, 401, "fake: Invalid password", {{"base", {"Invalid password"}}}});
  }
  return Session{"FAKE-TOKEN-" + std::to_string(next_token_++), found->second.id};
}

boost::asio::awaitable<Result<std::int64_t, Error>> FakeConnectyCube::sign_up(
    std::string email, std::string password, std::string full_name) {
  std::lock_guard lock(mutex_);
  calls_.push_back({Operation::kSignUp, email, password, full_name, 0});
  if (auto failure = scripted_failure(Operation::kSignUp)) {
    co_return unexpected(std::move(*failure));
  }
  if (users_.contains(email)) {
    co_return unexpected(Error{
        ErrorKind::kTaken, 422, "fake: email taken", {{"email", {"has already been taken"}}}});
  }
  const std::int64_t id = next_id_++;
  users_[email] = User{id, password};
  co_return id;
}

boost::asio::awaitable<Result<Session, Error>> FakeConnectyCube::create_session_with_email(
    std::string email, std::string password) {
  std::lock_guard lock(mutex_);
  calls_.push_back({Operation::kSessionWithEmail, email, password, "", 0});
  if (auto failure = scripted_failure(Operation::kSessionWithEmail)) {
    co_return unexpected(std::move(*failure));
  }
  co_return session_for(email, password);
}

boost::asio::awaitable<Result<Session, Error>> FakeConnectyCube::create_session_with_login(
    std::string login, std::string password) {
  std::lock_guard lock(mutex_);
  calls_.push_back({Operation::kSessionWithLogin, login, password, "", 0});
  if (auto failure = scripted_failure(Operation::kSessionWithLogin)) {
    co_return unexpected(std::move(*failure));
  }
  const auto found = logins_.find(login);
  if (found == logins_.end()) {
    co_return unexpected(
        Error{ErrorKind::kInvalidInput,
              422,
              "fake: identity provider refused the token",
              {{"base", {"Bad Authentication data. Unauthorized on remote side. Status: 401."}}}});
  }
  co_return Session{"FAKE-TOKEN-" + std::to_string(next_token_++), found->second};
}

boost::asio::awaitable<Result<void, Error>> FakeConnectyCube::delete_user(std::int64_t user_id,
                                                                          std::string email,
                                                                          std::string password) {
  std::lock_guard lock(mutex_);
  calls_.push_back({Operation::kDeleteUser, email, password, "", user_id});
  if (auto failure = scripted_failure(Operation::kDeleteUser)) {
    co_return unexpected(std::move(*failure));
  }
  auto session = session_for(email, password);
  if (!session) {
    co_return unexpected(std::move(session).error());
  }
  if (session->user_id != user_id) {
    co_return unexpected(Error{ErrorKind::kUnauthorized, 403, "fake: can delete only oneself", {}});
  }
  users_.erase(email);
  co_return Result<void, Error>{};
}

}  // namespace cubeauth::connectycube::testing
