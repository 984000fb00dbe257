// Spec 5.7.1 Directives Are Defined and 5.7.2 Directives Are In Valid Locations
// (graphql-js KnownDirectivesRule).
#include "graphql/schema/schema.hpp"
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

namespace cubeauth::graphql::rules {

namespace {

class KnownDirectives final : public Rule {
 public:
  using Rule::Rule;

  void enter_directive(const ast::Directive& node) override {
    const DirectiveDefinition* directive = context().type_info().directive();
    const std::string& name = node.name.value;
    if (directive == nullptr) {
      context().report("Unknown directive \"@" + name + "\".", {node.loc});
      return;
    }
    DirectiveLocation location = context().directive_location();
    if (!directive->allows(location)) {
      context().report("Directive \"@" + name + "\" may not be used on " +
                           std::string(directive_location_name(location)) + ".",
                       {node.loc});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> known_directives(ValidationContext& context) {
  return std::make_unique<KnownDirectives>(context);
}

}  // namespace cubeauth::graphql::rules
