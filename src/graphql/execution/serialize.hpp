// Result coercion of leaf values (spec 3.5 "Result Coercion", 3.9): what a resolver returned
// for a scalar or enum field, as the response shows it. Wording as graphql-js's serialize().
#pragma once

#include "common/result.hpp"
#include "graphql/schema/types.hpp"

#include <boost/json/value.hpp>

#include <string>

namespace cubeauth::graphql {

/// Serializes `value` for the leaf type `type`; the error is the client-facing message.
Result<boost::json::value, std::string> serialize_leaf(const NamedType& type,
                                                       const boost::json::value& value);

/// True when serialize_leaf would return `value` unchanged (the common case: a string for
/// String, ID or a valid enum value, a 32-bit integer for Int...), so the executor can move
/// or copy it into the response without building a new value.
bool is_serialized_leaf(const NamedType& type, const boost::json::value& value);

}  // namespace cubeauth::graphql
