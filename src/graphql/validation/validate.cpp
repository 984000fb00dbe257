// Spec 5: runs every specified rule in one walk over the document (graphql-js validate()).
#include "graphql/validation/validate.hpp"

#include "graphql/validation/detail/walker.hpp"
#include "graphql/validation/validation_context.hpp"

namespace cubeauth::graphql {

std::vector<GraphQLError> validate(const Schema& schema, const ast::Document& document,
                                   const ValidationOptions& options) {
  return validate(schema, document, specified_rules(), options);
}

std::vector<GraphQLError> validate(const Schema& schema, const ast::Document& document,
                                   std::span<const RuleSpec> rules,
                                   const ValidationOptions& options) {
  ValidationContext context(schema, document, options.max_errors);
  std::vector<std::unique_ptr<Rule>> instances;
  for (const RuleSpec& spec : rules) {
    instances.push_back(spec.make(context));
  }
  detail::walk(document, context, instances);
  return context.take_errors();
}

}  // namespace cubeauth::graphql
