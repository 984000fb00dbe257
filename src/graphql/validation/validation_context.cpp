#include "graphql/validation/validation_context.hpp"

#include <algorithm>
#include <unordered_set>

namespace cubeauth::graphql {

ValidationContext::ValidationContext(const Schema& schema, const ast::Document& document,
                                     std::size_t max_errors)
    : schema_(schema), document_(document), type_info_(schema), max_errors_(max_errors) {
  for (const ast::Definition& definition : document.definitions) {
    if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
      fragments_[fragment->name.value] = fragment;
    }
  }
}

void ValidationContext::report(GraphQLError error) {
  if (aborted_) {
    return;
  }
  if (errors_.size() >= max_errors_) {
    GraphQLError limit;
    limit.message = "Too many validation errors, error limit reached. Validation aborted.";
    errors_.push_back(std::move(limit));
    aborted_ = true;
    return;
  }
  errors_.push_back(std::move(error));
}

void ValidationContext::report(std::string message, std::vector<ast::Location> locations) {
  GraphQLError error;
  error.message = std::move(message);
  error.locations = std::move(locations);
  report(std::move(error));
}

const ast::FragmentDefinition* ValidationContext::fragment(std::string_view name) const {
  auto found = fragments_.find(name);
  return found == fragments_.end() ? nullptr : found->second;
}

const std::vector<const ast::FragmentSpread*>& ValidationContext::fragment_spreads(
    const ast::SelectionSet& set) {
  auto [entry, inserted] = spreads_.try_emplace(&set);
  if (!inserted) {
    return entry->second;
  }
  // An explicit stack: selection sets may nest as deep as the parser allows.
  std::vector<const ast::SelectionSet*> pending{&set};
  while (!pending.empty()) {
    const ast::SelectionSet* current = pending.back();
    pending.pop_back();
    for (auto it = current->selections.rbegin(); it != current->selections.rend(); ++it) {
      if (const auto* spread = std::get_if<ast::FragmentSpread>(&*it)) {
        entry->second.push_back(spread);
      } else if (const auto* field = std::get_if<ast::Field>(&*it)) {
        if (field->selection_set) {
          pending.push_back(&*field->selection_set);
        }
      } else {
        pending.push_back(&std::get<ast::InlineFragment>(*it).selection_set);
      }
    }
  }
  // The stack visits selections last-first; restore document order.
  std::reverse(entry->second.begin(), entry->second.end());
  return entry->second;
}

std::vector<const ast::FragmentDefinition*> ValidationContext::recursively_referenced_fragments(
    const ast::OperationDefinition& operation) {
  std::vector<const ast::FragmentDefinition*> fragments;
  std::unordered_set<std::string_view> collected;
  std::vector<const ast::SelectionSet*> pending{&operation.selection_set};
  while (!pending.empty()) {
    const ast::SelectionSet* set = pending.back();
    pending.pop_back();
    for (const ast::FragmentSpread* spread : fragment_spreads(*set)) {
      if (!collected.insert(spread->name.value).second) {
        continue;
      }
      if (const ast::FragmentDefinition* found = fragment(spread->name.value)) {
        fragments.push_back(found);
        pending.push_back(&found->selection_set);
      }
    }
  }
  return fragments;
}

std::vector<VariableUsage> ValidationContext::recursive_variable_usages(
    const ast::OperationDefinition& operation) {
  std::vector<VariableUsage> usages = usages_[&operation];
  for (const ast::FragmentDefinition* fragment : recursively_referenced_fragments(operation)) {
    const auto& more = usages_[fragment];
    usages.insert(usages.end(), more.begin(), more.end());
  }
  return usages;
}

void ValidationContext::record_variable_usage(const ast::Variable& node) {
  if (current_definition_ != nullptr) {
    usages_[current_definition_].push_back(
        {&node, type_info_.input_type(), type_info_.default_value()});
  }
}

}  // namespace cubeauth::graphql
