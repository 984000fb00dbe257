// What validation rules share during one walk: the schema and document, the TypeInfo, the
// error list (capped), and the fragment and variable-usage indexes of graphql-js's
// ValidationContext (src/validation/ValidationContext.ts).
#pragma once

#include "graphql/error/graphql_error.hpp"
#include "graphql/language/ast.hpp"
#include "graphql/schema/types.hpp"
#include "graphql/validation/type_info.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cubeauth::graphql {

class Schema;

/// A variable as used in a value, with the input type and default value expected there.
struct VariableUsage {
  const ast::Variable* node = nullptr;
  const Type* type = nullptr;
  const ast::Value* default_value = nullptr;
};

class ValidationContext {
 public:
  ValidationContext(const Schema& schema, const ast::Document& document, std::size_t max_errors);

  const Schema& schema() const { return schema_; }
  const ast::Document& document() const { return document_; }
  TypeInfo& type_info() { return type_info_; }
  const TypeInfo& type_info() const { return type_info_; }

  /// Records an error. Past `max_errors` adds graphql-js's "Too many validation errors" error
  /// once and marks the validation aborted; later reports are dropped.
  void report(GraphQLError error);
  void report(std::string message, std::vector<ast::Location> locations);
  bool aborted() const { return aborted_; }
  std::vector<GraphQLError> take_errors() { return std::move(errors_); }

  /// The fragment definition named `name` (the last one, as graphql-js), or nullptr.
  const ast::FragmentDefinition* fragment(std::string_view name) const;
  /// Fragment spreads in a selection set, inline fragments and sub-selections included.
  const std::vector<const ast::FragmentSpread*>& fragment_spreads(const ast::SelectionSet& set);
  /// Fragments reachable from an operation through spreads, each once, in discovery order.
  std::vector<const ast::FragmentDefinition*> recursively_referenced_fragments(
      const ast::OperationDefinition& operation);

  /// Variable usages of an operation and of every fragment it reaches. Complete only once the
  /// walk is over (in leave_document hooks).
  std::vector<VariableUsage> recursive_variable_usages(const ast::OperationDefinition& operation);

  /// The directive location of the node whose directives are being visited.
  DirectiveLocation directive_location() const { return directive_location_; }

  // Used by the walker.
  void set_directive_location(DirectiveLocation location) { directive_location_ = location; }
  void set_current_definition(const void* definition) { current_definition_ = definition; }
  void record_variable_usage(const ast::Variable& node);

 private:
  const Schema& schema_;
  const ast::Document& document_;
  TypeInfo type_info_;
  std::size_t max_errors_;
  bool aborted_ = false;
  std::vector<GraphQLError> errors_;
  std::unordered_map<std::string_view, const ast::FragmentDefinition*> fragments_;
  std::unordered_map<const ast::SelectionSet*, std::vector<const ast::FragmentSpread*>> spreads_;
  std::unordered_map<const void*, std::vector<VariableUsage>> usages_;
  const void* current_definition_ = nullptr;
  DirectiveLocation directive_location_ = DirectiveLocation::kQuery;
};

}  // namespace cubeauth::graphql
