// Whether a leaf type (scalar or enum) accepts a value literal, with graphql-js's parseLiteral
// error wording ("Int cannot represent non-integer value: 1.5").
#pragma once

#include "graphql/language/ast.hpp"
#include "graphql/schema/types.hpp"

#include <optional>
#include <string>

namespace cubeauth::graphql::detail {

/// nullopt when `type` accepts `node`; otherwise graphql-js's message. Custom scalars accept
/// any literal (graphql-js valueFromASTUntyped).
std::optional<std::string> check_leaf_literal(const ast::Value& node, const NamedType& type);

}  // namespace cubeauth::graphql::detail
