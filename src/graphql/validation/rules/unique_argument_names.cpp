// Spec 5.4.2 Argument Uniqueness: a field or directive names each argument once
// (graphql-js UniqueArgumentNamesRule).
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

#include <string_view>
#include <unordered_map>

namespace cubeauth::graphql::rules {

namespace {

class UniqueArgumentNames final : public Rule {
 public:
  using Rule::Rule;

  // One error per repeated name, located at every use of it.
  void enter_arguments(const std::vector<ast::Argument>& nodes) override {
    if (nodes.size() < 2) {
      return;
    }
    std::vector<std::string_view> order;
    std::unordered_map<std::string_view, std::vector<ast::Location>> by_name;
    for (const ast::Argument& node : nodes) {
      auto& locations = by_name[node.name.value];
      if (locations.empty()) {
        order.push_back(node.name.value);
      }
      locations.push_back(node.name.loc);
    }
    for (std::string_view name : order) {
      auto& locations = by_name[name];
      if (locations.size() > 1) {
        context().report("There can be only one argument named \"" + std::string(name) + "\".",
                         std::move(locations));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> unique_argument_names(ValidationContext& context) {
  return std::make_unique<UniqueArgumentNames>(context);
}

}  // namespace cubeauth::graphql::rules
