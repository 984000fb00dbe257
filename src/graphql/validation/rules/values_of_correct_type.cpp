// Spec 5.6.1 Values of Correct Type, 5.6.2 Input Object Field Names and 5.6.4 Input Object
// Required Fields: every literal can be coerced to the input type expected where it appears
// (graphql-js ValuesOfCorrectTypeRule and the scalars' parseLiteral wording).
#include "graphql/language/printer.hpp"
#include "graphql/validation/detail/literal_check.hpp"
#include "graphql/validation/detail/suggestions.hpp"
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

namespace cubeauth::graphql::rules {

namespace {

class ValuesOfCorrectType final : public Rule {
 public:
  using Rule::Rule;

  void enter_value(const ast::Value& node) override {
    if (skipping_ != nullptr) {
      return;
    }
    const TypeInfo& info = context().type_info();
    if (std::holds_alternative<ast::ListValue>(node)) {
      // TypeInfo already expects the item type; the list's own type is the parent's.
      const Type* type = info.parent_input_type();
      if (type == nullptr || !type->nullable()->is_list()) {
        check_leaf(node, info.input_type());
        skipping_ = &node;
      }
    } else if (const auto* object = std::get_if<ast::ObjectValue>(&node)) {
      const Type* type = info.input_type();
      const InputObjectType* input = type != nullptr ? type->named_type()->as_input_object() : nullptr;
      if (input == nullptr) {
        check_leaf(node, type);
        skipping_ = &node;
        return;
      }
      check_required_fields(*object, *input);
    } else if (std::holds_alternative<ast::NullValue>(node)) {
      const Type* type = info.input_type();
      if (type != nullptr && type->is_non_null()) {
        context().report("Expected value of type \"" + type->to_string() + "\", found null.",
                         {node.loc()});
      }
    } else if (!std::holds_alternative<ast::Variable>(node)) {
      check_leaf(node, info.input_type());
    }
  }

  void leave_value(const ast::Value& node) override {
    if (skipping_ == &node) {
      skipping_ = nullptr;
    }
  }

  void enter_object_field(const ast::ObjectField& node) override {
    const TypeInfo& info = context().type_info();
    const Type* parent = info.parent_input_type();
    const InputObjectType* object = parent != nullptr ? parent->named_type()->as_input_object() : nullptr;
    if (skipping_ != nullptr || info.input_type() != nullptr || object == nullptr) {
      return;
    }
    std::vector<std::string_view> names;
    for (const InputValue& field : object->fields()) {
      names.push_back(field.name);
    }
    context().report("Field \"" + node.name.value + "\" is not defined by type \"" + object->name() +
                         "\"." + detail::did_you_mean(detail::suggestion_list(node.name.value, names)),
                     {node.loc});
  }

 private:
  void check_required_fields(const ast::ObjectValue& node, const InputObjectType& type) {
    for (const InputValue& field : type.fields()) {
      if (!field.type->is_non_null() || field.default_literal) {
        continue;
      }
      bool provided = false;
      for (const ast::ObjectField& given : node.fields) {
        provided = provided || given.name.value == field.name;
      }
      if (!provided) {
        context().report("Field \"" + type.name() + "." + field.name + "\" of required type \"" +
                             field.type->to_string() + "\" was not provided.",
                         {node.loc});
      }
    }
  }

  // graphql-js isValidValueNode: a leaf type's parseLiteral must accept the literal.
  void check_leaf(const ast::Value& node, const Type* type) {
    if (type == nullptr) {
      return;
    }
    if (!type->is_leaf_type()) {
      context().report("Expected value of type \"" + type->to_string() + "\", found " +
                           print(node) + ".",
                       {node.loc()});
      return;
    }
    if (auto message = detail::check_leaf_literal(node, *type->named_type())) {
      context().report(std::move(*message), {node.loc()});
    }
  }

  const ast::Value* skipping_ = nullptr;  // a list or object whose items are not checked
};

}  // namespace

std::unique_ptr<Rule> values_of_correct_type(ValidationContext& context) {
  return std::make_unique<ValuesOfCorrectType>(context);
}

}  // namespace cubeauth::graphql::rules
