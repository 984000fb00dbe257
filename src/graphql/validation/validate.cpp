// Spec 5: runs every specified rule in one walk over the document (graphql-js validate()).
#include "graphql/validation/validate.hpp"

#include "graphql/validation/detail/walker.hpp"
#include "graphql/validation/specified_rules.hpp"
#include "graphql/validation/validation_context.hpp"

namespace cubeauth::graphql {

std::vector<GraphQLError> validate(const Schema& schema, const ast::Document& document,
                                   const ValidationOptions& options) {
  ValidationContext context(schema, document, options.max_errors);
  std::vector<std::unique_ptr<Rule>> rules;
  for (const RuleSpec& spec : specified_rules()) {
    rules.push_back(spec.make(context));
  }
  detail::walk(document, context, rules);
  return context.take_errors();
}

}  // namespace cubeauth::graphql
