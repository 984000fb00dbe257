// Spec 5.5.1.4 Fragments Must Be Used: every fragment is reachable from some operation
// (graphql-js NoUnusedFragmentsRule).
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

#include <string_view>
#include <unordered_set>

namespace cubeauth::graphql::rules {

namespace {

class NoUnusedFragments final : public Rule {
 public:
  using Rule::Rule;

  void enter_operation(const ast::OperationDefinition& node) override { operations_.push_back(&node); }
  void enter_fragment_definition(const ast::FragmentDefinition& node) override {
    fragments_.push_back(&node);
  }

  void leave_document(const ast::Document&) override {
    std::unordered_set<std::string_view> used;
    for (const ast::OperationDefinition* operation : operations_) {
      for (const ast::FragmentDefinition* fragment :
           context().recursively_referenced_fragments(*operation)) {
        used.insert(fragment->name.value);
      }
    }
    for (const ast::FragmentDefinition* fragment : fragments_) {
      if (!used.contains(fragment->name.value)) {
        context().report("Fragment \"" + fragment->name.value + "\" is never used.",
                         {fragment->loc});
      }
    }
  }

 private:
  std::vector<const ast::OperationDefinition*> operations_;
  std::vector<const ast::FragmentDefinition*> fragments_;
};

}  // namespace

std::unique_ptr<Rule> no_unused_fragments(ValidationContext& context) {
  return std::make_unique<NoUnusedFragments>(context);
}

}  // namespace cubeauth::graphql::rules
