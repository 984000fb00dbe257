// The connectycube_emulator binary as end-to-end tests start it: flags, the "listening on"
// line, CIdP flags, and a clean exit on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include "connectycube/client.hpp"
#include "harness.hpp"

extern char** environ;

namespace cubeauth::connectycube {
namespace {

/// The emulator process, with the port read from its first line of output.
class EmulatorProcess {
 public:
  explicit EmulatorProcess(std::vector<std::string> flags) {
    int out[2];
    if (pipe(out) != 0) {
      throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> args{CUBEAUTH_EMULATOR_BINARY};
    args.insert(args.end(), flags.begin(), flags.end());
    std::vector<char*> argv;
    for (auto& arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    const int spawned = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (spawned != 0) {
      close(out[0]);
      throw std::runtime_error("cannot start " CUBEAUTH_EMULATOR_BINARY);
    }
    output_ = fdopen(out[0], "r");
    char line[256] = {};
    if (fgets(line, sizeof line, output_) != nullptr) {
      first_line_ = line;
    }
    // Not std::regex: GCC 12 warns inside it at -O1 (maybe-uninitialized), and -Werror.
    const std::string prefix = "listening on 127.0.0.1:";
    if (first_line_.starts_with(prefix) && first_line_.ends_with("\n")) {
      const std::string digits =
          first_line_.substr(prefix.size(), first_line_.size() - prefix.size() - 1);
      if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos) {
        port_ = std::stoi(digits);
      }
    }
  }
  ~EmulatorProcess() {
    stop();
    fclose(output_);
  }
  /// Sends SIGTERM and returns the exit status.
  int stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, &status_, 0);
      pid_ = -1;
    }
    return status_;
  }
  int port() const { return port_; }
  const std::string& first_line() const { return first_line_; }

 private:
  pid_t pid_ = -1;
  FILE* output_ = nullptr;
  std::string first_line_;
  int port_ = 0;
  int status_ = -1;
};

TEST(EmulatorBinary, PrintsTheBoundPortAndServesTheConfiguredApp) {
  EmulatorProcess process(
      {"--port=0", "--app-id=777", "--auth-key", "bin-key", "--password-min=8"});
  ASSERT_GT(process.port(), 0) << process.first_line();
  ClientOptions options;
  options.api_url = "http://127.0.0.1:" + std::to_string(process.port());
  options.app_id = "777";
  options.auth_key = "bin-key";
  Client client(options);
  auto short_password = testing::run([&]() { return client.sign_up("a@b.io", "1234567", "A"); });
  ASSERT_FALSE(short_password);
  EXPECT_EQ(short_password.error().kind, ErrorKind::kInvalidInput);
  auto id = testing::run([&]() { return client.sign_up("a@b.io", "12345678", "A"); });
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(*id, 100001);
  const int status = process.stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(EmulatorBinary, RefusesUnknownFlags) {
  EmulatorProcess process({"--no-such-flag=1"});
  EXPECT_EQ(process.port(), 0);
  const int status = process.stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2);
}

TEST(EmulatorBinary, RefusesCidpWithoutAnEndpoint) {
  EmulatorProcess process({"--cidp-enabled=true"});
  EXPECT_EQ(process.port(), 0);
  const int status = process.stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2);
}

TEST(EmulatorBinary, TakesCidpSettingsFromFlags) {
  // An IdP that is not there: the session is refused the way the service refuses it.
  EmulatorProcess process({"--app-id=777", "--auth-key=bin-key", "--cidp-enabled=true",
                           "--cidp-endpoint=http://127.0.0.1:9/auth/verify-connectycube",
                           "--cidp-timeout-ms=500"});
  ASSERT_GT(process.port(), 0) << process.first_line();
  ClientOptions options;
  options.api_url = "http://127.0.0.1:" + std::to_string(process.port());
  options.app_id = "777";
  options.auth_key = "bin-key";
  Client client(options);
  auto session =
      testing::run([&]() { return client.create_session_with_login("jwt", "cidp-pass"); });
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(session.error().message.find("Bad Authentication data"), std::string::npos);
}

}  // namespace
}  // namespace cubeauth::connectycube
