// Spec 5.4.1 Argument Names: every argument is defined by its field or directive
// (graphql-js KnownArgumentNamesRule and KnownArgumentNamesOnDirectivesRule).
#include "graphql/schema/schema.hpp"
#include "graphql/validation/detail/suggestions.hpp"
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

namespace cubeauth::graphql::rules {

namespace {

std::vector<std::string_view> names_of(const std::vector<InputValue>& arguments) {
  std::vector<std::string_view> names;
  names.reserve(arguments.size());
  for (const InputValue& argument : arguments) {
    names.push_back(argument.name);
  }
  return names;
}

class KnownArgumentNames final : public Rule {
 public:
  using Rule::Rule;

  // A field's arguments are walked right after the field itself.
  void enter_field(const ast::Field& node) override { field_arguments_ = &node.arguments; }

  void enter_argument(const ast::Argument& node) override {
    const auto& own = *field_arguments_;
    bool is_field_argument = !own.empty() && &node >= own.data() && &node < own.data() + own.size();
    const TypeInfo& info = context().type_info();
    const FieldDefinition* field = info.field_def();
    const NamedType* parent = info.parent_type();
    if (!is_field_argument || info.argument() != nullptr || field == nullptr || parent == nullptr) {
      return;
    }
    const std::string& name = node.name.value;
    context().report("Unknown argument \"" + name + "\" on field \"" + parent->name() + "." +
                         field->name + "\"." +
                         detail::did_you_mean(detail::suggestion_list(name, names_of(field->arguments))),
                     {node.loc});
  }

  void enter_directive(const ast::Directive& node) override {
    const DirectiveDefinition* directive = context().type_info().directive();
    if (directive == nullptr) {
      return;
    }
    for (const ast::Argument& argument : node.arguments) {
      const std::string& name = argument.name.value;
      if (directive->argument(name) != nullptr) {
        continue;
      }
      context().report(
          "Unknown argument \"" + name + "\" on directive \"@" + node.name.value + "\"." +
              detail::did_you_mean(detail::suggestion_list(name, names_of(directive->arguments))),
          {argument.loc});
    }
  }

 private:
  static inline const std::vector<ast::Argument> kNone{};
  const std::vector<ast::Argument>* field_arguments_ = &kNone;
};

}  // namespace

std::unique_ptr<Rule> known_argument_names(ValidationContext& context) {
  return std::make_unique<KnownArgumentNames>(context);
}

}  // namespace cubeauth::graphql::rules
