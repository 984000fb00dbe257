// Spec 5.1.1 Executable Definitions: a document sent for execution holds only operations and
// fragments (graphql-js ExecutableDefinitionsRule).
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

namespace cubeauth::graphql::rules {

namespace {

class ExecutableDefinitions final : public Rule {
 public:
  using Rule::Rule;

  void enter_definition(const ast::Definition& definition) override {
    if (definition.is_executable()) {
      return;
    }
    bool is_schema = std::holds_alternative<ast::SchemaDefinition>(definition) ||
                     std::holds_alternative<ast::SchemaExtension>(definition);
    // Appends rather than `"\"" + name`, which trips GCC 12's -Wrestrict at -O3.
    std::string message = "The ";
    if (is_schema) {
      message += "schema";
    } else {
      message += '"';
      message += type_name(definition);
      message += '"';
    }
    message += " definition is not executable.";
    context().report(std::move(message), {definition.loc()});
  }

 private:
  static std::string type_name(const ast::Definition& definition) {
    return std::visit(
        [](const auto& node) -> std::string {
          if constexpr (requires { node.name.value; }) {
            return node.name.value;
          } else {
            return {};
          }
        },
        definition);
  }
};

}  // namespace

std::unique_ptr<Rule> executable_definitions(ValidationContext& context) {
  return std::make_unique<ExecutableDefinitions>(context);
}

}  // namespace cubeauth::graphql::rules
