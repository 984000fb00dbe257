// The registry of validation rules: each rule of spec section 5 with the section it checks,
// in graphql-js's specifiedRules order (src/validation/specifiedRules.ts).
#pragma once

#include "graphql/validation/rule.hpp"

#include <memory>
#include <span>
#include <string_view>

namespace cubeauth::graphql {

struct RuleSpec {
  std::string_view name;     // graphql-js's rule name, e.g. "KnownFragmentNames"
  std::string_view section;  // the spec section, e.g. "5.5.2.1"
  std::unique_ptr<Rule> (*make)(ValidationContext& context);
};

/// Every rule validate() runs.
std::span<const RuleSpec> specified_rules();

/// The rule called `name`, or nullptr (used by tests that run one rule alone).
const RuleSpec* find_rule(std::string_view name);

}  // namespace cubeauth::graphql
