// Spec 5.5.1.2 Fragment Spread Type Existence and 5.8.2's type lookup: every type named in a
// variable definition or a type condition exists (graphql-js KnownTypeNamesRule).
#include "graphql/schema/schema.hpp"
#include "graphql/validation/detail/suggestions.hpp"
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

namespace cubeauth::graphql::rules {

namespace {

class KnownTypeNames final : public Rule {
 public:
  using Rule::Rule;

  void enter_named_type(const ast::NamedType& node) override {
    const std::string& name = node.name.value;
    if (context().schema().type(name) != nullptr) {
      return;
    }
    std::vector<std::string_view> names;
    for (const NamedType* type : context().schema().types()) {
      names.push_back(type->name());
    }
    context().report(
        "Unknown type \"" + name + "\"." + detail::did_you_mean(detail::suggestion_list(name, names)),
        {node.loc});
  }
};

}  // namespace

std::unique_ptr<Rule> known_type_names(ValidationContext& context) {
  return std::make_unique<KnownTypeNames>(context);
}

}  // namespace cubeauth::graphql::rules
