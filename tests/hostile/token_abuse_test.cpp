// Hostile tokens against the real binary at GET/POST /auth/verify-connectycube and through
// login_By_token: alg none, other algorithms, a public key as the HMAC secret, expired, not
// yet valid, tampered, oversized or non-base64url segments, tokens in unusual places. Every
// one is a 401 with a JSON body, never a 500, and the server keeps serving.
#include "hostile/hostile_server.hpp"

#include "auth/detail/base64url.hpp"
#include "auth/jwt.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <thread>

namespace cubeauth::testing {
namespace {

using namespace std::chrono_literals;
using auth::detail::base64url_encode;

constexpr std::string_view kSecret = "e2e-secret";  // Cubeauth's JWT_SECRET

// A public key an attacker could find (any PEM text will do): RS256 confusion attacks sign
// with it as an HMAC secret, hoping the server uses it as one.
constexpr std::string_view kPublicKey =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs/o5+uQbTjL3chynL4wXgUg2R9\n"
    "q9UU8I5mEovUf86QZ7kOBIjJwqnzD1omageEHWwHdBO6B+dFabmdT9POxg==\n"
    "-----END PUBLIC KEY-----\n";

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string mac(const EVP_MD* digest, std::string_view key, std::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(digest, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &size);
  return std::string(reinterpret_cast<const char*>(out), size);
}

/// header.payload.signature with the HMAC of `digest` under `key`.
std::string token(const boost::json::object& header, const boost::json::object& payload,
                  std::string_view key = kSecret, const EVP_MD* digest = EVP_sha256()) {
  std::string signing_input = base64url_encode(boost::json::serialize(header)) + "." +
                              base64url_encode(boost::json::serialize(payload));
  return signing_input + "." + base64url_encode(mac(digest, key, signing_input));
}

boost::json::object hs256() { return {{"alg", "HS256"}, {"typ", "JWT"}}; }

boost::json::object claims(std::int64_t exp_offset = 3600) {
  return {{"id", "656f1e2a9b1c4d5e6f708192"},
          {"email", "victim@example.org"},
          {"iat", now_seconds()},
          {"exp", now_seconds() + exp_offset}};
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class HostileTokens : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new Cubeauth(hostile_environment()); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void TearDown() override {
    EXPECT_TRUE(served_within(port(), 1s)) << server_->process().output();
  }
  static std::uint16_t port() { return server_->port(); }

  static unsigned verify_status(const std::string& jwt, std::string_view extra_headers = {}) {
    const auto response = http_request(
        port(), "GET", "/auth/verify-connectycube?token=" + url_encode(jwt), {}, extra_headers);
    if (!response) {
      return 0;
    }
    if (response->result_int() == 401) {
      boost::system::error_code ec;
      const auto body = boost::json::parse(response->body(), ec);
      EXPECT_FALSE(ec) << response->body();
      EXPECT_TRUE(!ec && body.is_object() && body.as_object().contains("error"))
          << response->body();
    }
    return response->result_int();
  }

  static Cubeauth* server_;
};

Cubeauth* HostileTokens::server_ = nullptr;

TEST_F(HostileTokens, AcceptsAGoodTokenSoTheRefusalsBelowMeanSomething) {
  EXPECT_EQ(verify_status(token(hs256(), claims())), 200u);
  const auth::JwtCodec codec{std::string(kSecret)};
  EXPECT_EQ(verify_status(codec.sign("656f1e2a9b1c4d5e6f708192", "a@b.io",
                                     std::chrono::system_clock::now(), 60s)),
            200u);
}

TEST_F(HostileTokens, RefusesAlgNone) {
  const auto payload = base64url_encode(boost::json::serialize(claims()));
  for (const char* alg : {"none", "None", "NONE", "nOnE"}) {
    const auto header =
        base64url_encode(boost::json::serialize(boost::json::object{{"alg", alg}, {"typ", "JWT"}}));
    EXPECT_EQ(verify_status(header + "." + payload + "."), 401u) << alg;
    EXPECT_EQ(verify_status(header + "." + payload), 401u) << alg;
    // Even with a signature that is right for the bytes: the header decides nothing.
    EXPECT_EQ(verify_status(token({{"alg", alg}}, claims())), 401u) << alg;
  }
  EXPECT_EQ(verify_status(token(boost::json::object{{"typ", "JWT"}}, claims())),
            401u);  // no alg at all
}

TEST_F(HostileTokens, RefusesEveryAlgorithmButHs256) {
  EXPECT_EQ(verify_status(token({{"alg", "HS512"}}, claims(), kSecret, EVP_sha512())), 401u);
  EXPECT_EQ(verify_status(token({{"alg", "HS384"}}, claims(), kSecret, EVP_sha384())), 401u);
  for (const char* alg : {"hs256", "HS256 ", "RS256", "ES256", "PS256", "EdDSA"}) {
    EXPECT_EQ(verify_status(token({{"alg", alg}}, claims())), 401u) << alg;
  }
  boost::json::object header = hs256();
  header["alg"] = boost::json::array{"HS256"};
  EXPECT_EQ(verify_status(token(header, claims())), 401u);
}

TEST_F(HostileTokens, RefusesAPublicKeyUsedAsTheHmacSecret) {
  EXPECT_EQ(verify_status(token({{"alg", "RS256"}, {"typ", "JWT"}}, claims(), kPublicKey)), 401u);
  EXPECT_EQ(verify_status(token(hs256(), claims(), kPublicKey)), 401u);
  // A key named in the header is never fetched or used.
  EXPECT_EQ(verify_status(token(
                {{"alg", "HS256"}, {"jwk", {{"kty", "oct"}, {"k", "YQ"}}}, {"kid", "../../x"}},
                claims(), "a")),
            401u);
}

TEST_F(HostileTokens, RefusesExpiredAndNotYetValidTokens) {
  EXPECT_EQ(verify_status(token(hs256(), claims(-1))), 401u);
  EXPECT_EQ(verify_status(token(hs256(), claims(0))), 401u);
  auto no_exp = claims();
  no_exp.erase("exp");
  EXPECT_EQ(verify_status(token(hs256(), no_exp)), 401u);
  auto text_exp = claims();
  text_exp["exp"] = "99999999999";
  EXPECT_EQ(verify_status(token(hs256(), text_exp)), 401u);
  auto huge_exp = claims();
  huge_exp["exp"] = 1e300;
  EXPECT_EQ(verify_status(token(hs256(), huge_exp)), 401u);
  auto future = claims();
  future["nbf"] = now_seconds() + 600;
  EXPECT_EQ(verify_status(token(hs256(), future)), 401u);
  auto bad_nbf = claims();
  bad_nbf["nbf"] = "yesterday";
  EXPECT_EQ(verify_status(token(hs256(), bad_nbf)), 401u);
}

TEST_F(HostileTokens, RefusesATamperedPayloadOrSignature) {
  const std::string good = token(hs256(), claims());
  const auto first_dot = good.find('.');
  const auto second_dot = good.rfind('.');
  auto other = claims();
  other["email"] = "attacker@example.org";
  const std::string swapped_payload = good.substr(0, first_dot + 1) +
                                      base64url_encode(boost::json::serialize(other)) +
                                      good.substr(second_dot);
  EXPECT_EQ(verify_status(swapped_payload), 401u);

  std::string flipped = good;
  flipped[second_dot + 5] = flipped[second_dot + 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(verify_status(flipped), 401u);
  EXPECT_EQ(verify_status(good.substr(0, good.size() - 2)), 401u);  // truncated signature
  EXPECT_EQ(verify_status(good + "AAAA"), 401u);                    // longer signature
  EXPECT_EQ(verify_status(good.substr(0, second_dot + 1)), 401u);   // no signature
  // Same bytes, another header spelling: the signature no longer matches.
  const std::string respelled = base64url_encode("{\"typ\":\"JWT\",\"alg\":\"HS256\"}") +
                                good.substr(first_dot, second_dot - first_dot) +
                                good.substr(second_dot);
  EXPECT_EQ(verify_status(respelled), 401u);
}

TEST_F(HostileTokens, RefusesOversizedAndNonBase64urlSegments) {
  const std::string good = token(hs256(), claims());
  const auto second_dot = good.rfind('.');
  // Standard base64 characters and padding are not base64url.
  std::string standard = good;
  for (char& c : standard) {
    c = c == '-' ? '+' : c == '_' ? '/' : c;
  }
  if (standard != good) {
    EXPECT_EQ(verify_status(standard), 401u);
  }
  EXPECT_EQ(verify_status(good + "="), 401u);
  EXPECT_EQ(verify_status(good.substr(0, second_dot) + ".!!!!"), 401u);
  EXPECT_EQ(verify_status(std::string("a") + std::string(1, '\0') + "." + good), 401u);
  for (const char* shape : {"", ".", "..", "...", "a.b.c.d", "eyJ.eyJ.eyJ", "\xff\xfe.\xff.\xff"}) {
    EXPECT_EQ(verify_status(shape), 401u) << shape;
  }
  // A well-signed token over the decoder's limit (8 KiB), sent in a POST body: refused unread.
  auto padded = claims();
  padded["pad"] = std::string(7000, 'p');
  const std::string long_token = token(hs256(), padded);
  ASSERT_GT(long_token.size(), auth::kMaxTokenSize);
  const auto long_post =
      http_request(port(), "POST", "/auth/verify-connectycube",
                   boost::json::serialize(boost::json::object{{"token", long_token}}),
                   "Content-Type: application/json\r\n");
  ASSERT_TRUE(long_post);
  EXPECT_EQ(long_post->result_int(), 401u);
  // Over the header limit: refused before routing.
  EXPECT_EQ(verify_status(std::string(100'000, 'a')), 431u);
  // By POST the body limit applies; the token decoder's own limit (8 KiB) refuses it.
  const std::string big_body =
      boost::json::serialize(boost::json::object{{"token", std::string(200'000, 'a')}});
  const auto post = http_request(port(), "POST", "/auth/verify-connectycube", big_body,
                                 "Content-Type: application/json\r\n");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->result_int(), 401u);
}

TEST_F(HostileTokens, IgnoresTokensSentInUnusualPlaces) {
  const std::string good = token(hs256(), claims());
  auto status_of = [](const std::optional<TestResponse>& response) {
    return response ? response->result_int() : 0u;
  };
  // Only the query (or a POST body) is read: a header or a cookie does not authenticate.
  EXPECT_EQ(status_of(http_request(port(), "GET", "/auth/verify-connectycube", {},
                                   "Authorization: Bearer " + good + "\r\n")),
            401u);
  EXPECT_EQ(status_of(http_request(port(), "GET", "/auth/verify-connectycube", {},
                                   "Cookie: token=" + good + "\r\n")),
            401u);
  // A GET body is not read.
  EXPECT_EQ(status_of(http_request(port(), "GET", "/auth/verify-connectycube", "token=" + good,
                                   "Content-Type: application/x-www-form-urlencoded\r\n")),
            401u);
  // JSON bodies where the token is not a string.
  for (const char* body : {"{\"token\":{\"token\":\"x\"}}", "{\"token\":[\"x\"]}", "{\"token\":1}",
                           "[\"x\"]", "{\"token\":null}"}) {
    EXPECT_EQ(status_of(http_request(port(), "POST", "/auth/verify-connectycube", body,
                                     "Content-Type: application/json\r\n")),
              401u)
        << body;
  }
  // Two token parameters: the first one decides (a bad first one is not rescued by a good one).
  EXPECT_EQ(
      status_of(http_request(port(), "GET", "/auth/verify-connectycube?token=bad&token=" + good)),
      401u);
}

TEST_F(HostileTokens, LoginByTokenIssuesTokensThatResistTampering) {
  const auto registered = post_graphql(port(), kRegister, registration("cidp@example.org"));
  ASSERT_EQ(registered.status, 200u) << boost::json::serialize(registered.body);
  // A forged token in the headers authenticates nothing: only the password does.
  const std::string forged = token({{"alg", "none"}}, claims());
  const auto refused =
      post_graphql(port(), kLoginByToken,
                   {{"body", {{"email", "cidp@example.org"}, {"password", "wrong-password"}}}},
                   "Authorization: Bearer " + forged + "\r\n");
  EXPECT_EQ(refused.code(), "UNAUTHENTICATED");
  EXPECT_TRUE(refused.data().is_null());

  const auto answer =
      post_graphql(port(), kLoginByToken,
                   {{"body", {{"email", "cidp@example.org"}, {"password", "Lantern-8812"}}}});
  ASSERT_TRUE(answer.data().is_object()) << boost::json::serialize(answer.body);
  const std::string issued(answer.data().at("login_By_token").at("token").as_string());
  EXPECT_EQ(verify_status(issued), 200u);
  std::string tampered = issued;
  tampered[tampered.find('.') + 3] ^= 1;
  EXPECT_EQ(verify_status(tampered), 401u);
}

std::size_t count_of(const std::string& text, std::string_view part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) {
    ++count;
  }
  return count;
}

TEST(HostileTokenLog, LogsOneLineWithTheReasonPerRefusedTokenButNeverTheToken) {
  // A server of its own: the shared one may still be writing lines of other tests.
  Cubeauth server(hostile_environment());
  auto& process = server.process();
  const auto verify_status = [&server](const std::string& jwt) {
    const auto response =
        http_request(server.port(), "GET", "/auth/verify-connectycube?token=" + url_encode(jwt));
    return response ? response->result_int() : 0u;
  };
  const std::string expired = token(hs256(), claims(-60));
  auto tampered = token(hs256(), claims());
  char& first = tampered[tampered.rfind('.') + 1];  // all 6 bits count: still canonical
  first = first == 'A' ? 'B' : 'A';
  const std::string other_algorithm = token({{"alg", "HS512"}}, claims(), kSecret, EVP_sha512());
  const std::string marker = "Zq7marker";
  EXPECT_EQ(verify_status(expired), 401u);
  EXPECT_EQ(verify_status(tampered), 401u);
  EXPECT_EQ(verify_status(other_algorithm), 401u);
  EXPECT_EQ(verify_status(marker + ".not.a-token"), 401u);
  EXPECT_EQ(verify_status(""), 401u);
  std::string output;
  for (int i = 0; i < 100 && count_of(output, "verify: token refused") < 5; ++i) {
    std::this_thread::sleep_for(10ms);
    output = process.output();
  }
  EXPECT_EQ(count_of(output, "verify: token refused"), 5u) << output;
  EXPECT_NE(output.find("verify: token refused: expired"), std::string::npos);
  EXPECT_NE(output.find("verify: token refused: bad signature"), std::string::npos);
  EXPECT_NE(output.find("verify: token refused: algorithm other than HS256"), std::string::npos);
  EXPECT_NE(output.find("verify: token refused: malformed token"), std::string::npos);
  EXPECT_NE(output.find("verify: token refused: none given"), std::string::npos);
  for (const std::string& secret : {expired, tampered, other_algorithm, marker}) {
    EXPECT_EQ(output.find(secret.substr(secret.size() / 2)), std::string::npos)
        << "a token reached the log";
  }
}

}  // namespace
}  // namespace cubeauth::testing
