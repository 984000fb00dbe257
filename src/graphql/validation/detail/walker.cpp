#include "graphql/validation/detail/walker.hpp"

#include "graphql/validation/validation_context.hpp"

namespace cubeauth::graphql::detail {

namespace {

// Recursion follows the document's nesting, which the parser bounds (ParseOptions::max_depth).
class Walker {
 public:
  Walker(ValidationContext& context, const std::vector<std::unique_ptr<Rule>>& rules)
      : context_(context), info_(context.type_info()), rules_(rules) {}

  void document(const ast::Document& node) {
    each([&](Rule& rule) { rule.enter_document(node); });
    for (const ast::Definition& definition : node.definitions) {
      if (context_.aborted()) {
        return;
      }
      each([&](Rule& rule) { rule.enter_definition(definition); });
      if (const auto* operation = std::get_if<ast::OperationDefinition>(&definition)) {
        this->operation(*operation);
      } else if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
        this->fragment(*fragment);
      }
    }
    context_.set_current_definition(nullptr);
    each([&](Rule& rule) { rule.leave_document(node); });
  }

 private:
  template <class F>
  void each(F&& hook) {
    for (const auto& rule : rules_) {
      hook(*rule);
    }
  }

  void operation(const ast::OperationDefinition& node) {
    context_.set_current_definition(&node);
    info_.enter_operation(node);
    each([&](Rule& rule) { rule.enter_operation(node); });
    for (const ast::VariableDefinition& variable : node.variable_definitions) {
      variable_definition(variable);
    }
    static constexpr DirectiveLocation kLocations[] = {
        DirectiveLocation::kQuery, DirectiveLocation::kMutation, DirectiveLocation::kSubscription};
    directives(node.directives, kLocations[static_cast<int>(node.operation)]);
    selection_set(node.selection_set);
    each([&](Rule& rule) { rule.leave_operation(node); });
    info_.leave_typed_node();
  }

  void fragment(const ast::FragmentDefinition& node) {
    context_.set_current_definition(&node);
    info_.enter_fragment(node.type_condition);
    each([&](Rule& rule) { rule.enter_fragment_definition(node); });
    each([&](Rule& rule) { rule.enter_named_type(node.type_condition); });
    directives(node.directives, DirectiveLocation::kFragmentDefinition);
    selection_set(node.selection_set);
    each([&](Rule& rule) { rule.leave_fragment_definition(node); });
    info_.leave_typed_node();
  }

  void variable_definition(const ast::VariableDefinition& node) {
    info_.enter_variable_definition(node);
    each([&](Rule& rule) { rule.enter_variable_definition(node); });
    named_types(node.type);
    in_variable_definition_ = true;
    if (node.default_value) {
      value(*node.default_value);
    }
    in_variable_definition_ = false;
    directives(node.directives, DirectiveLocation::kVariableDefinition);
    info_.leave_variable_definition();
  }

  void named_types(const ast::Type& type) {
    if (const auto* named = std::get_if<ast::NamedType>(&type)) {
      each([&](Rule& rule) { rule.enter_named_type(*named); });
    } else if (const auto* list = std::get_if<ast::ListType>(&type)) {
      named_types(*list->type);
    } else {
      named_types(*std::get<ast::NonNullType>(type).type);
    }
  }

  void selection_set(const ast::SelectionSet& node) {
    info_.enter_selection_set();
    each([&](Rule& rule) { rule.enter_selection_set(node); });
    for (const ast::Selection& selection : node.selections) {
      if (context_.aborted()) {
        break;
      }
      if (const auto* field = std::get_if<ast::Field>(&selection)) {
        this->field(*field);
      } else if (const auto* spread = std::get_if<ast::FragmentSpread>(&selection)) {
        each([&](Rule& rule) { rule.enter_fragment_spread(*spread); });
        directives(spread->directives, DirectiveLocation::kFragmentSpread);
      } else {
        inline_fragment(std::get<ast::InlineFragment>(selection));
      }
    }
    info_.leave_selection_set();
  }

  void field(const ast::Field& node) {
    info_.enter_field(node);
    each([&](Rule& rule) { rule.enter_field(node); });
    arguments(node.arguments);
    directives(node.directives, DirectiveLocation::kField);
    if (node.selection_set) {
      selection_set(*node.selection_set);
    }
    each([&](Rule& rule) { rule.leave_field(node); });
    info_.leave_field();
  }

  void inline_fragment(const ast::InlineFragment& node) {
    info_.enter_fragment(node.type_condition);
    each([&](Rule& rule) { rule.enter_inline_fragment(node); });
    if (node.type_condition) {
      each([&](Rule& rule) { rule.enter_named_type(*node.type_condition); });
    }
    directives(node.directives, DirectiveLocation::kInlineFragment);
    selection_set(node.selection_set);
    info_.leave_typed_node();
  }

  void directives(const std::vector<ast::Directive>& nodes, DirectiveLocation location) {
    if (nodes.empty()) {
      return;
    }
    context_.set_directive_location(location);
    each([&](Rule& rule) { rule.enter_directives(nodes); });
    for (const ast::Directive& node : nodes) {
      context_.set_directive_location(location);
      info_.enter_directive(node);
      each([&](Rule& rule) { rule.enter_directive(node); });
      arguments(node.arguments);
      info_.leave_directive();
    }
  }

  void arguments(const std::vector<ast::Argument>& nodes) {
    if (nodes.empty()) {
      return;
    }
    each([&](Rule& rule) { rule.enter_arguments(nodes); });
    for (const ast::Argument& node : nodes) {
      info_.enter_argument(node);
      each([&](Rule& rule) { rule.enter_argument(node); });
      value(node.value);
      info_.leave_argument();
    }
  }

  void value(const ast::Value& node) {
    if (const auto* list = std::get_if<ast::ListValue>(&node)) {
      info_.enter_list_value();
      each([&](Rule& rule) { rule.enter_value(node); });
      for (const ast::Value& item : list->values) {
        value(item);
      }
      each([&](Rule& rule) { rule.leave_value(node); });
      info_.leave_input_position();
      return;
    }
    if (const auto* variable = std::get_if<ast::Variable>(&node); variable != nullptr) {
      if (!in_variable_definition_) {
        context_.record_variable_usage(*variable);
      }
    }
    each([&](Rule& rule) { rule.enter_value(node); });
    if (const auto* object = std::get_if<ast::ObjectValue>(&node)) {
      for (const ast::ObjectField& field : object->fields) {
        info_.enter_object_field(field);
        each([&](Rule& rule) { rule.enter_object_field(field); });
        value(field.value);
        info_.leave_input_position();
      }
    }
    each([&](Rule& rule) { rule.leave_value(node); });
  }

  ValidationContext& context_;
  TypeInfo& info_;
  const std::vector<std::unique_ptr<Rule>>& rules_;
  bool in_variable_definition_ = false;
};

}  // namespace

void walk(const ast::Document& document, ValidationContext& context,
          const std::vector<std::unique_ptr<Rule>>& rules) {
  Walker(context, rules).document(document);
}

}  // namespace cubeauth::graphql::detail
