// register, login, login_By_token and the token check behind them: plain C++ over
// two interfaces (UserStore, ConnectyCube), so it is tested with fakes, no network.
#pragma once

#include "auth/auth_error.hpp"
#include "auth/credentials.hpp"
#include "auth/jwt.hpp"
#include "auth/password.hpp"
#include "common/result.hpp"
#include "store/user.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace cubeauth::store {
class UserStore;
}
namespace cubeauth::connectycube {
class ConnectyCube;
}

namespace cubeauth::auth {

struct AuthOptions {
  std::chrono::seconds token_lifetime{3600};
  PasswordRules password_rules;
  /// CONNECTYCUBE_SIGNUP: sign each new user up on ConnectyCube with the same credentials.
  bool connectycube_signup = true;
  /// The fixed password sent with token-based (Custom Identity Provider) sessions.
  std::string cidp_password = "cidp-temporary-password";
};

/// What ConnectyCube gave a login: a session token and its user id, or why not.
struct ConnectyCubeOutcome {
  std::optional<std::string> session_token;
  std::optional<std::int64_t> user_id;
  std::optional<AuthError> error;  ///< set when session_token is empty
};

struct LoginResult {
  store::User user;
  std::string token;  ///< cubeauth's JWT
  ConnectyCubeOutcome connectycube;
};

class AuthService {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  /// `connectycube` is null when ConnectyCube is not configured. Every reference must
  /// outlive the service.
  AuthService(store::UserStore& users, connectycube::ConnectyCube* connectycube,
              PasswordHasher& passwords, const JwtCodec& tokens, AuthOptions options,
              Clock clock = [] { return std::chrono::system_clock::now(); });

  /// Stores the user, then (CONNECTYCUBE_SIGNUP) signs it up on ConnectyCube and stores
  /// its id. Leaves nothing behind on either side when a step fails.
  boost::asio::awaitable<Result<store::User, AuthError>> register_user(Registration input);

  /// Checks the credentials, issues a JWT, then asks ConnectyCube for a session with
  /// the same email and password (its failure does not fail the login).
  boost::asio::awaitable<Result<LoginResult, AuthError>> login(std::string email, std::string password);

  /// As login, but the ConnectyCube session is the Custom Identity Provider one:
  /// login = the JWT just issued, password = CIDP_PASSWORD. Stores the ConnectyCube
  /// user id when the user had none.
  boost::asio::awaitable<Result<LoginResult, AuthError>> login_by_token(std::string email,
                                                                        std::string password);

  /// The claims of a token cubeauth (or the old server, same secret) issued.
  Result<TokenClaims, AuthError> verify_token(std::string_view token) const;

  const AuthOptions& options() const { return options_; }
  bool connectycube_enabled() const { return connectycube_ != nullptr; }

 private:
  boost::asio::awaitable<Result<store::User, AuthError>> authenticate(std::string email,
                                                                     std::string password);
  boost::asio::awaitable<Result<std::int64_t, AuthError>> sign_up_on_connectycube(
      const Registration& registration);
  boost::asio::awaitable<void> remember_connectycube_id(store::User& user, std::int64_t id);
  boost::asio::awaitable<void> undo_local_user(const std::string& id);

  store::UserStore& users_;
  connectycube::ConnectyCube* connectycube_;
  PasswordHasher& passwords_;
  const JwtCodec& tokens_;
  AuthOptions options_;
  Clock clock_;
};

}  // namespace cubeauth::auth
