// Parity: the official JS SDK (npm connectycube@6, run with node) and cubeauth's client do
// the same operations against the emulator; the requests they send must match in method,
// path, CB-* headers, content type and JSON body.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <filesystem>

#include "connectycube/client.hpp"
#include "harness.hpp"

namespace cubeauth::connectycube {
namespace {

namespace json = boost::json;
using testing::EmulatorThread;
using testing::run;

constexpr const char* kEmail = "nadia@example.org";
constexpr const char* kPassword = "Lantern-8812";
constexpr const char* kFullName = "Nadia K";
constexpr const char* kLogin = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjY1ZjEifQ.sig";

/// Runs the SDK script; returns its exit status and its output.
std::pair<int, std::string> run_sdk(const std::string& api_url) {
  const std::string command = "cd '" CUBEAUTH_PARITY_DIR "' && node sdk_run.mjs '" + api_url +
                              "' 5120 Xk2pQr7sTuVw9yZ '" + kEmail + "' '" + kPassword + "' '" +
                              kFullName + "' '" + kLogin + "' 2>&1";
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return {-1, "popen failed"};
  }
  char chunk[4096];
  while (std::size_t n = fread(chunk, 1, sizeof chunk, pipe)) {
    output.append(chunk, n);
  }
  return {pclose(pipe), output};
}

/// What must be equal between the two clients' requests.
json::object comparable(const json::value& recorded) {
  const auto& request = recorded.as_object();
  const auto& headers = request.at("headers").as_object();
  json::object view{{"method", request.at("method")}, {"path", request.at("path")}};
  for (const char* name : {"cb-sdk", "cb-authkey", "content-type"}) {
    if (const auto* value = headers.if_contains(name)) {
      view[name] = *value;
    }
  }
  // Tokens differ between runs; what matters is that one is sent, and in the same form.
  if (const auto* token = headers.if_contains("cb-token")) {
    view["cb-token"] = token->as_string().size() == 36 ? "<36 hex>" : "<other>";
  }
  const std::string body(request.at("body").as_string());
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  view["body"] = ec ? json::value(body) : parsed;
  return view;
}

TEST(SdkParity, ClientSendsWhatTheOfficialSdkSends) {
  ASSERT_TRUE(
      std::filesystem::exists(CUBEAUTH_PARITY_DIR "/node_modules/connectycube/package.json"))
      << "node_modules missing: run `npm ci --no-audit --no-fund` in " CUBEAUTH_PARITY_DIR
         " (scripts/test.sh does it)";
  EmulatorThread emulator;

  const auto [status, output] = run_sdk(emulator.url());
  ASSERT_EQ(status, 0) << "the SDK run failed:\n" << output;
  const json::array sdk = emulator.requests();
  ASSERT_EQ(sdk.size(), 5u) << json::serialize(sdk);

  emulator.reset();
  ClientOptions options;
  options.api_url = emulator.url();
  options.app_id = "5120";
  options.auth_key = "Xk2pQr7sTuVw9yZ";
  Client client(options);
  const bool ok = run([&]() -> boost::asio::awaitable<bool> {
    auto id = co_await client.sign_up(kEmail, kPassword, kFullName);
    auto by_email = co_await client.create_session_with_email(kEmail, kPassword);
    auto by_login = co_await client.create_session_with_login(kLogin, kPassword);
    if (!id || !by_email || !by_login) {
      co_return false;
    }
    auto deleted = co_await client.delete_user(*id, kEmail, kPassword);
    co_return deleted.has_value();
  });
  ASSERT_TRUE(ok);
  const json::array ours = emulator.requests();
  ASSERT_EQ(ours.size(), sdk.size());

  for (std::size_t i = 0; i < sdk.size(); ++i) {
    EXPECT_EQ(json::serialize(comparable(ours[i])), json::serialize(comparable(sdk[i])))
        << "request " << i << " differs";
  }
  // The comparison covers what it should: a CB-AuthKey sign-up, a JSON session, a token delete.
  EXPECT_EQ(comparable(sdk[0]).at("cb-authkey").as_string(), "Xk2pQr7sTuVw9yZ");
  EXPECT_EQ(comparable(sdk[1]).at("content-type").as_string(), "application/json;charset=utf-8");
  EXPECT_EQ(comparable(sdk[4]).at("method").as_string(), "DELETE");
  EXPECT_EQ(comparable(sdk[4]).at("cb-token").as_string(), "<36 hex>");
}

}  // namespace
}  // namespace cubeauth::connectycube
