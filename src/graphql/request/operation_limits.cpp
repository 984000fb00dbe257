#include "graphql/request/operation_limits.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace cubeauth::graphql {
namespace {

// Costs saturate instead of overflowing: a fragment spread many times can describe an
// exponentially large operation.
std::size_t saturating_add(std::size_t a, std::size_t b) {
  const std::size_t sum = a + b;
  return sum < a ? static_cast<std::size_t>(-1) : sum;
}

class Measurer {
 public:
  explicit Measurer(const ast::Document& document) {
    for (const ast::Definition& definition : document.definitions) {
      if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
        fragments_.emplace(fragment->name.value, fragment);
      }
    }
  }

  OperationCost measure(const ast::SelectionSet& set) { return measure_set(set); }

 private:
  OperationCost measure_set(const ast::SelectionSet& set) {
    OperationCost cost;
    for (const ast::Selection& selection : set.selections) {
      OperationCost part;
      if (const auto* field = std::get_if<ast::Field>(&selection)) {
        if (field->selection_set) {
          part = measure_set(*field->selection_set);
        }
        part.depth += 1;
        part.fields = saturating_add(part.fields, 1);
        part.aliases = saturating_add(part.aliases, field->alias ? 1 : 0);
      } else if (const auto* spread = std::get_if<ast::FragmentSpread>(&selection)) {
        part = measure_fragment(spread->name.value);
      } else {
        part = measure_set(std::get<ast::InlineFragment>(selection).selection_set);
      }
      cost.depth = std::max(cost.depth, part.depth);
      cost.fields = saturating_add(cost.fields, part.fields);
      cost.aliases = saturating_add(cost.aliases, part.aliases);
    }
    return cost;
  }

  OperationCost measure_fragment(const std::string& name) {
    auto known = costs_.find(name);
    if (known != costs_.end()) {
      return known->second;
    }
    auto fragment = fragments_.find(name);
    if (fragment == fragments_.end() || !in_progress_.emplace(name, true).second) {
      return {};  // unknown or cyclic: validation reports those
    }
    OperationCost cost = measure_set(fragment->second->selection_set);
    in_progress_.erase(name);
    costs_.emplace(name, cost);
    return cost;
  }

  std::unordered_map<std::string_view, const ast::FragmentDefinition*> fragments_;
  std::unordered_map<std::string, OperationCost> costs_;
  std::unordered_map<std::string, bool> in_progress_;
};

}  // namespace

std::vector<OperationCost> measure_operations(const ast::Document& document) {
  Measurer measurer(document);
  std::vector<OperationCost> costs;
  for (const ast::Definition& definition : document.definitions) {
    if (const auto* operation = std::get_if<ast::OperationDefinition>(&definition)) {
      costs.push_back(measurer.measure(operation->selection_set));
    }
  }
  return costs;
}

std::vector<GraphQLError> check_operation_limits(const ast::Document& document,
                                                 const RequestLimits& limits) {
  std::vector<GraphQLError> errors;
  const std::vector<OperationCost> costs = measure_operations(document);
  std::size_t index = 0;
  for (const ast::Definition& definition : document.definitions) {
    const auto* operation = std::get_if<ast::OperationDefinition>(&definition);
    if (operation == nullptr) {
      continue;
    }
    const OperationCost& cost = costs[index++];
    const std::string name =
        operation->name ? fmt::format("Operation \"{}\"", operation->name->value) : "The operation";
    auto fail = [&](std::string message) {
      GraphQLError error = GraphQLError::at(std::move(message), operation->loc);
      error.extensions["code"] = "QUERY_LIMIT_EXCEEDED";
      errors.push_back(std::move(error));
    };
    if (cost.depth > limits.max_depth) {
      fail(fmt::format("{} is nested {} levels deep; the limit is {}.", name, cost.depth,
                       limits.max_depth));
    }
    if (cost.fields > limits.max_fields) {
      fail(fmt::format("{} selects {} fields; the limit is {}.", name, cost.fields,
                       limits.max_fields));
    }
    if (cost.aliases > limits.max_aliases) {
      fail(fmt::format("{} uses {} aliases; the limit is {}.", name, cost.aliases,
                       limits.max_aliases));
    }
  }
  return errors;
}

}  // namespace cubeauth::graphql
