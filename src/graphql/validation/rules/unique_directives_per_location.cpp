// Spec 5.7.3 Directives Are Unique Per Location: a non-repeatable directive appears at most
// once on a node (graphql-js UniqueDirectivesPerLocationRule).
#include "graphql/schema/schema.hpp"
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

#include <string_view>
#include <unordered_map>

namespace cubeauth::graphql::rules {

namespace {

class UniqueDirectivesPerLocation final : public Rule {
 public:
  using Rule::Rule;

  void enter_directives(const std::vector<ast::Directive>& nodes) override {
    if (nodes.size() < 2) {
      return;
    }
    std::unordered_map<std::string_view, ast::Location> seen;
    for (const ast::Directive& node : nodes) {
      const DirectiveDefinition* definition = context().schema().directive(node.name.value);
      if (definition == nullptr || definition->repeatable) {
        continue;
      }
      auto [first, inserted] = seen.try_emplace(node.name.value, node.loc);
      if (!inserted) {
        context().report("The directive \"@" + node.name.value +
                             "\" can only be used once at this location.",
                         {first->second, node.loc});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> unique_directives_per_location(ValidationContext& context) {
  return std::make_unique<UniqueDirectivesPerLocation>(context);
}

}  // namespace cubeauth::graphql::rules
