// Spec 5.3.1 Field Selections: a selected field exists on the parent type, with graphql-js's
// hints: an inline fragment on a type that has it, or a similar field name
// (graphql-js FieldsOnCorrectTypeRule).
#include "graphql/schema/schema.hpp"
#include "graphql/validation/detail/suggestions.hpp"
#include "graphql/validation/rules/rules.hpp"
#include "graphql/validation/validation_context.hpp"

#include <algorithm>
#include <unordered_map>

namespace cubeauth::graphql::rules {

namespace {

const FieldsContainer* fields_of(const NamedType* type) {
  if (const ObjectType* object = type->as_object()) {
    return object;
  }
  return type->as_interface();
}

class FieldsOnCorrectType final : public Rule {
 public:
  using Rule::Rule;

  void enter_field(const ast::Field& node) override {
    const NamedType* parent = context().type_info().parent_type();
    if (parent == nullptr || context().type_info().field_def() != nullptr) {
      return;
    }
    const std::string& name = node.name.value;
    std::string hint = detail::did_you_mean(suggested_types(parent, name), "to use an inline fragment on");
    if (hint.empty()) {
      hint = detail::did_you_mean(suggested_fields(parent, name));
    }
    context().report("Cannot query field \"" + name + "\" on type \"" + parent->name() + "\"." + hint,
                     {node.loc});
  }

 private:
  // Types that have the field, most used first, interfaces before their implementations.
  std::vector<std::string> suggested_types(const NamedType* type, const std::string& field) {
    if (!type->is_abstract_type()) {
      return {};
    }
    std::vector<const NamedType*> found;
    std::unordered_map<const NamedType*, int> usage;
    for (const ObjectType* object : context().schema().possible_types(type)) {
      if (object->field(field) == nullptr) {
        continue;
      }
      if (usage.emplace(object, 1).second) {
        found.push_back(object);
      }
      for (const InterfaceType* interface : object->interfaces()) {
        if (interface->field(field) == nullptr) {
          continue;
        }
        if (usage[interface]++ == 0) {
          found.push_back(interface);
        }
      }
    }
    const Schema& schema = context().schema();
    std::stable_sort(found.begin(), found.end(), [&](const NamedType* a, const NamedType* b) {
      if (usage[a] != usage[b]) {
        return usage[a] > usage[b];
      }
      if (a->as_interface() != nullptr && schema.is_sub_type(a, b)) {
        return true;
      }
      if (b->as_interface() != nullptr && schema.is_sub_type(b, a)) {
        return false;
      }
      return detail::natural_compare(a->name(), b->name()) < 0;
    });
    std::vector<std::string> names;
    names.reserve(found.size());
    for (const NamedType* suggested : found) {
      names.push_back(suggested->name());
    }
    return names;
  }

  static std::vector<std::string> suggested_fields(const NamedType* type, const std::string& field) {
    const FieldsContainer* container = fields_of(type);
    if (container == nullptr) {
      return {};
    }
    std::vector<std::string_view> names;
    for (const FieldDefinition& definition : container->fields()) {
      names.push_back(definition.name);
    }
    return detail::suggestion_list(field, names);
  }
};

}  // namespace

std::unique_ptr<Rule> fields_on_correct_type(ValidationContext& context) {
  return std::make_unique<FieldsOnCorrectType>(context);
}

}  // namespace cubeauth::graphql::rules
