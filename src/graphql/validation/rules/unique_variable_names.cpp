// Spec 5.8.1 Variable Uniqueness (graphql-js UniqueVariableNamesRule).
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

#include <string_view>
#include <unordered_map>

namespace cubeauth::graphql::rules {

namespace {

class UniqueVariableNames final : public Rule {
 public:
  using Rule::Rule;

  // One error per repeated name, located at every definition of it.
  void enter_operation(const ast::OperationDefinition& node) override {
    std::vector<std::string_view> order;
    std::unordered_map<std::string_view, std::vector<ast::Location>> by_name;
    for (const ast::VariableDefinition& definition : node.variable_definitions) {
      const ast::Name& name = definition.variable.name;
      auto& locations = by_name[name.value];
      if (locations.empty()) {
        order.push_back(name.value);
      }
      locations.push_back(name.loc);
    }
    for (std::string_view name : order) {
      auto& locations = by_name[name];
      if (locations.size() > 1) {
        context().report("There can be only one variable named \"$" + std::string(name) + "\".",
                         std::move(locations));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> unique_variable_names(ValidationContext& context) {
  return std::make_unique<UniqueVariableNames>(context);
}

}  // namespace cubeauth::graphql::rules
