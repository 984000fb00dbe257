#include "store/mongo/mock_mongo.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

namespace cubeauth::store::testing {

MockMongo::MockMongo() {
  int in[2];
  int out[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
    error_ = "pipe failed";
    return;
  }
  pid_ = fork();
  if (pid_ == 0) {
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    execl("/usr/bin/python3", "python3", CUBEAUTH_MOCK_MONGO_SCRIPT, static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  to_script_ = in[1];
  from_script_ = out[0];
  if (pid_ < 0) {
    error_ = "fork failed";
    return;
  }
  std::string line;
  if (!read_line(line, std::chrono::seconds(20)) || line.rfind("PORT ", 0) != 0) {
    error_ =
        "mock_mongo.py did not start (is python3-mockupdb installed for /usr/bin/python3?)"
        " first line: \"" +
        line + "\"";
    return;
  }
  port_ = static_cast<unsigned short>(std::stoi(line.substr(5)));
}

MockMongo::~MockMongo() {
  if (to_script_ >= 0) {
    close(to_script_);
  }
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  if (from_script_ >= 0) {
    close(from_script_);
  }
}

std::string MockMongo::uri(const std::string& database) const {
  return "mongodb://127.0.0.1:" + std::to_string(port_) + "/" + database +
         "?serverSelectionTimeoutMS=3000&connectTimeoutMS=3000&heartbeatFrequencyMS=500";
}

bool MockMongo::read_line(std::string& line, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return true;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return false;
    }
    pollfd fd{from_script_, POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(left.count())) <= 0) {
      return false;
    }
    char chunk[4096];
    const ssize_t n = read(from_script_, chunk, sizeof chunk);
    if (n <= 0) {
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

void MockMongo::send(const std::string& line) {
  const std::string data = line + "\n";
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = write(to_script_, data.data() + sent, data.size() - sent);
    if (n <= 0) {
      return;
    }
    sent += static_cast<std::size_t>(n);
  }
}

BsonPtr MockMongo::next_command(std::chrono::milliseconds timeout) {
  std::string line;
  if (!read_line(line, timeout) || line.rfind("COMMAND ", 0) != 0) {
    error_ = "no command; got \"" + line + "\"";
    return nullptr;
  }
  const std::string json = line.substr(8);
  bson_error_t error;
  bson_t* document = bson_new_from_json(reinterpret_cast<const std::uint8_t*>(json.data()),
                                        static_cast<ssize_t>(json.size()), &error);
  if (document == nullptr) {
    error_ = std::string("unparsable command: ") + error.message;
  }
  return BsonPtr(document);
}

void MockMongo::reply(const std::string& extended_json) { send("REPLY " + extended_json); }

void MockMongo::hang_up() { send("HANGUP"); }

}  // namespace cubeauth::store::testing
