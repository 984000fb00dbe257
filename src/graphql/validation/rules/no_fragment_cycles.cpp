// Spec 5.5.2.2 Fragment Spreads Must Not Form Cycles (graphql-js NoFragmentCyclesRule): a
// depth-first search over spreads that reports each cycle once, with the spreads on it.
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace cubeauth::graphql::rules {

namespace {

class NoFragmentCycles final : public Rule {
 public:
  using Rule::Rule;

  void enter_fragment_definition(const ast::FragmentDefinition& node) override { search(node); }

 private:
  struct Frame {
    std::string_view name;
    const std::vector<const ast::FragmentSpread*>* spreads;
    std::size_t next = 0;
  };

  // Iterative, so that a long chain of fragments cannot exhaust the stack.
  void search(const ast::FragmentDefinition& start) {
    std::vector<Frame> stack;
    enter(start, stack);
    while (!stack.empty()) {
      Frame& frame = stack.back();
      if (frame.next > 0) {
        path_.pop_back();  // the spread explored in the previous step
      }
      if (frame.next == frame.spreads->size()) {
        index_by_name_.erase(frame.name);
        stack.pop_back();
        continue;
      }
      const ast::FragmentSpread* spread = (*frame.spreads)[frame.next++];
      path_.push_back(spread);
      auto cycle = index_by_name_.find(spread->name.value);
      if (cycle == index_by_name_.end()) {
        if (const ast::FragmentDefinition* target = context().fragment(spread->name.value)) {
          enter(*target, stack);
        }
      } else {
        report(spread->name.value, cycle->second);
      }
    }
  }

  void enter(const ast::FragmentDefinition& fragment, std::vector<Frame>& stack) {
    if (!visited_.insert(fragment.name.value).second) {
      return;
    }
    const auto& spreads = context().fragment_spreads(fragment.selection_set);
    if (spreads.empty()) {
      return;
    }
    index_by_name_[fragment.name.value] = path_.size();
    stack.push_back({fragment.name.value, &spreads});
  }

  void report(const std::string& name, std::size_t cycle_start) {
    std::string via;
    std::vector<ast::Location> locations;
    for (std::size_t i = cycle_start; i < path_.size(); ++i) {
      locations.push_back(path_[i]->loc);
      if (i + 1 < path_.size()) {
        via += (via.empty() ? "\"" : ", \"") + path_[i]->name.value + "\"";
      }
    }
    context().report("Cannot spread fragment \"" + name + "\" within itself" +
                         (via.empty() ? "." : " via " + via + "."),
                     std::move(locations));
  }

  std::unordered_set<std::string_view> visited_;
  std::vector<const ast::FragmentSpread*> path_;
  std::unordered_map<std::string_view, std::size_t> index_by_name_;
};

}  // namespace

std::unique_ptr<Rule> no_fragment_cycles(ValidationContext& context) {
  return std::make_unique<NoFragmentCycles>(context);
}

}  // namespace cubeauth::graphql::rules
