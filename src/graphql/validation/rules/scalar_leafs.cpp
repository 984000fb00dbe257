// Spec 5.3.3 Leaf Field Selections: scalars and enums have no selection set; objects,
// interfaces and unions need one (graphql-js ScalarLeafsRule).
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

namespace cubeauth::graphql::rules {

namespace {

class ScalarLeafs final : public Rule {
 public:
  using Rule::Rule;

  void enter_field(const ast::Field& node) override {
    const Type* type = context().type_info().type();
    if (type == nullptr) {
      return;
    }
    const std::string& name = node.name.value;
    if (type->is_leaf_type()) {
      if (node.selection_set) {
        context().report("Field \"" + name + "\" must not have a selection since type \"" +
                             type->to_string() + "\" has no subfields.",
                         {node.selection_set->loc});
      }
    } else if (!node.selection_set) {
      context().report("Field \"" + name + "\" of type \"" + type->to_string() +
                           "\" must have a selection of subfields. Did you mean \"" + name +
                           " { ... }\"?",
                       {node.loc});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> scalar_leafs(ValidationContext& context) {
  return std::make_unique<ScalarLeafs>(context);
}

}  // namespace cubeauth::graphql::rules
