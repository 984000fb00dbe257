// How the ConnectyCube client reaches the service: URL, app credentials, timeouts,
// retries and limits.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "connectycube/http_client.hpp"

namespace cubeauth::connectycube {

struct ClientOptions {
  std::string api_url = "https://api.connectycube.com";  ///< http:// for the emulator
  std::string app_id;  ///< sent as a JSON number when it is all digits (as the SDK's docs do)
  std::string auth_key;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds response_timeout{10000};
  int max_retries = 2;
  std::chrono::milliseconds retry_backoff{100};
  std::size_t max_response_bytes = 1 << 20;
  std::size_t pool_size_per_host = 16;
  std::chrono::milliseconds idle_timeout{4000};
  std::string ca_file{};  ///< extra trusted CAs (PEM) beside the system store

  HttpClientOptions http() const {
    return HttpClientOptions{connect_timeout,    response_timeout,   max_retries,  retry_backoff,
                             max_response_bytes, pool_size_per_host, idle_timeout, ca_file};
  }
};

}  // namespace cubeauth::connectycube
