// Spec 5.8.3 All Variable Uses Defined: every variable used by an operation, directly or in
// the fragments it reaches, is defined by it (graphql-js NoUndefinedVariablesRule).
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

#include <string_view>
#include <unordered_set>

namespace cubeauth::graphql::rules {

namespace {

class NoUndefinedVariables final : public Rule {
 public:
  using Rule::Rule;

  void enter_operation(const ast::OperationDefinition& node) override { operations_.push_back(&node); }

  // Usages inside fragments are known only once the whole document has been walked.
  void leave_document(const ast::Document&) override {
    for (const ast::OperationDefinition* operation : operations_) {
      std::unordered_set<std::string_view> defined;
      for (const ast::VariableDefinition& definition : operation->variable_definitions) {
        defined.insert(definition.variable.name.value);
      }
      for (const VariableUsage& usage : context().recursive_variable_usages(*operation)) {
        const std::string& name = usage.node->name.value;
        if (defined.contains(name)) {
          continue;
        }
        context().report(operation->name ? "Variable \"$" + name + "\" is not defined by operation \"" +
                                               operation->name->value + "\"."
                                         : "Variable \"$" + name + "\" is not defined.",
                         {usage.node->loc, operation->loc});
      }
    }
  }

 private:
  std::vector<const ast::OperationDefinition*> operations_;
};

}  // namespace

std::unique_ptr<Rule> no_undefined_variables(ValidationContext& context) {
  return std::make_unique<NoUndefinedVariables>(context);
}

}  // namespace cubeauth::graphql::rules
