// One harness for every validation rule test (as graphql-js src/validation/__tests__/
// harness.ts): runs one rule, or all, over a document against a test schema modelled on the
// spec's section 5 examples, and compares errors by message, line and column.
#pragma once

#include "graphql/error/graphql_error.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cubeauth::graphql::testing {

struct ExpectedError {
  std::string message;
  std::vector<std::pair<unsigned, unsigned>> locations;  // (line, column)
  friend bool operator==(const ExpectedError&, const ExpectedError&) = default;
  friend std::ostream& operator<<(std::ostream& out, const ExpectedError& error);
};

/// Errors of `rule` alone ("KnownFragmentNames"; "" runs every rule) over `document`.
std::vector<ExpectedError> run_rule(std::string_view rule, std::string_view document);

/// gtest assertions: `document` passes `rule`, or fails it with exactly `errors`, in order.
::testing::AssertionResult passes(std::string_view rule, std::string_view document);
::testing::AssertionResult fails(std::string_view rule, std::string_view document,
                                 const std::vector<ExpectedError>& errors);

}  // namespace cubeauth::graphql::testing
