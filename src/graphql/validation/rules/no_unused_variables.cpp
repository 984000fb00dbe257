// Spec 5.8.4 All Variables Used: every variable an operation defines is used by it or by the
// fragments it reaches (graphql-js NoUnusedVariablesRule).
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

#include <string_view>
#include <unordered_set>

namespace cubeauth::graphql::rules {

namespace {

class NoUnusedVariables final : public Rule {
 public:
  using Rule::Rule;

  void enter_operation(const ast::OperationDefinition& node) override { operations_.push_back(&node); }

  // Usages inside fragments are known only once the whole document has been walked.
  void leave_document(const ast::Document&) override {
    for (const ast::OperationDefinition* operation : operations_) {
      std::unordered_set<std::string_view> used;
      for (const VariableUsage& usage : context().recursive_variable_usages(*operation)) {
        used.insert(usage.node->name.value);
      }
      for (const ast::VariableDefinition& definition : operation->variable_definitions) {
        const std::string& name = definition.variable.name.value;
        if (used.contains(name)) {
          continue;
        }
        context().report(operation->name ? "Variable \"$" + name + "\" is never used in operation \"" +
                                               operation->name->value + "\"."
                                         : "Variable \"$" + name + "\" is never used.",
                         {definition.loc});
      }
    }
  }

 private:
  std::vector<const ast::OperationDefinition*> operations_;
};

}  // namespace

std::unique_ptr<Rule> no_unused_variables(ValidationContext& context) {
  return std::make_unique<NoUnusedVariables>(context);
}

}  // namespace cubeauth::graphql::rules
