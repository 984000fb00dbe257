// Settings of the ConnectyCube emulator (command-line flags and environment fill them).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace cubeauth::connectycube::emulator {

/// The dashboard's "Custom Identity Provider" settings (connectycube-api.md section 4.1).
struct CidpOptions {
  bool enabled = false;
  std::string endpoint;         ///< e.g. http://127.0.0.1:3000/auth/verify-connectycube
  std::string method = "GET";   ///< GET: params in the query; POST: params as a JSON body
  boost::json::object headers;  ///< values may hold #{login}, #{password}
  boost::json::object request_params{{"token", "#{login}"}};   ///< the same placeholders
  boost::json::object response_params{{"uid", "#{user.id}"}};  ///< field -> #{json.path}
  std::chrono::milliseconds timeout{5000};
};

struct EmulatorOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  ///< 0 picks a free port
  std::string app_id = "1";
  std::string auth_key = "emulator-auth-key";
  std::string auth_secret = "emulator-auth-secret";  ///< checks legacy signatures when sent
  bool auto_create = true;  ///< session for an unknown login/email creates that user
  std::size_t password_min = 6;
  std::size_t password_max = 40;
  std::int64_t first_user_id = 100001;
  CidpOptions cidp;
};

}  // namespace cubeauth::connectycube::emulator
