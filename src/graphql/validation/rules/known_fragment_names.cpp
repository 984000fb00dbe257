// Spec 5.5.2.1 Fragment Spread Target Defined (graphql-js KnownFragmentNamesRule).
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

namespace cubeauth::graphql::rules {

namespace {

class KnownFragmentNames final : public Rule {
 public:
  using Rule::Rule;

  void enter_fragment_spread(const ast::FragmentSpread& node) override {
    if (context().fragment(node.name.value) == nullptr) {
      context().report("Unknown fragment \"" + node.name.value + "\".", {node.name.loc});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> known_fragment_names(ValidationContext& context) {
  return std::make_unique<KnownFragmentNames>(context);
}

}  // namespace cubeauth::graphql::rules
