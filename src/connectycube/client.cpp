#include "connectycube/client.hpp"

#include "connectycube/wire.hpp"

namespace cubeauth::connectycube {

Result<void, std::string> check_options(const ClientOptions& options) {
  if (auto endpoint = parse_endpoint(options.api_url); !endpoint) {
    return unexpected("CONNECTYCUBE_API_URL: " + endpoint.error());
  }
  if (options.app_id.empty() || options.auth_key.empty()) {
    return unexpected(std::string("the ConnectyCube app id and auth key are both required"));
  }
  return {};
}

Client::Client(ClientOptions options) : options_(std::move(options)), http_(options_.http()) {
  auto endpoint = parse_endpoint(options_.api_url);
  if (endpoint) {
    endpoint_ = std::move(*endpoint);
  } else {
    endpoint_error_ = endpoint.error();
  }
}

boost::asio::awaitable<Result<std::int64_t, Error>> Client::sign_up(std::string email,
                                                                    std::string password,
                                                                    std::string full_name) {
  if (!endpoint_) {
    co_return unexpected(unavailable_error(endpoint_error_));
  }
  auto response = co_await http_.send(
      *endpoint_, wire::sign_up(*endpoint_, options_.auth_key, email, password, full_name));
  if (!response) {
    co_return unexpected(std::move(response).error());
  }
  if (response->status < 200 || response->status > 299) {
    co_return unexpected(error_from_response(response->status, response->body));
  }
  co_return wire::parse_user_id(*response);
}

boost::asio::awaitable<Result<Session, Error>> Client::create_session(std::string_view field,
                                                                      std::string credential,
                                                                      std::string password) {
  if (!endpoint_) {
    co_return unexpected(unavailable_error(endpoint_error_));
  }
  auto response = co_await http_.send(
      *endpoint_, wire::create_session(*endpoint_, options_.app_id, options_.auth_key, field,
                                       credential, password));
  if (!response) {
    co_return unexpected(std::move(response).error());
  }
  if (response->status < 200 || response->status > 299) {
    co_return unexpected(error_from_response(response->status, response->body));
  }
  co_return wire::parse_session(*response);
}

boost::asio::awaitable<Result<Session, Error>> Client::create_session_with_email(
    std::string email, std::string password) {
  return create_session("email", std::move(email), std::move(password));
}

boost::asio::awaitable<Result<Session, Error>> Client::create_session_with_login(
    std::string login, std::string password) {
  return create_session("login", std::move(login), std::move(password));
}

boost::asio::awaitable<Result<IncomingResponse, Error>> Client::send_checked(
    OutgoingRequest request) {
  if (!endpoint_) {
    co_return unexpected(unavailable_error(endpoint_error_));
  }
  auto response = co_await http_.send(*endpoint_, std::move(request));
  if (!response) {
    co_return unexpected(std::move(response).error());
  }
  if (response->status < 200 || response->status > 299) {
    co_return unexpected(error_from_response(response->status, response->body));
  }
  co_return response;
}

boost::asio::awaitable<Result<User, Error>> Client::update_user(std::string session_token,
                                                                std::int64_t user_id,
                                                                UserUpdate update) {
  if (!endpoint_) {
    co_return unexpected(unavailable_error(endpoint_error_));
  }
  OutgoingRequest request = wire::update_user(*endpoint_, user_id, session_token, update);
  auto response = co_await send_checked(std::move(request));
  if (!response) {
    co_return unexpected(std::move(response).error());
  }
  co_return wire::parse_user(*response);
}

boost::asio::awaitable<Result<bool, Error>> Client::user_exists(std::int64_t user_id) {
  OutgoingRequest session_request =
      wire::create_app_session(*endpoint_, options_.app_id, options_.auth_key);
  auto session = co_await send_checked(std::move(session_request));
  if (!session) {
    co_return unexpected(std::move(session).error());
  }
  auto token = wire::parse_session_token(*session);
  if (!token) {
    co_return unexpected(std::move(token).error());
  }
  OutgoingRequest lookup = wire::get_user(*endpoint_, user_id, *token);
  auto found = co_await send_checked(std::move(lookup));
  if (found) {
    co_return true;
  }
  if (found.error().kind == ErrorKind::kNotFound) {
    co_return false;
  }
  co_return unexpected(std::move(found).error());
}

boost::asio::awaitable<Result<void, Error>> Client::delete_user_in_session(
    std::string session_token, std::int64_t user_id) {
  if (!endpoint_) {
    co_return unexpected(unavailable_error(endpoint_error_));
  }
  OutgoingRequest request = wire::delete_user(*endpoint_, user_id, session_token);
  auto response = co_await send_checked(std::move(request));
  if (response) {
    co_return Result<void, Error>{};
  }
  Error error = std::move(response).error();
  if (error.http_status != 401) {
    co_return unexpected(std::move(error));
  }
  // A user's sessions end with the user. So a 401 here is either a dead session of a user
  // that still exists, or the sign that the user is gone: deleted earlier, or by this very
  // request whose first answer was lost before the HTTP client resent it. Ask which.
  auto exists = co_await user_exists(user_id);
  if (exists && !*exists) {
    co_return unexpected(
        Error{ErrorKind::kNotFound,
              404,
              "user " + std::to_string(user_id) + " is already gone (its session answered 401)",
              {}});
  }
  co_return unexpected(std::move(error));
}

boost::asio::awaitable<Result<Dialog, Error>> Client::create_private_dialog(
    std::string session_token, std::int64_t other_user_id) {
  if (!endpoint_) {
    co_return unexpected(unavailable_error(endpoint_error_));
  }
  OutgoingRequest request = wire::create_private_dialog(*endpoint_, session_token, other_user_id);
  auto response = co_await send_checked(std::move(request));
  if (!response) {
    co_return unexpected(std::move(response).error());
  }
  co_return wire::parse_dialog(*response);
}

boost::asio::awaitable<Result<DialogPage, Error>> Client::list_dialogs(std::string session_token,
                                                                       DialogQuery query) {
  if (!endpoint_) {
    co_return unexpected(unavailable_error(endpoint_error_));
  }
  OutgoingRequest request = wire::list_dialogs(*endpoint_, session_token, query);
  auto response = co_await send_checked(std::move(request));
  if (!response) {
    co_return unexpected(std::move(response).error());
  }
  co_return wire::parse_dialog_page(*response);
}

boost::asio::awaitable<Result<void, Error>> Client::delete_user(std::int64_t user_id,
                                                                std::string email,
                                                                std::string password) {
  auto session = co_await create_session("email", std::move(email), std::move(password));
  if (!session) {
    co_return unexpected(std::move(session).error());
  }
  std::string token = std::move(session->token);
  auto deleted = co_await delete_user_in_session(std::move(token), user_id);
  co_return deleted;
}

}  // namespace cubeauth::connectycube
