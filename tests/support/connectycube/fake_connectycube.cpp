#include "support/connectycube/fake_connectycube.hpp"

#include <algorithm>

namespace cubeauth::connectycube::testing {
namespace {

Error session_gone() {
  return Error{ErrorKind::kUnauthorized,
               401,
               "fake: Required session does not exist",
               {{"base", {"Required session does not exist"}}}};
}

Error forbidden() {
  return Error{ErrorKind::kUnauthorized,
               403,
               "fake: Forbidden. Need user.",
               {{"base", {"Forbidden. Need user."}}}};
}

Error user_not_found() {
  return Error{ErrorKind::kNotFound, 404, "fake: User not found", {{"base", {"User not found"}}}};
}

Error invalid(std::string field, std::string message) {
  return Error{ErrorKind::kInvalidInput,
               422,
               "fake: " + field + " " + message,
               {{std::move(field), {std::move(message)}}}};
}

}  // namespace

void FakeConnectyCube::fail_next(Operation operation, Error error) {
  std::lock_guard lock(mutex_);
  failures_[operation].push_back(Scripted{std::move(error), false});
}

void FakeConnectyCube::fail_next_after_effect(Operation operation, Error error) {
  std::lock_guard lock(mutex_);
  failures_[operation].push_back(Scripted{std::move(error), true});
}

void FakeConnectyCube::accept_login(std::string login, std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  logins_[std::move(login)] = user_id;
}

std::int64_t FakeConnectyCube::add_user(std::string email, std::string password,
                                        std::string full_name) {
  std::lock_guard lock(mutex_);
  const std::int64_t id = next_id_++;
  users_[id] = FakeUser{id, std::move(email), "", std::move(password), std::move(full_name)};
  return id;
}

void FakeConnectyCube::expire_sessions() {
  std::lock_guard lock(mutex_);
  sessions_.clear();
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
  for (const auto& [id, user] : users_) {
    if (!user.email.empty() && user.email == email) {
      return id;
    }
  }
  return std::nullopt;
}

std::optional<FakeConnectyCube::FakeUser> FakeConnectyCube::user(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  const auto found = users_.find(id);
  return found == users_.end() ? std::nullopt : std::optional(found->second);
}

std::size_t FakeConnectyCube::user_count() const {
  std::lock_guard lock(mutex_);
  return users_.size();
}

std::size_t FakeConnectyCube::dialog_count() const {
  std::lock_guard lock(mutex_);
  return dialogs_.size();
}

std::optional<FakeConnectyCube::Scripted> FakeConnectyCube::scripted_failure(Operation operation) {
  auto& queue = failures_[operation];
  if (queue.empty()) {
    return std::nullopt;
  }
  Scripted scripted = std::move(queue.front());
  queue.pop_front();
  return scripted;
}

FakeConnectyCube::FakeUser* FakeConnectyCube::find_by_email(const std::string& email) {
  for (auto& [id, user] : users_) {
    if (!user.email.empty() && user.email == email) {
      return &user;
    }
  }
  return nullptr;
}

Session FakeConnectyCube::open_session(std::int64_t user_id) {
  Session session{"FAKE-TOKEN-" + std::to_string(next_token_++), user_id};
  sessions_[session.token] = user_id;
  return session;
}

Result<Session, Error> FakeConnectyCube::session_for(const std::string& email,
                                                     const std::string& password) {
  const FakeUser* found = find_by_email(email);
  if (found == nullptr) {
    return unexpected(
        Error{ErrorKind::kNotFound, 404, "fake: User not found", {{"base", {"User not found"}}}});
  }
  if (found->password != password) {
    return unexpected(Error{
        ErrorKind::kUnauthorized, 401, "fake: Invalid password", {{"base", {"Invalid password"}}}});
  }
  return open_session(found->id);
}

boost::asio::awaitable<Result<std::int64_t, Error>> FakeConnectyCube::sign_up(
    std::string email, std::string password, std::string full_name) {
  std::lock_guard lock(mutex_);
  calls_.push_back({Operation::kSignUp, email, password, full_name, 0});
  if (auto failure = scripted_failure(Operation::kSignUp)) {
    co_return unexpected(std::move(failure->error));
  }
  if (find_by_email(email) != nullptr) {
    co_return unexpected(Error{
        ErrorKind::kTaken, 422, "fake: email taken", {{"email", {"has already been taken"}}}});
  }
  const std::int64_t id = next_id_++;
  users_[id] = FakeUser{id, email, "", password, full_name};
  co_return id;
}

boost::asio::awaitable<Result<Session, Error>> FakeConnectyCube::create_session_with_email(
    std::string email, std::string password) {
  std::lock_guard lock(mutex_);
  calls_.push_back({Operation::kSessionWithEmail, email, password, "", 0});
  if (auto failure = scripted_failure(Operation::kSessionWithEmail)) {
    co_return unexpected(std::move(failure->error));
  }
  co_return session_for(email, password);
}

boost::asio::awaitable<Result<Session, Error>> FakeConnectyCube::create_session_with_login(
    std::string login, std::string password) {
  std::lock_guard lock(mutex_);
  calls_.push_back({Operation::kSessionWithLogin, login, password, "", 0});
  if (auto failure = scripted_failure(Operation::kSessionWithLogin)) {
    co_return unexpected(std::move(failure->error));
  }
  const auto found = logins_.find(login);
  if (found == logins_.end()) {
    co_return unexpected(
        Error{ErrorKind::kInvalidInput,
              422,
              "fake: identity provider refused the token",
              {{"base", {"Bad Authentication data. Unauthorized on remote side. Status: 401."}}}});
  }
  const std::int64_t id = found->second;
  if (!users_.contains(id)) {  // as the service creates a CIdP user on its first session
    users_[id] = FakeUser{id, "", login, std::nullopt, ""};
    next_id_ = std::max(next_id_, id + 1);
  }
  co_return open_session(id);
}

boost::asio::awaitable<Result<User, Error>> FakeConnectyCube::update_user(std::string session_token,
                                                                          std::int64_t user_id,
                                                                          UserUpdate update) {
  std::lock_guard lock(mutex_);
  calls_.push_back({Operation::kUpdateUser, "", "", "", user_id, session_token, update});
  auto failure = scripted_failure(Operation::kUpdateUser);
  if (failure && !failure->after_effect) {
    co_return unexpected(std::move(failure->error));
  }
  const auto session = sessions_.find(session_token);
  if (session == sessions_.end()) {
    co_return unexpected(session_gone());
  }
  if (session->second != user_id) {
    co_return unexpected(forbidden());
  }
  FakeUser& user = users_.at(user_id);  // a live session's user exists
  if (update.full_name && (update.full_name->empty() || update.full_name->size() > 200)) {
    co_return unexpected(invalid("full_name", update.full_name->empty()
                                                  ? "is too short (minimum is 1 characters)"
                                                  : "is too long (maximum is 200 characters)"));
  }
  if (const auto& change = update.password_change) {
    if (change->old_password.empty()) {
      co_return unexpected(invalid("old_password", "can't be blank"));
    }
    if (user.password != change->old_password) {
      co_return unexpected(invalid("old_password", "is invalid"));
    }
    if (change->password.size() < 6) {
      co_return unexpected(invalid("password", "is too short (minimum is 6 characters)"));
    }
    if (change->password.size() > 40) {
      co_return unexpected(invalid("password", "is too long (maximum is 40 characters)"));
    }
    user.password = change->password;
  }
  if (update.full_name) {
    user.full_name = *update.full_name;
  }
  if (failure) {
    co_return unexpected(std::move(failure->error));
  }
  co_return User{user.id, user.login, user.email, user.full_name, ""};
}

Result<void, Error> FakeConnectyCube::remove_user(const std::string& token, std::int64_t user_id) {
  const auto session = sessions_.find(token);
  const bool gone = !users_.contains(user_id);
  if (session == sessions_.end()) {
    // The real client asks whether the user still exists after a 401.
    return unexpected(gone ? user_not_found() : session_gone());
  }
  if (gone) {
    return unexpected(user_not_found());
  }
  if (session->second != user_id) {
    return unexpected(forbidden());
  }
  users_.erase(user_id);
  std::erase_if(sessions_, [user_id](const auto& entry) { return entry.second == user_id; });
  return {};
}

boost::asio::awaitable<Result<void, Error>> FakeConnectyCube::delete_user_in_session(
    std::string session_token, std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  calls_.push_back({Operation::kDeleteUserInSession, "", "", "", user_id, session_token});
  auto failure = scripted_failure(Operation::kDeleteUserInSession);
  if (failure && !failure->after_effect) {
    co_return unexpected(std::move(failure->error));
  }
  auto removed = remove_user(session_token, user_id);
  if (failure && removed) {
    co_return unexpected(std::move(failure->error));
  }
  co_return removed;
}

boost::asio::awaitable<Result<Dialog, Error>> FakeConnectyCube::create_private_dialog(
    std::string session_token, std::int64_t other_user_id) {
  std::lock_guard lock(mutex_);
  Call call{Operation::kCreatePrivateDialog, "", "", "", 0, session_token};
  call.other_user_id = other_user_id;
  calls_.push_back(std::move(call));
  auto failure = scripted_failure(Operation::kCreatePrivateDialog);
  if (failure && !failure->after_effect) {
    co_return unexpected(std::move(failure->error));
  }
  const auto session = sessions_.find(session_token);
  if (session == sessions_.end()) {
    co_return unexpected(session_gone());
  }
  const std::int64_t self = session->second;
  if (other_user_id == self || !users_.contains(other_user_id)) {
    co_return unexpected(Error{ErrorKind::kInvalidInput,
                               422,
                               "fake: Occupants_ids is missing opponent ID.",
                               {{"base", {"Occupants_ids is missing opponent ID."}}}});
  }
  const std::vector<std::int64_t> pair{std::min(self, other_user_id),
                                       std::max(self, other_user_id)};
  auto found = std::find_if(dialogs_.begin(), dialogs_.end(), [&pair](const Dialog& dialog) {
    return dialog.type == 3 && dialog.occupants_ids == pair;
  });
  if (found == dialogs_.end()) {
    std::string id = std::to_string(dialogs_.size() + 1);
    id.insert(0, 24 - id.size(), '0');
    dialogs_.push_back(
        Dialog{std::move(id), 3, self, pair, "", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"});
    found = std::prev(dialogs_.end());
  }
  if (failure) {
    co_return unexpected(std::move(failure->error));
  }
  co_return *found;
}

boost::asio::awaitable<Result<DialogPage, Error>> FakeConnectyCube::list_dialogs(
    std::string session_token, DialogQuery query) {
  std::lock_guard lock(mutex_);
  calls_.push_back({Operation::kListDialogs, "", "", "", 0, session_token});
  if (auto failure = scripted_failure(Operation::kListDialogs)) {
    co_return unexpected(std::move(failure->error));
  }
  const auto session = sessions_.find(session_token);
  if (session == sessions_.end()) {
    co_return unexpected(session_gone());
  }
  DialogPage page;
  page.skip = query.skip;
  page.limit = std::clamp(query.limit, 1, 100);
  for (const Dialog& dialog : dialogs_) {
    const bool mine = std::find(dialog.occupants_ids.begin(), dialog.occupants_ids.end(),
                                session->second) != dialog.occupants_ids.end();
    if (!mine || (query.type && dialog.type != *query.type)) {
      continue;
    }
    if (page.total_entries++ >= query.skip &&
        page.items.size() < static_cast<std::size_t>(page.limit)) {
      page.items.push_back(dialog);
    }
  }
  co_return page;
}

boost::asio::awaitable<Result<void, Error>> FakeConnectyCube::delete_user(std::int64_t user_id,
                                                                          std::string email,
                                                                          std::string password) {
  std::lock_guard lock(mutex_);
  calls_.push_back({Operation::kDeleteUser, email, password, "", user_id});
  auto failure = scripted_failure(Operation::kDeleteUser);
  if (failure && !failure->after_effect) {
    co_return unexpected(std::move(failure->error));
  }
  auto session = session_for(email, password);
  if (!session) {
    co_return unexpected(std::move(session).error());
  }
  auto removed = remove_user(session->token, user_id);
  if (failure && removed) {
    co_return unexpected(std::move(failure->error));
  }
  co_return removed;
}

}  // namespace cubeauth::connectycube::testing
