// Validation of an executable document against a schema (spec 5): the single entry point the
// request pipeline calls. Returns every error found (capped at max_errors), graphql-js wording.
#pragma once

#include "graphql/error/graphql_error.hpp"
#include "graphql/language/ast.hpp"
#include "graphql/validation/specified_rules.hpp"

#include <cstddef>
#include <span>
#include <vector>

namespace cubeauth::graphql {

class Schema;

struct ValidationOptions {
  /// graphql-js validate() maxErrors: after this many errors, one more error "Too many
  /// validation errors, error limit reached. Validation aborted." ends the list.
  std::size_t max_errors = 100;
};

/// Runs the spec's validation rules (section 5) over `document`. An empty result means valid.
std::vector<GraphQLError> validate(const Schema& schema, const ast::Document& document,
                                   const ValidationOptions& options = {});

/// The same with a chosen set of rules (e.g. one rule alone, in tests).
std::vector<GraphQLError> validate(const Schema& schema, const ast::Document& document,
                                   std::span<const RuleSpec> rules,
                                   const ValidationOptions& options = {});

}  // namespace cubeauth::graphql
