// The emulated ConnectyCube REST endpoints: sessions, login, users, chat dialogs
// (connectycube-api.md sections 2, 3, 4, 5.1 and 7), answering with the service's status codes and
// error bodies.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "connectycube/http_client.hpp"
#include "emulator_options.hpp"
#include "http/message.hpp"
#include "store.hpp"

namespace cubeauth::connectycube::emulator {

class Api {
 public:
  explicit Api(EmulatorOptions options);

  /// Answers one request to the emulated service (never one under /_emulator/).
  boost::asio::awaitable<http::Response> handle(const http::Request& request);

  /// Forgets every user and session.
  void clear() { store_.clear(); }

 private:
  using Params = boost::json::object;

  boost::asio::awaitable<http::Response> create_session(const http::Request& request,
                                                        const Params& params);
  boost::asio::awaitable<http::Response> login(const http::Request& request, const Params& params);
  http::Response sign_up(const http::Request& request, const Params& params);
  http::Response get_session(const http::Request& request);
  http::Response delete_session(const http::Request& request);
  http::Response get_user(const http::Request& request, std::string_view which,
                          const Params& params);
  http::Response update_user(const http::Request& request, std::string_view which,
                             const Params& params);
  http::Response delete_user(const http::Request& request, std::string_view which);
  http::Response create_dialog(const http::Request& request, const Params& params);
  http::Response list_dialogs(const http::Request& request, const Params& params);
  /// The live user session of the request, or the 401/403 to send.
  Result<SessionRecord*, http::Response> user_session_of(const http::Request& request);

  /// The user a login/email + password names: found, auto-created, or CIdP-verified.
  /// On failure, the answer to send.
  boost::asio::awaitable<Result<User*, http::Response>> authenticate(const Params& user);
  Result<User*, http::Response> validate_and_create(const Params& user);
  /// The live session of the request's CB-Token, or the 401 to send.
  Result<SessionRecord*, http::Response> session_of(const http::Request& request);
  /// A JSON answer; with a session, also CB-Token-ExpirationDate.
  http::Response answer(http::Status status, const boost::json::object& body,
                        const SessionRecord* session = nullptr);

  EmulatorOptions options_;
  Store store_;
  HttpClient http_;
};

}  // namespace cubeauth::connectycube::emulator
