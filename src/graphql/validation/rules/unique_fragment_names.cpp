// Spec 5.5.1.1 Fragment Name Uniqueness (graphql-js UniqueFragmentNamesRule).
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

#include <string_view>
#include <unordered_map>

namespace cubeauth::graphql::rules {

namespace {

class UniqueFragmentNames final : public Rule {
 public:
  using Rule::Rule;

  void enter_fragment_definition(const ast::FragmentDefinition& node) override {
    auto [known, inserted] = known_.try_emplace(node.name.value, node.name.loc);
    if (!inserted) {
      context().report("There can be only one fragment named \"" + node.name.value + "\".",
                       {known->second, node.name.loc});
    }
  }

 private:
  std::unordered_map<std::string_view, ast::Location> known_;
};

}  // namespace

std::unique_ptr<Rule> unique_fragment_names(ValidationContext& context) {
  return std::make_unique<UniqueFragmentNames>(context);
}

}  // namespace cubeauth::graphql::rules
