// Spec 5.2.2.1 Lone Anonymous Operation: an operation without a name must be the only one
// (graphql-js LoneAnonymousOperationRule).
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

namespace cubeauth::graphql::rules {

namespace {

class LoneAnonymousOperation final : public Rule {
 public:
  using Rule::Rule;

  void enter_document(const ast::Document& document) override {
    for (const ast::Definition& definition : document.definitions) {
      operation_count_ += std::holds_alternative<ast::OperationDefinition>(definition) ? 1 : 0;
    }
  }

  void enter_operation(const ast::OperationDefinition& node) override {
    if (!node.name && operation_count_ > 1) {
      context().report("This anonymous operation must be the only defined operation.",
                       {node.loc});
    }
  }

 private:
  std::size_t operation_count_ = 0;
};

}  // namespace

std::unique_ptr<Rule> lone_anonymous_operation(ValidationContext& context) {
  return std::make_unique<LoneAnonymousOperation>(context);
}

}  // namespace cubeauth::graphql::rules
