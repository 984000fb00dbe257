// Spec 5.5.1.3 Fragments On Composite Types: a type condition names an object, interface or
// union (graphql-js FragmentsOnCompositeTypesRule).
#include "graphql/language/printer.hpp"
#include "graphql/schema/schema.hpp"
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

namespace cubeauth::graphql::rules {

namespace {

class FragmentsOnCompositeTypes final : public Rule {
 public:
  using Rule::Rule;

  void enter_inline_fragment(const ast::InlineFragment& node) override {
    if (node.type_condition && is_non_composite(*node.type_condition)) {
      context().report("Fragment cannot condition on non composite type \"" +
                           node.type_condition->name.value + "\".",
                       {node.type_condition->loc});
    }
  }

  void enter_fragment_definition(const ast::FragmentDefinition& node) override {
    if (is_non_composite(node.type_condition)) {
      context().report("Fragment \"" + node.name.value +
                           "\" cannot condition on non composite type \"" +
                           node.type_condition.name.value + "\".",
                       {node.type_condition.loc});
    }
  }

 private:
  // Unknown types are KnownTypeNames' business.
  bool is_non_composite(const ast::NamedType& condition) const {
    const NamedType* type = context().schema().type(condition.name.value);
    return type != nullptr && !type->is_composite_type();
  }
};

}  // namespace

std::unique_ptr<Rule> fragments_on_composite_types(ValidationContext& context) {
  return std::make_unique<FragmentsOnCompositeTypes>(context);
}

}  // namespace cubeauth::graphql::rules
