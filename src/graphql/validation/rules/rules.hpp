// The validation rules of spec section 5, one per file (graphql-js src/validation/rules/).
// specified_rules.cpp lists them in graphql-js's order with their spec sections.
#pragma once

#include "graphql/validation/rule.hpp"

#include <memory>

namespace cubeauth::graphql::rules {

std::unique_ptr<Rule> executable_definitions(ValidationContext& context);
std::unique_ptr<Rule> unique_operation_names(ValidationContext& context);
std::unique_ptr<Rule> lone_anonymous_operation(ValidationContext& context);
std::unique_ptr<Rule> single_field_subscriptions(ValidationContext& context);
std::unique_ptr<Rule> known_type_names(ValidationContext& context);
std::unique_ptr<Rule> fragments_on_composite_types(ValidationContext& context);
std::unique_ptr<Rule> variables_are_input_types(ValidationContext& context);
std::unique_ptr<Rule> scalar_leafs(ValidationContext& context);
std::unique_ptr<Rule> fields_on_correct_type(ValidationContext& context);
std::unique_ptr<Rule> unique_fragment_names(ValidationContext& context);
std::unique_ptr<Rule> known_fragment_names(ValidationContext& context);
std::unique_ptr<Rule> no_unused_fragments(ValidationContext& context);
std::unique_ptr<Rule> possible_fragment_spreads(ValidationContext& context);
std::unique_ptr<Rule> no_fragment_cycles(ValidationContext& context);
std::unique_ptr<Rule> unique_variable_names(ValidationContext& context);
std::unique_ptr<Rule> no_undefined_variables(ValidationContext& context);
std::unique_ptr<Rule> no_unused_variables(ValidationContext& context);
std::unique_ptr<Rule> known_directives(ValidationContext& context);
std::unique_ptr<Rule> unique_directives_per_location(ValidationContext& context);
std::unique_ptr<Rule> known_argument_names(ValidationContext& context);
std::unique_ptr<Rule> unique_argument_names(ValidationContext& context);
std::unique_ptr<Rule> values_of_correct_type(ValidationContext& context);
std::unique_ptr<Rule> provided_required_arguments(ValidationContext& context);
std::unique_ptr<Rule> variables_in_allowed_position(ValidationContext& context);
std::unique_ptr<Rule> overlapping_fields_can_be_merged(ValidationContext& context);
std::unique_ptr<Rule> unique_input_field_names(ValidationContext& context);

}  // namespace cubeauth::graphql::rules
