// Spec 5.5.2.3 Fragment Spread Is Possible: the fragment's type and the parent type share at
// least one object type (graphql-js PossibleFragmentSpreadsRule).
#include "graphql/schema/schema.hpp"
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

namespace cubeauth::graphql::rules {

namespace {

class PossibleFragmentSpreads final : public Rule {
 public:
  using Rule::Rule;

  void enter_inline_fragment(const ast::InlineFragment& node) override {
    const Type* type = context().type_info().type();
    const NamedType* fragment_type = type != nullptr ? type->named_type() : nullptr;
    if (fragment_type == nullptr || !fragment_type->is_composite_type()) {
      return;
    }
    const NamedType* parent = context().type_info().parent_type();
    if (parent != nullptr && !context().schema().do_types_overlap(fragment_type, parent)) {
      context().report("Fragment cannot be spread here as objects of type \"" + parent->name() +
                           "\" can never be of type \"" + fragment_type->name() + "\".",
                       {node.loc});
    }
  }

  void enter_fragment_spread(const ast::FragmentSpread& node) override {
    const ast::FragmentDefinition* fragment = context().fragment(node.name.value);
    const NamedType* fragment_type =
        fragment != nullptr ? context().schema().type(fragment->type_condition.name.value) : nullptr;
    if (fragment_type == nullptr || !fragment_type->is_composite_type()) {
      return;
    }
    const NamedType* parent = context().type_info().parent_type();
    if (parent != nullptr && !context().schema().do_types_overlap(fragment_type, parent)) {
      context().report("Fragment \"" + node.name.value +
                           "\" cannot be spread here as objects of type \"" + parent->name() +
                           "\" can never be of type \"" + fragment_type->name() + "\".",
                       {node.loc});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> possible_fragment_spreads(ValidationContext& context) {
  return std::make_unique<PossibleFragmentSpreads>(context);
}

}  // namespace cubeauth::graphql::rules
