// Spec 5.8.5 All Variable Usages Are Allowed: a variable's type fits every position it is
// used in, a default value making a nullable variable fit a non-null position
// (graphql-js VariablesInAllowedPositionRule).
#include "graphql/schema/schema.hpp"
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

#include <string_view>
#include <unordered_map>

namespace cubeauth::graphql::rules {

namespace {

class VariablesInAllowedPosition final : public Rule {
 public:
  using Rule::Rule;

  void enter_operation(const ast::OperationDefinition& node) override { operations_.push_back(&node); }

  // Usages inside fragments are known only once the whole document has been walked.
  void leave_document(const ast::Document&) override {
    for (const ast::OperationDefinition* operation : operations_) {
      std::unordered_map<std::string_view, const ast::VariableDefinition*> definitions;
      for (const ast::VariableDefinition& definition : operation->variable_definitions) {
        definitions[definition.variable.name.value] = &definition;
      }
      for (const VariableUsage& usage : context().recursive_variable_usages(*operation)) {
        auto found = definitions.find(usage.node->name.value);
        if (found == definitions.end() || usage.type == nullptr) {
          continue;
        }
        const ast::VariableDefinition& definition = *found->second;
        const Type* variable_type = context().schema().type_from_ast(definition.type);
        if (variable_type != nullptr && !allowed(variable_type, definition, usage)) {
          context().report("Variable \"$" + usage.node->name.value + "\" of type \"" +
                               variable_type->to_string() + "\" used in position expecting type \"" +
                               usage.type->to_string() + "\".",
                           {definition.loc, usage.node->loc});
        }
      }
    }
  }

 private:
  bool allowed(const Type* variable_type, const ast::VariableDefinition& definition,
               const VariableUsage& usage) const {
    const Schema& schema = context().schema();
    if (usage.type->is_non_null() && !variable_type->is_non_null()) {
      bool has_non_null_default = definition.default_value &&
                                  !std::holds_alternative<ast::NullValue>(*definition.default_value);
      if (!has_non_null_default && usage.default_value == nullptr) {
        return false;
      }
      return schema.is_type_sub_type_of(variable_type, usage.type->of_type());
    }
    return schema.is_type_sub_type_of(variable_type, usage.type);
  }

  std::vector<const ast::OperationDefinition*> operations_;
};

}  // namespace

std::unique_ptr<Rule> variables_in_allowed_position(ValidationContext& context) {
  return std::make_unique<VariablesInAllowedPosition>(context);
}

}  // namespace cubeauth::graphql::rules
