// A validation rule (spec 5): an object with enter/leave hooks that the validator calls during
// its one walk over the document, in document order (as graphql-js's visitInParallel).
#pragma once

#include "graphql/language/ast.hpp"

namespace cubeauth::graphql {

class ValidationContext;

/// Hooks default to doing nothing; a rule overrides the ones it needs. When a hook runs, the
/// context's TypeInfo already describes the node being entered (or still does, on leave).
class Rule {
 public:
  explicit Rule(ValidationContext& context) : context_(context) {}
  virtual ~Rule() = default;
  Rule(const Rule&) = delete;
  Rule& operator=(const Rule&) = delete;

  virtual void enter_document(const ast::Document&) {}
  virtual void leave_document(const ast::Document&) {}
  /// Every top-level definition, executable or not, before its own hooks.
  virtual void enter_definition(const ast::Definition&) {}
  virtual void enter_operation(const ast::OperationDefinition&) {}
  virtual void leave_operation(const ast::OperationDefinition&) {}
  virtual void enter_fragment_definition(const ast::FragmentDefinition&) {}
  virtual void leave_fragment_definition(const ast::FragmentDefinition&) {}
  virtual void enter_variable_definition(const ast::VariableDefinition&) {}
  virtual void enter_selection_set(const ast::SelectionSet&) {}
  virtual void enter_field(const ast::Field&) {}
  virtual void leave_field(const ast::Field&) {}
  virtual void enter_fragment_spread(const ast::FragmentSpread&) {}
  virtual void enter_inline_fragment(const ast::InlineFragment&) {}
  /// Directives and arguments of any node; the owner's nodes come first (for the location).
  virtual void enter_directives(const std::vector<ast::Directive>&) {}
  virtual void enter_directive(const ast::Directive&) {}
  virtual void enter_arguments(const std::vector<ast::Argument>&) {}
  virtual void enter_argument(const ast::Argument&) {}
  /// Every value literal, nested ones included (list items, object fields' values).
  virtual void enter_value(const ast::Value&) {}
  virtual void leave_value(const ast::Value&) {}
  virtual void enter_object_field(const ast::ObjectField&) {}
  /// Named types in variable definitions and type conditions.
  virtual void enter_named_type(const ast::NamedType&) {}

 protected:
  ValidationContext& context() { return context_; }
  const ValidationContext& context() const { return context_; }

 private:
  ValidationContext& context_;
};

}  // namespace cubeauth::graphql
