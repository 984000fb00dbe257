// Hostile HTTP input against the real binary: malformed heads, oversized heads and bodies,
// lying lengths, endless chunked bodies, slow clients, idle connections and smuggling.
// Each gets the right status or a closed connection in the configured time, while other
// clients are served.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <thread>
#include <vector>

#include "hostile/hostile_server.hpp"

namespace cubeauth::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class HostileHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new Cubeauth(hostile_environment()); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void TearDown() override {
    // Whatever the test did, the server is alive and answers others at once.
    EXPECT_TRUE(served_within(port(), 1s)) << server_->process().output();
  }
  static std::uint16_t port() { return server_->port(); }
  static int pid() { return server_->process().pid(); }

  /// The bytes on a new connection get exactly one response with `status`, then a close.
  static void expect_one_answer_then_close(const std::string& bytes, unsigned status) {
    const std::string answer = exchange(port(), bytes);
    EXPECT_EQ(count_responses(answer), 1u) << bytes << "\n---\n" << answer;
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 " + std::to_string(status) + " "))
        << bytes << "\n---\n"
        << answer;
  }

  static Cubeauth* server_;
};

Cubeauth* HostileHttp::server_ = nullptr;

TEST_F(HostileHttp, AnswersMalformedRequestLinesWith400AndCloses) {
  const char* lines[] = {
      "GARBAGE\r\n\r\n",
      "GET\r\n\r\n",
      "GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n",
      "GET / HTTP/x.y\r\nHost: x\r\n\r\n",
      "GET / FTP/1.1\r\nHost: x\r\n\r\n",
      "G\x01T / HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /a\x7f HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET  / HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET / HTTP/1.1\nHost: x\n\n",
      "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  // a TLS ClientHello on the plain port
  };
  for (const char* line : lines) {
    const std::string answer = exchange(port(), line);
    // A 400 and a close, or (for bytes that never form a request line) only the close.
    EXPECT_LE(count_responses(answer), 1u) << line;
    if (!answer.empty()) {
      EXPECT_TRUE(answer.starts_with("HTTP/1.1 400 ")) << line << "\n---\n" << answer;
    }
  }
}

TEST_F(HostileHttp, AnswersMalformedHeadersWith400AndCloses) {
  const std::string headers[] = {
      "Host x\r\n",         // no colon
      ": no-name\r\n",      // empty name
      "Bad Name: x\r\n",    // space in a name
      "Host : x\r\n",       // space before the colon
      "X-Ctl: a\x01b\r\n",  // control character in a value
      "X-Nul: a" + std::string(1, '\0') + "b\r\n",
      "Content-Length: abc\r\n",
      "Content-Length: -1\r\n",
      "Content-Length: +5\r\n",
      "Content-Length: 99999999999999999999999\r\n",
  };
  for (const std::string& header : headers) {
    expect_one_answer_then_close("POST / HTTP/1.1\r\nHost: x\r\n" + header + "\r\n", 400);
  }
}

TEST_F(HostileHttp, AnswersOversizedHeadsWith431) {
  // One long header, many small ones, a long target: the limit covers the whole head.
  expect_one_answer_then_close(
      "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8000, 'b') + "\r\n\r\n", 431);
  std::string many = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 1000; ++i) {
    many += "X-" + std::to_string(i) + ": v\r\n";
  }
  expect_one_answer_then_close(many + "\r\n", 431);
  expect_one_answer_then_close("GET /" + std::string(8000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n",
                               431);
}

TEST_F(HostileHttp, AnswersOversizedBodiesWith413BeforeReadingThem) {
  const auto started = Clock::now();
  RawClient client(port());
  client.send(
      "POST /api HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
      std::to_string(kHostileBodyLimit + 1) + "\r\n\r\n");
  const auto response = client.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 413u);
  EXPECT_TRUE(client.closed_by_peer());
  EXPECT_LT(Clock::now() - started, 1s);

  // Sent in full anyway: still a 413 (the server stops reading), never a 500.
  const std::string body(kHostileBodyLimit + 4096, ' ');
  const auto whole =
      http_request(port(), "POST", "/api", body, "Content-Type: application/json\r\n");
  if (whole) {
    EXPECT_EQ(whole->result_int(), 413u);
  }
}

TEST_F(HostileHttp, ClosesAConnectionWhoseContentLengthPromisesMoreThanItSends) {
  RawClient client(port(), 5s);
  client.send(
      "POST /api HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
      "1000\r\n\r\n"
      "{\"query\":\"{ hello }\"}");
  const auto started = Clock::now();
  EXPECT_TRUE(served_within(port(), 500ms));
  EXPECT_TRUE(client.closed_by_peer());
  EXPECT_LT(Clock::now() - started, kHostileBodyTimeout + 1s);
}

TEST_F(HostileHttp, ReadsTheBytesAfterAShortContentLengthAsTheNextRequest) {
  // The first request's body is cut where Content-Length says; the rest is not a request.
  const std::string answer = exchange(
      port(),
      "POST /api HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n"
      "{\"query\":\"{ hello }\"}");
  EXPECT_EQ(count_responses(answer), 2u) << answer;
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 400 ")) << answer;
  EXPECT_NE(answer.find("not valid JSON"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("Hello from API!"), std::string::npos) << answer;
}

TEST_F(HostileHttp, CutsOffAChunkedBodyThatNeverEnds) {
  RawClient client(port(), 5s);
  client.send(
      "POST /api HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: "
      "chunked\r\n\r\n");
  std::atomic<bool> stop{false};
  // Tiny chunks, forever (well under the body limit): only the body timeout ends it.
  std::thread trickle([&] {
    while (!stop) {
      client.send("1\r\n \r\n");
      std::this_thread::sleep_for(50ms);
    }
  });
  const auto started = Clock::now();
  EXPECT_TRUE(served_within(port(), 500ms));
  const bool closed = client.closed_by_peer();
  const auto elapsed = Clock::now() - started;
  stop = true;
  trickle.join();
  EXPECT_TRUE(closed);
  EXPECT_LT(elapsed, kHostileBodyTimeout + 1s);
}

TEST_F(HostileHttp, RefusesAChunkSizeBeyondTheBodyLimit) {
  const std::string answer = exchange(port(),
                                      "POST /api HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                                      "chunked\r\n\r\nffffffffffffffffffff\r\nab");
  EXPECT_LE(count_responses(answer), 1u);
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 400 ") || answer.starts_with("HTTP/1.1 413 ")) << answer;
}

TEST_F(HostileHttp, CutsOffAClientThatSendsItsHeadOneByteASecond) {
  RawClient client(port(), 6s);
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  std::atomic<bool> stop{false};
  std::thread dawdle([&] {
    for (char c : request) {
      if (stop) {
        break;
      }
      client.send(std::string_view(&c, 1));
      for (int i = 0; i < 10 && !stop; ++i) {
        std::this_thread::sleep_for(100ms);
      }
    }
  });
  const auto started = Clock::now();
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(served_within(port(), 500ms));
  const bool closed = client.closed_by_peer();
  const auto elapsed = Clock::now() - started;
  stop = true;
  dawdle.join();
  EXPECT_TRUE(closed);
  EXPECT_LT(elapsed, kHostileHeaderTimeout + 1500ms);
}

TEST_F(HostileHttp, CutsOffAClientThatSendsItsBodyOneByteASecond) {
  RawClient client(port(), 6s);
  client.send(
      "POST /api HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
      "20\r\n\r\n");
  std::atomic<bool> stop{false};
  std::thread dawdle([&] {
    for (int i = 0; i < 20 && !stop; ++i) {
      client.send("{");
      for (int j = 0; j < 10 && !stop; ++j) {
        std::this_thread::sleep_for(100ms);
      }
    }
  });
  const auto started = Clock::now();
  EXPECT_TRUE(served_within(port(), 500ms));
  const bool closed = client.closed_by_peer();
  const auto elapsed = Clock::now() - started;
  stop = true;
  dawdle.join();
  EXPECT_TRUE(closed);
  EXPECT_LT(elapsed, kHostileBodyTimeout + 1s);
}

TEST_F(HostileHttp, ServesOthersWhileThousandsOfConnectionsSitIdleThenClosesThem) {
  constexpr std::size_t kIdle = 2000;
  const std::size_t descriptors_before = open_descriptors(pid());
  const std::size_t rss_before = process_status_kb(pid(), "VmRSS");
  std::vector<std::unique_ptr<RawClient>> idle;
  idle.reserve(kIdle);
  for (std::size_t i = 0; i < kIdle; ++i) {
    idle.push_back(std::make_unique<RawClient>(port(), 3s));
    if (i % 2 == 1) {
      idle.back()->send("G");  // half of them start a request and stop
    }
  }
  // Everyone else is still served, quickly.
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(served_within(port(), 500ms)) << "request " << i;
  }
  const std::size_t descriptors_during = open_descriptors(pid());
  const std::size_t rss_during = process_status_kb(pid(), "VmRSS");
  EXPECT_GE(descriptors_during, descriptors_before + kIdle / 2);
  // A few kilobytes per idle connection, not more.
  EXPECT_LT(rss_during, rss_before + kIdle * 64)
      << "VmRSS " << rss_before << " kB -> " << rss_during << " kB";

  // After the idle (or header) timeout, the server has closed every one of them.
  const auto deadline = Clock::now() + kHostileHeaderTimeout + 3s;
  while (open_descriptors(pid()) > descriptors_before + 5 && Clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_LE(open_descriptors(pid()), descriptors_before + 5);
  EXPECT_TRUE(idle.front()->closed_by_peer());
  EXPECT_TRUE(idle.back()->closed_by_peer());
}

// Found by this suite: with CUBEAUTH_ACCESS_LOG=false, a request whose head or body is not
// received in time crashes the server (src/http/server.cpp, Worker::serve: the timeout's
// ReadFailure has a null message, and without the access log it falls through to
// error_response(status, nullptr)). Enable once that is fixed.
TEST(HostileHttpWithoutAccessLog, DISABLED_SurvivesARequestThatIsNotReceivedInTime) {
  Cubeauth server(hostile_environment({{"CUBEAUTH_ACCESS_LOG", "false"}}));
  RawClient client(server.port(), 5s);
  client.send("POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhalf");
  EXPECT_TRUE(client.closed_by_peer());
  RawClient head(server.port(), 5s);
  head.send("GET / HTTP/1.1\r\n");
  EXPECT_TRUE(head.closed_by_peer());
  EXPECT_TRUE(served_within(server.port(), 1s)) << server.process().output();
}

// Request smuggling: a request whose length two parsers could read differently is refused
// and the connection closed, so no second request hides in its body.
TEST_F(HostileHttp, RefusesContentLengthTogetherWithTransferEncoding) {
  const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  expect_one_answer_then_close(
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
      "0\r\n\r\n" +
          smuggled,
      400);
  expect_one_answer_then_close(
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"
      "0\r\n\r\n" +
          smuggled,
      400);
}

TEST_F(HostileHttp, RefusesDuplicateContentLengths) {
  const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  expect_one_answer_then_close(
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 38\r\n\r\n" + smuggled,
      400);
  expect_one_answer_then_close(
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0, 38\r\n\r\n" + smuggled, 400);
}

// Found by this suite: a Transfer-Encoding whose last coding is not chunked ("gzip",
// "chunked, identity", "identity") is read as a request without a body, and the bytes of
// its body are answered as the next request. RFC 9112 section 6.3 requires a 400 and a close
// (src/http/server.cpp owns the fix). Enable once that is done.
TEST_F(HostileHttp, DISABLED_RefusesTransferEncodingsThatDoNotEndInChunked) {
  const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const char* encoding : {"gzip", "chunked, identity", "identity"}) {
    const std::string answer =
        exchange(port(), std::string("POST /api HTTP/1.1\r\nHost: x\r\n") +
                             "Content-Type: application/json\r\nTransfer-Encoding: " + encoding +
                             "\r\n\r\n" + smuggled);
    EXPECT_EQ(answer.find("/smuggled"), std::string::npos) << encoding << "\n---\n" << answer;
    EXPECT_EQ(count_responses(answer), 1u) << encoding << "\n---\n" << answer;
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400 ")) << encoding;
  }
}

}  // namespace
}  // namespace cubeauth::testing
