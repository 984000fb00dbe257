// Spec 5.6.3 Input Object Field Uniqueness (graphql-js UniqueInputFieldNamesRule).
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

#include <string_view>
#include <unordered_map>

namespace cubeauth::graphql::rules {

namespace {

class UniqueInputFieldNames final : public Rule {
 public:
  using Rule::Rule;

  void enter_value(const ast::Value& node) override {
    const auto* object = std::get_if<ast::ObjectValue>(&node);
    if (object == nullptr || object->fields.size() < 2) {
      return;
    }
    std::unordered_map<std::string_view, ast::Location> known;
    for (const ast::ObjectField& field : object->fields) {
      auto [first, inserted] = known.try_emplace(field.name.value, field.name.loc);
      if (!inserted) {
        context().report("There can be only one input field named \"" + field.name.value + "\".",
                         {first->second, field.name.loc});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> unique_input_field_names(ValidationContext& context) {
  return std::make_unique<UniqueInputFieldNames>(context);
}

}  // namespace cubeauth::graphql::rules
