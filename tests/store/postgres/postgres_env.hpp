// What scripts/with-postgres.sh exports, for the PostgreSQL-specific tests.
#pragma once

#include <cstdlib>
#include <string>

namespace cubeauth::store::testing {

inline std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

inline std::string postgres_url() { return env_or_empty("TEST_POSTGRES_URL"); }

inline constexpr const char* kNoPostgres =
    "TEST_POSTGRES_URL is not set: run the tests through scripts/with-postgres.sh "
    "(it starts a throwaway PostgreSQL 15)";

}  // namespace cubeauth::store::testing
