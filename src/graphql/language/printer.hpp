// Prints AST fragments back to GraphQL text the way graphql-js print() does; used in error
// messages ("Argument \"x\" has invalid value {a: 1}.") and for default values.
#pragma once

#include "graphql/language/ast.hpp"

#include <string>
#include <string_view>

namespace cubeauth::graphql {

std::string print(const ast::Value& value);
std::string print(const ast::Type& type);
/// A string literal with JSON-style escapes, as graphql-js printString.
std::string print_string(std::string_view value);
/// A block string, as graphql-js printBlockString (used for SDL descriptions).
std::string print_block_string(std::string_view value);

}  // namespace cubeauth::graphql
