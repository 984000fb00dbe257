// Spec 5.8.2 Variables Are Input Types: a variable's type is a scalar, enum or input object,
// possibly wrapped (graphql-js VariablesAreInputTypesRule).
#include "graphql/language/printer.hpp"
#include "graphql/schema/schema.hpp"
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

namespace cubeauth::graphql::rules {

namespace {

class VariablesAreInputTypes final : public Rule {
 public:
  using Rule::Rule;

  void enter_variable_definition(const ast::VariableDefinition& node) override {
    const Type* type = context().schema().type_from_ast(node.type);
    if (type != nullptr && !type->is_input_type()) {
      context().report("Variable \"$" + node.variable.name.value +
                           "\" cannot be non-input type \"" + print(node.type) + "\".",
                       {node.type.loc()});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> variables_are_input_types(ValidationContext& context) {
  return std::make_unique<VariablesAreInputTypes>(context);
}

}  // namespace cubeauth::graphql::rules
