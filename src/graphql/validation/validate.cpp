// Placeholder hook owned by the validation rules' author, who replaces this file with the
// rule registry (spec 5). Until then, documents are accepted as parsed; the executor still
// reports unknown fields and bad arguments as it meets them.
#include "graphql/validation/validate.hpp"

namespace cubeauth::graphql {

std::vector<GraphQLError> validate(const Schema&, const ast::Document&, const ValidationOptions&) {
  return {};
}

}  // namespace cubeauth::graphql
