// https: the client verifies the server's certificate (trust store and host name) and
// speaks HTTP/1.1 over TLS once it trusts it. The test makes its own CA-less certificate.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>
#include <fstream>

#include "connectycube/client.hpp"
#include "harness.hpp"

namespace cubeauth::connectycube {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Pem {
  std::string key;
  std::string certificate;
};

/// A self-signed P-256 certificate whose subjectAltName is `ip`.
Pem self_signed(const std::string& ip) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(ip.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  const std::string san = "IP:" + ip;
  X509_EXTENSION* extension =
      X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, san.c_str());
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
  X509_sign(cert, key, EVP_sha256());

  const auto to_pem = [](auto write) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio);
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    std::string text(data, static_cast<std::size_t>(length));
    BIO_free(bio);
    return text;
  };
  Pem pem;
  pem.key = to_pem([key](BIO* bio) {
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  });
  pem.certificate = to_pem([cert](BIO* bio) { PEM_write_bio_X509(bio, cert); });
  X509_free(cert);
  EVP_PKEY_free(key);
  return pem;
}

/// Answers each TLS connection's first request with a session, then closes.
class TlsServer {
 public:
  explicit TlsServer(const Pem& pem) : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    context_.use_certificate_chain(asio::buffer(pem.certificate));
    context_.use_private_key(asio::buffer(pem.key), asio::ssl::context::pem);
    thread_ = std::thread([this] { serve(); });
  }
  ~TlsServer() {
    stopping_ = true;
    boost::system::error_code ignored;
    tcp::socket waker(io_);
    waker.connect(acceptor_.local_endpoint(), ignored);
    thread_.join();
  }
  std::string url() const {
    return "https://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }
  int answered() const { return answered_.load(); }

 private:
  void serve() {
    while (!stopping_) {
      asio::ssl::stream<tcp::socket> stream(io_, context_);
      boost::system::error_code ec;
      acceptor_.accept(stream.next_layer(), ec);
      if (ec || stopping_) {
        break;
      }
      stream.handshake(asio::ssl::stream_base::server, ec);
      if (ec) {
        continue;  // the client refused our certificate
      }
      asio::streambuf buffer;
      asio::read_until(stream, buffer, "\r\n\r\n", ec);
      const std::string body =
          R"({"session":{"token":"9C41E07B2AD35F8816E2C0B47A9D3E51F06C","user_id":700031}})";
      const std::string answer =
          "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
          "Connection: close\r\nContent-Length: " +
          std::to_string(body.size()) + "\r\n\r\n" + body;
      asio::write(stream, asio::buffer(answer), ec);
      ++answered_;
      stream.shutdown(ec);
    }
  }

  asio::io_context io_;
  asio::ssl::context context_{asio::ssl::context::tls_server};
  tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> answered_{0};
  std::thread thread_;
};

class TlsClient : public ::testing::Test {
 protected:
  Result<Session, Error> session(const std::string& url, const std::string& ca_file) {
    ClientOptions options;
    options.api_url = url;
    options.app_id = "5120";
    options.auth_key = "k";
    options.max_retries = 0;
    options.ca_file = ca_file;
    Client client(options);
    return testing::run(
        [&]() { return client.create_session_with_email("a@b.io", "Lantern-8812"); });
  }

  std::string write_ca(const Pem& pem, const std::string& name) {
    const auto path =
        std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".pem");
    std::ofstream(path) << pem.certificate;
    files_.push_back(path);
    return path.string();
  }
  void TearDown() override {
    for (const auto& path : files_) {
      std::filesystem::remove(path);
    }
  }

 private:
  std::vector<std::filesystem::path> files_;
};

TEST_F(TlsClient, RefusesACertificateNotInTheTrustStore) {
  TlsServer server(self_signed("127.0.0.1"));
  auto result = session(server.url(), "");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kUnavailable);
  EXPECT_NE(result.error().message.find("TLS handshake"), std::string::npos)
      << result.error().message;
  EXPECT_EQ(server.answered(), 0);
}

TEST_F(TlsClient, TalksToATrustedServer) {
  const Pem pem = self_signed("127.0.0.1");
  TlsServer server(pem);
  auto result = session(server.url(), write_ca(pem, "cubeauth-tls-trusted"));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->user_id, 700031);
}

TEST_F(TlsClient, RefusesATrustedCertificateForAnotherHost) {
  const Pem pem = self_signed("127.0.0.2");  // trusted, but not for 127.0.0.1
  TlsServer server(pem);
  auto result = session(server.url(), write_ca(pem, "cubeauth-tls-other-host"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(server.answered(), 0);
}

TEST_F(TlsClient, ReportsAnUnreadableCaFile) {
  TlsServer server(self_signed("127.0.0.1"));
  auto result = session(server.url(), "/nonexistent/ca.pem");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("CA file"), std::string::npos);
}

}  // namespace
}  // namespace cubeauth::connectycube
