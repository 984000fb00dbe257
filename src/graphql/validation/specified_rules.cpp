#include "graphql/validation/specified_rules.hpp"

#include "graphql/validation/rules/rules.hpp"

namespace cubeauth::graphql {

namespace {

// Spec October 2021, section 5. graphql-js's order, which is also the order of the errors
// a document with several problems gets.
constexpr RuleSpec kRules[] = {
    {"ExecutableDefinitions", "5.1.1", rules::executable_definitions},
    {"UniqueOperationNames", "5.2.1.1", rules::unique_operation_names},
    {"LoneAnonymousOperation", "5.2.2.1", rules::lone_anonymous_operation},
    {"SingleFieldSubscriptions", "5.2.3.1", rules::single_field_subscriptions},
    {"KnownTypeNames", "5.5.1.2", rules::known_type_names},
    {"FragmentsOnCompositeTypes", "5.5.1.3", rules::fragments_on_composite_types},
    {"VariablesAreInputTypes", "5.8.2", rules::variables_are_input_types},
    {"ScalarLeafs", "5.3.3", rules::scalar_leafs},
    {"FieldsOnCorrectType", "5.3.1", rules::fields_on_correct_type},
    {"UniqueFragmentNames", "5.5.1.1", rules::unique_fragment_names},
    {"KnownFragmentNames", "5.5.2.1", rules::known_fragment_names},
    {"NoUnusedFragments", "5.5.1.4", rules::no_unused_fragments},
    {"PossibleFragmentSpreads", "5.5.2.3", rules::possible_fragment_spreads},
    {"NoFragmentCycles", "5.5.2.2", rules::no_fragment_cycles},
    {"UniqueVariableNames", "5.8.1", rules::unique_variable_names},
    {"NoUndefinedVariables", "5.8.3", rules::no_undefined_variables},
    {"NoUnusedVariables", "5.8.4", rules::no_unused_variables},
    {"KnownDirectives", "5.7.1, 5.7.2", rules::known_directives},
    {"UniqueDirectivesPerLocation", "5.7.3", rules::unique_directives_per_location},
    {"KnownArgumentNames", "5.4.1", rules::known_argument_names},
    {"UniqueArgumentNames", "5.4.2", rules::unique_argument_names},
    {"ValuesOfCorrectType", "5.6.1, 5.6.2, 5.6.4", rules::values_of_correct_type},
    {"ProvidedRequiredArguments", "5.4.2.1", rules::provided_required_arguments},
    {"VariablesInAllowedPosition", "5.8.5", rules::variables_in_allowed_position},
    {"OverlappingFieldsCanBeMerged", "5.3.2", rules::overlapping_fields_can_be_merged},
    {"UniqueInputFieldNames", "5.6.3", rules::unique_input_field_names},
};

}  // namespace

std::span<const RuleSpec> specified_rules() { return kRules; }

const RuleSpec* find_rule(std::string_view name) {
  for (const RuleSpec& rule : kRules) {
    if (rule.name == name) {
      return &rule;
    }
  }
  return nullptr;
}

}  // namespace cubeauth::graphql
