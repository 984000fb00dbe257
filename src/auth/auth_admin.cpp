// AuthService: operations for admins (ADMIN_EMAILS): listing users, disabling and
// enabling accounts. The role is read from the store at each call, not only from the
// token, so an admin removed from ADMIN_EMAILS loses the rights at once.
#include "auth/auth_service.hpp"

#include "auth/detail/error_mapping.hpp"
#include "common/logging.hpp"
#include "store/user_store.hpp"

#include <algorithm>

namespace cubeauth::auth {
namespace {

using detail::from_store;

}  // namespace

boost::asio::awaitable<Result<store::User, AuthError>> AuthService::require_admin(const TokenClaims& caller) {
  if (!caller.has_role("admin")) {
    co_return unexpected(auth_error(AuthErrorKind::kForbidden));
  }
  auto authorized = co_await authorize(caller);
  if (!authorized) {
    co_return unexpected(std::move(authorized).error());
  }
  store::User admin = std::move(*authorized);
  const auto roles = co_await reconcile_roles(admin);
  if (std::find(roles.begin(), roles.end(), "admin") == roles.end()) {
    co_return unexpected(auth_error(AuthErrorKind::kForbidden));
  }
  co_return admin;
}

boost::asio::awaitable<Result<store::UserPage, AuthError>> AuthService::list_users(const TokenClaims& caller,
                                                                                  store::UserQuery query) {
  auto admin = co_await require_admin(caller);
  if (!admin) {
    co_return unexpected(std::move(admin).error());
  }
  query.limit = std::clamp<std::size_t>(query.limit, 1, 100);
  auto page = co_await users_.list_users(std::move(query));
  if (!page) {
    log::error("users: listing failed: {}", store::to_string(page.error()));
    co_return unexpected(from_store(page.error()));
  }
  co_return std::move(*page);
}

boost::asio::awaitable<Result<store::User, AuthError>> AuthService::set_user_disabled(const TokenClaims& caller,
                                                                                     std::string user_id,
                                                                                     bool disabled) {
  auto admin = co_await require_admin(caller);
  if (!admin) {
    co_return unexpected(std::move(admin).error());
  }
  if (disabled && user_id == admin->id) {
    co_return unexpected(AuthError{AuthErrorKind::kInvalidInput, "An admin cannot disable their own account.", "id"});
  }
  auto stored = co_await users_.set_disabled(user_id, disabled);
  if (!stored) {
    if (stored.error() == store::StoreError::kNotFound) {
      co_return unexpected(auth_error(AuthErrorKind::kUserNotFound));
    }
    co_return unexpected(from_store(stored.error()));
  }
  if (disabled) {
    auto revoked = co_await users_.revoke_user_refresh_tokens(user_id);
    if (!revoked) {
      // Refresh still refuses: it checks the disabled flag after rotating.
      log::warn("disable: sessions of user {} not revoked ({})", user_id, store::to_string(revoked.error()));
    }
    announce_revocation(user_id);
  }
  log::info("user {} {} by admin {}", user_id, disabled ? "disabled" : "enabled", admin->id);
  auto found = co_await users_.find_by_id(user_id);
  if (!found) {
    co_return unexpected(from_store(found.error()));
  }
  if (!found->has_value()) {
    co_return unexpected(auth_error(AuthErrorKind::kUserNotFound));
  }
  co_return std::move(**found);
}

boost::asio::awaitable<void> AuthService::grant_configured_admins() {
  std::size_t granted = 0;
  for (const auto& email : options_.admin_emails) {
    auto found = co_await users_.find_by_email(email);
    if (!found) {
      log::warn("ADMIN_EMAILS: {} not checked now ({}); it is applied at the next login",
                email, store::to_string(found.error()));
      continue;
    }
    if (!found->has_value()) {
      continue;  // gets the role when it registers and logs in
    }
    store::User user = std::move(**found);
    const auto before = user.roles;
    co_await reconcile_roles(user, true);
    granted += user.roles != before ? 1 : 0;
  }
  if (!options_.admin_emails.empty()) {
    log::info("ADMIN_EMAILS: {} admin address(es) configured, {} account(s) updated now",
              options_.admin_emails.size(), granted);
  }
}

}  // namespace cubeauth::auth
