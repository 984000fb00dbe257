// connectycube_emulator: a local stand-in for the ConnectyCube REST API (see README.md).
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/json/parse.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

#include "emulator.hpp"

namespace {

using cubeauth::connectycube::emulator::EmulatorOptions;

constexpr const char* kUsage = R"(usage: connectycube_emulator [--flag=value ...]
Every flag may also come from the environment: --app-id -> CONNECTYCUBE_EMULATOR_APP_ID.
  --address=127.0.0.1         listen address
  --port=0                    listen port (0 picks one; the bound one is printed)
  --app-id=1                  application id clients must send
  --auth-key=emulator-auth-key
  --auth-secret=emulator-auth-secret   checks legacy HMAC-SHA1 signatures when sent
  --auto-create=true          a session for an unknown login/email creates the user
  --password-min=6 --password-max=40
  --first-user-id=100001
  --cidp-enabled=false        Custom Identity Provider for login-based sessions
  --cidp-endpoint=URL         e.g. http://127.0.0.1:3000/auth/verify-connectycube
  --cidp-method=GET           GET (params in the query) or POST (JSON body)
  --cidp-headers={}           JSON object; values may use #{login} and #{password}
  --cidp-request-params={"token":"#{login}"}
  --cidp-response-params={"uid":"#{user.id}"}
  --cidp-timeout-ms=5000
)";

std::string env_name(const std::string& flag) {
  std::string name = "CONNECTYCUBE_EMULATOR_";
  for (char c : flag) {
    name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

bool parse_bool(const std::string& text) {
  return text == "1" || text == "true" || text == "on" || text == "yes";
}

boost::json::object parse_object(const std::string& flag, const std::string& text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) {
    throw std::invalid_argument("--" + flag + " must be a JSON object");
  }
  return value.as_object();
}

EmulatorOptions parse_options(int argc, char** argv) {
  static const char* kFlags[] = {"address",
                                 "port",
                                 "app-id",
                                 "auth-key",
                                 "auth-secret",
                                 "auto-create",
                                 "password-min",
                                 "password-max",
                                 "first-user-id",
                                 "cidp-enabled",
                                 "cidp-endpoint",
                                 "cidp-method",
                                 "cidp-headers",
                                 "cidp-request-params",
                                 "cidp-response-params",
                                 "cidp-timeout-ms"};
  std::map<std::string, std::string> values;
  for (const char* flag : kFlags) {
    if (const char* env = std::getenv(env_name(flag).c_str())) {
      values[flag] = env;
    }
  }
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (!arg.starts_with("--")) {
      throw std::invalid_argument("unexpected argument '" + arg + "'");
    }
    arg = arg.substr(2);
    std::string value;
    if (const auto equals = arg.find('='); equals != std::string::npos) {
      value = arg.substr(equals + 1);
      arg = arg.substr(0, equals);
    } else if (i + 1 < argc) {
      value = argv[++i];
    }
    bool known = false;
    for (const char* flag : kFlags) {
      known = known || arg == flag;
    }
    if (!known) {
      throw std::invalid_argument("unknown flag --" + arg);
    }
    values[arg] = value;
  }

  EmulatorOptions options;
  for (const auto& [flag, value] : values) {
    if (flag == "address")
      options.address = value;
    else if (flag == "port")
      options.port = static_cast<std::uint16_t>(std::stoul(value));
    else if (flag == "app-id")
      options.app_id = value;
    else if (flag == "auth-key")
      options.auth_key = value;
    else if (flag == "auth-secret")
      options.auth_secret = value;
    else if (flag == "auto-create")
      options.auto_create = parse_bool(value);
    else if (flag == "password-min")
      options.password_min = std::stoul(value);
    else if (flag == "password-max")
      options.password_max = std::stoul(value);
    else if (flag == "first-user-id")
      options.first_user_id = std::stoll(value);
    else if (flag == "cidp-enabled")
      options.cidp.enabled = parse_bool(value);
    else if (flag == "cidp-endpoint")
      options.cidp.endpoint = value;
    else if (flag == "cidp-method")
      options.cidp.method = value;
    else if (flag == "cidp-headers")
      options.cidp.headers = parse_object(flag, value);
    else if (flag == "cidp-request-params")
      options.cidp.request_params = parse_object(flag, value);
    else if (flag == "cidp-response-params")
      options.cidp.response_params = parse_object(flag, value);
    else if (flag == "cidp-timeout-ms")
      options.cidp.timeout = std::chrono::milliseconds(std::stoll(value));
  }
  if (options.cidp.enabled && options.cidp.endpoint.empty()) {
    throw std::invalid_argument("--cidp-enabled needs --cidp-endpoint");
  }
  if (options.cidp.method != "GET" && options.cidp.method != "POST") {
    throw std::invalid_argument("--cidp-method must be GET or POST");
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  EmulatorOptions options;
  try {
    options = parse_options(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "connectycube_emulator: " << error.what() << " (see --help)\n";
    return 2;
  }
  boost::asio::io_context io(1);
  cubeauth::connectycube::emulator::Emulator emulator(io, options);
  if (auto listening = emulator.listen(); !listening) {
    std::cerr << "connectycube_emulator: " << listening.error() << "\n";
    return 1;
  }
  emulator.start();
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&io](const boost::system::error_code&, int) { io.stop(); });
  std::printf("listening on %s:%u\n", options.address.c_str(), emulator.port());
  std::fflush(stdout);
  io.run();
  return 0;
}
