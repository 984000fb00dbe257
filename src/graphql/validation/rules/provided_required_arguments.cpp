// Spec 5.4.2.1 Required Arguments: every non-null argument without a default is given, on
// fields and directives (graphql-js ProvidedRequiredArgumentsRule).
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

namespace cubeauth::graphql::rules {

namespace {

bool is_provided(const std::vector<ast::Argument>& given, const std::string& name) {
  for (const ast::Argument& argument : given) {
    if (argument.name.value == name) {
      return true;
    }
  }
  return false;
}

bool is_required(const InputValue& argument) {
  return argument.type->is_non_null() && !argument.default_literal;
}

class ProvidedRequiredArguments final : public Rule {
 public:
  using Rule::Rule;

  void leave_field(const ast::Field& node) override {
    const FieldDefinition* field = context().type_info().field_def();
    if (field == nullptr) {
      return;
    }
    for (const InputValue& argument : field->arguments) {
      if (is_required(argument) && !is_provided(node.arguments, argument.name)) {
        context().report("Field \"" + field->name + "\" argument \"" + argument.name +
                             "\" of type \"" + argument.type->to_string() +
                             "\" is required, but it was not provided.",
                         {node.loc});
      }
    }
  }

  void enter_directive(const ast::Directive& node) override {
    const DirectiveDefinition* directive = context().type_info().directive();
    if (directive == nullptr) {
      return;
    }
    for (const InputValue& argument : directive->arguments) {
      if (is_required(argument) && !is_provided(node.arguments, argument.name)) {
        context().report("Directive \"@" + directive->name + "\" argument \"" + argument.name +
                             "\" of type \"" + argument.type->to_string() +
                             "\" is required, but it was not provided.",
                         {node.loc});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> provided_required_arguments(ValidationContext& context) {
  return std::make_unique<ProvidedRequiredArguments>(context);
}

}  // namespace cubeauth::graphql::rules
