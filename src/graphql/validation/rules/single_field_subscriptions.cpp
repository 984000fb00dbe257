// Spec 5.2.3.1 Single Root Field: a subscription selects exactly one root field, and not an
// introspection one (graphql-js SingleFieldSubscriptionsRule).
#include "graphql/schema/schema.hpp"
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

#include <string_view>
#include <unordered_set>

namespace cubeauth::graphql::rules {

namespace {

class SingleFieldSubscriptions final : public Rule {
 public:
  using Rule::Rule;

  void enter_operation(const ast::OperationDefinition& node) override {
    const ObjectType* root = context().schema().subscription_type();
    if (node.operation != ast::OperationType::kSubscription || root == nullptr) {
      return;
    }
    groups_.clear();
    visited_.clear();
    collect(root, node.selection_set);
    std::string subject = node.name ? "Subscription \"" + node.name->value + "\""
                                    : std::string("Anonymous Subscription");
    if (groups_.size() > 1) {
      std::vector<ast::Location> extra;
      for (std::size_t i = 1; i < groups_.size(); ++i) {
        for (const ast::Field* field : groups_[i]) {
          extra.push_back(field->loc);
        }
      }
      context().report(subject + " must select only one top level field.", std::move(extra));
    }
    for (const auto& group : groups_) {
      if (group.front()->name.value.starts_with("__")) {
        std::vector<ast::Location> locations;
        locations.reserve(group.size());
        for (const ast::Field* field : group) {
          locations.push_back(field->loc);
        }
        context().report(subject + " must not select an introspection top level field.",
                         std::move(locations));
      }
    }
  }

 private:
  // graphql-js collectFields with no variable values: @skip/@include with literal arguments
  // apply, fragments follow when their type condition matches the root type.
  void collect(const ObjectType* root, const ast::SelectionSet& set) {
    for (const ast::Selection& selection : set.selections) {
      if (const auto* field = std::get_if<ast::Field>(&selection)) {
        if (included(field->directives)) {
          add(*field);
        }
      } else if (const auto* inline_fragment = std::get_if<ast::InlineFragment>(&selection)) {
        if (included(inline_fragment->directives) &&
            (!inline_fragment->type_condition || matches(root, *inline_fragment->type_condition))) {
          collect(root, inline_fragment->selection_set);
        }
      } else {
        const auto& spread = std::get<ast::FragmentSpread>(selection);
        const ast::FragmentDefinition* fragment = context().fragment(spread.name.value);
        if (!included(spread.directives) || fragment == nullptr ||
            !visited_.insert(spread.name.value).second || !matches(root, fragment->type_condition)) {
          continue;
        }
        collect(root, fragment->selection_set);
      }
    }
  }

  void add(const ast::Field& field) {
    for (auto& group : groups_) {
      if (group.front()->response_key() == field.response_key()) {
        group.push_back(&field);
        return;
      }
    }
    groups_.push_back({&field});
  }

  bool matches(const ObjectType* root, const ast::NamedType& condition) const {
    const NamedType* type = context().schema().type(condition.name.value);
    return type == root || (type != nullptr && type->is_abstract_type() &&
                            context().schema().is_sub_type(type, root));
  }

  static bool included(const std::vector<ast::Directive>& directives) {
    for (const ast::Directive& directive : directives) {
      for (const ast::Argument& argument : directive.arguments) {
        const auto* flag = std::get_if<ast::BooleanValue>(&argument.value);
        if (argument.name.value == "if" && flag != nullptr &&
            flag->value == (directive.name.value == "skip")) {
          if (directive.name.value == "skip" || directive.name.value == "include") {
            return false;
          }
        }
      }
    }
    return true;
  }

  std::vector<std::vector<const ast::Field*>> groups_;
  std::unordered_set<std::string_view> visited_;
};

}  // namespace

std::unique_ptr<Rule> single_field_subscriptions(ValidationContext& context) {
  return std::make_unique<SingleFieldSubscriptions>(context);
}

}  // namespace cubeauth::graphql::rules
