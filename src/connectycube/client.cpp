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

boost::asio::awaitable<Result<void, Error>> Client::delete_user(std::int64_t user_id,
                                                                std::string email,
                                                                std::string password) {
  auto session = co_await create_session("email", std::move(email), std::move(password));
  if (!session) {
    co_return unexpected(std::move(session).error());
  }
  auto response =
      co_await http_.send(*endpoint_, wire::delete_user(*endpoint_, user_id, session->token));
  if (!response) {
    co_return unexpected(std::move(response).error());
  }
  if (response->status < 200 || response->status > 299) {
    co_return unexpected(error_from_response(response->status, response->body));
  }
  co_return Result<void, Error>{};
}

}  // namespace cubeauth::connectycube
