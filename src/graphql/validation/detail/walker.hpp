// The one walk of validation: visits the executable definitions of a document in order,
// keeping TypeInfo current and calling every rule's hooks at each node.
#pragma once

#include "graphql/language/ast.hpp"
#include "graphql/validation/rule.hpp"

#include <memory>
#include <vector>

namespace cubeauth::graphql::detail {

void walk(const ast::Document& document, ValidationContext& context,
          const std::vector<std::unique_ptr<Rule>>& rules);

}  // namespace cubeauth::graphql::detail
