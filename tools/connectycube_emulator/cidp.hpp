// The Custom Identity Provider call (connectycube-api.md section 4): substitute the
// client's login and password into the configured request, call the IdP with
// cubeauth's own HTTP client, and read the mapped fields of its answer.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "common/result.hpp"
#include "connectycube/http_client.hpp"
#include "emulator_options.hpp"

namespace cubeauth::connectycube::emulator {

/// Who the IdP says the client is.
struct CidpIdentity {
  std::string uid;  ///< always present (the number printed when the IdP sent a number)
  std::string login;
  std::string email;
  std::string full_name;
};

/// Replaces #{login} and #{password} in `text`.
std::string substitute(std::string text, const std::string& login, const std::string& password);

/// Reads the value at "#{a.b}" in `document`; "" when absent or not a scalar.
std::string extract(const boost::json::value& document, std::string_view path_template);

/// Asks the IdP; a failure is the 422 body the service would answer with.
boost::asio::awaitable<Result<CidpIdentity, boost::json::object>> verify_with_cidp(
    const CidpOptions& options, HttpClient& http, const std::string& login,
    const std::string& password);

}  // namespace cubeauth::connectycube::emulator
