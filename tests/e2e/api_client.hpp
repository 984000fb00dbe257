// Helpers for end-to-end tests of cubeauth's API: start the binary with a throwaway
// SQLite file (or a given DATABASE_URL) and talk GraphQL to it.
#pragma once

#include "support/raw_client.hpp"
#include "support/server_process.hpp"

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace cubeauth::testing {

struct GraphqlAnswer {
  unsigned status = 0;
  std::string content_type;
  boost::json::value body;  ///< parsed JSON (null when the body was not JSON)

  const boost::json::value& data() const;
  /// The errors array (empty when absent).
  const boost::json::array& errors() const;
  /// extensions.code of error `index`.
  std::string code(std::size_t index = 0) const;
};

/// POST /api with {"query", "variables"}.
GraphqlAnswer post_graphql(std::uint16_t port, const std::string& query,
                           const boost::json::object& variables = {},
                           const std::string& extra_headers = {});

/// Starts cubeauth on 127.0.0.1:0 with a fresh data folder; `environment` adds or
/// overrides variables (DATABASE_URL defaults to an SQLite file in the folder).
class Cubeauth {
 public:
  explicit Cubeauth(std::map<std::string, std::string> environment = {});
  std::uint16_t port() const { return process_->port(); }
  ServerProcess& process() { return *process_; }
  const std::string& folder() const { return dir_.path(); }

 private:
  TempDir dir_;
  std::unique_ptr<ServerProcess> process_;
};

/// An email no other test of any process has used: with PostgreSQL every test of
/// a run shares one database.
std::string unique_email(const std::string& name);

/// The stores end-to-end suites run on: SQLite always, PostgreSQL when
/// TEST_POSTGRES_URL points at a server (scripts/with-postgres.sh sets it).
inline const std::string kStores[] = {"sqlite", "postgres"};

/// Environment that points cubeauth at `store`; nullopt when that store is not
/// available here (the test then skips, saying why).
std::optional<std::map<std::string, std::string>> store_environment(const std::string& store);

/// A suite run on every store (kStores) with one cubeauth per store, shared by the
/// suite's tests; a store that is not available here skips them, saying why.
class OnEveryStore : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  static void TearDownTestSuite() { servers_.clear(); }
  std::uint16_t port() const { return port_; }
  /// The shared server of the test's store.
  Cubeauth& server() { return *servers_.at(GetParam()); }

  std::uint16_t port_ = 0;

 private:
  static std::map<std::string, std::unique_ptr<Cubeauth>> servers_;
};

/// A registration mutation's variables.
boost::json::object registration(const std::string& email, const std::string& password = "Lantern-8812",
                                 const std::string& first = "Nadia", const std::string& last = "K");

inline const char* kRegister =
    "mutation($body: UserRegisterInput!) { register(body: $body) { message user { id firstName lastName email } } }";
inline const char* kLogin =
    "mutation($body: LoginUserDto!) { login(body: $body) { message token connectySession ccUserId "
    "user { id firstName lastName email } } }";
inline const char* kLoginByToken =
    "mutation($body: LoginUserDto!) { login_By_token(body: $body) { message token connectySession ccUserId "
    "user { id email } } }";

}  // namespace cubeauth::testing
