// Spec 5.3.2 Field Selection Merging: fields with the same response name in a selection set
// (fragments included) must be the same field with the same arguments, or lie on different
// object types, and their types and sub-selections must merge
// (graphql-js OverlappingFieldsCanBeMergedRule; the search is in detail/field_conflicts.cpp).
#include "graphql/validation/detail/field_conflicts.hpp"
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

namespace cubeauth::graphql::rules {

namespace {

class OverlappingFieldsCanBeMerged final : public Rule {
 public:
  explicit OverlappingFieldsCanBeMerged(ValidationContext& context)
      : Rule(context), finder_(context) {}

  void enter_selection_set(const ast::SelectionSet& node) override {
    for (const detail::FieldConflict& conflict :
         finder_.within(context().type_info().parent_type(), node)) {
      std::vector<ast::Location> locations;
      for (const ast::Field* field : conflict.fields1) {
        locations.push_back(field->loc);
      }
      for (const ast::Field* field : conflict.fields2) {
        locations.push_back(field->loc);
      }
      context().report("Fields \"" + conflict.response_name + "\" conflict because " +
                           conflict.reason +
                           ". Use different aliases on the fields to fetch both if this was "
                           "intentional.",
                       std::move(locations));
    }
  }

 private:
  detail::FieldConflictFinder finder_;
};

}  // namespace

std::unique_ptr<Rule> overlapping_fields_can_be_merged(ValidationContext& context) {
  return std::make_unique<OverlappingFieldsCanBeMerged>(context);
}

}  // namespace cubeauth::graphql::rules
