// Spec 5.2.1.1 Operation Name Uniqueness (graphql-js UniqueOperationNamesRule).
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

#include <string_view>
#include <unordered_map>

namespace cubeauth::graphql::rules {

namespace {

class UniqueOperationNames final : public Rule {
 public:
  using Rule::Rule;

  void enter_operation(const ast::OperationDefinition& node) override {
    if (!node.name) {
      return;
    }
    auto [known, inserted] = known_.try_emplace(node.name->value, node.name->loc);
    if (!inserted) {
      context().report("There can be only one operation named \"" + node.name->value + "\".",
                       {known->second, node.name->loc});
    }
  }

 private:
  std::unordered_map<std::string_view, ast::Location> known_;
};

}  // namespace

std::unique_ptr<Rule> unique_operation_names(ValidationContext& context) {
  return std::make_unique<UniqueOperationNames>(context);
}

}  // namespace cubeauth::graphql::rules
