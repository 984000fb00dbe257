// The ConnectyCube REST client: the operations of connectycube.hpp over HttpClient,
// sending what the official JS SDK sends.
#pragma once

#include <optional>

#include "connectycube/client_options.hpp"
#include "connectycube/connectycube.hpp"
#include "connectycube/http_client.hpp"

namespace cubeauth::connectycube {

/// Checks options before start-up: the error text names the bad setting.
Result<void, std::string> check_options(const ClientOptions& options);

class Client final : public ConnectyCube {
 public:
  /// With options that check_options() refuses, every call fails with kUnavailable.
  /// Usable from coroutines on any number of io_contexts at once (the keep-alive pool
  /// lives in each io_context).
  explicit Client(ClientOptions options);

  boost::asio::awaitable<Result<std::int64_t, Error>> sign_up(std::string email,
                                                              std::string password,
                                                              std::string full_name) override;
  boost::asio::awaitable<Result<Session, Error>> create_session_with_email(
      std::string email, std::string password) override;
  boost::asio::awaitable<Result<Session, Error>> create_session_with_login(
      std::string login, std::string password) override;
  boost::asio::awaitable<Result<User, Error>> update_user(std::string session_token,
                                                          std::int64_t user_id,
                                                          UserUpdate update) override;
  boost::asio::awaitable<Result<void, Error>> delete_user_in_session(std::string session_token,
                                                                     std::int64_t user_id) override;
  boost::asio::awaitable<Result<Dialog, Error>> create_private_dialog(
      std::string session_token, std::int64_t other_user_id) override;
  boost::asio::awaitable<Result<DialogPage, Error>> list_dialogs(std::string session_token,
                                                                 DialogQuery query) override;
  boost::asio::awaitable<Result<void, Error>> delete_user(std::int64_t user_id, std::string email,
                                                          std::string password) override;

 private:
  /// Sends `request`; any answer outside 2xx becomes its Error.
  boost::asio::awaitable<Result<IncomingResponse, Error>> send_checked(OutgoingRequest request);
  /// Whether user `user_id` still exists, asked in a fresh application session.
  boost::asio::awaitable<Result<bool, Error>> user_exists(std::int64_t user_id);
  boost::asio::awaitable<Result<Session, Error>> create_session(std::string_view field,
                                                                std::string credential,
                                                                std::string password);

  ClientOptions options_;
  std::optional<Endpoint> endpoint_;
  std::string endpoint_error_;
  HttpClient http_;
};

}  // namespace cubeauth::connectycube
