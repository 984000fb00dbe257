#include "graphql/validation/detail/field_conflicts.hpp"

#include "graphql/language/printer.hpp"
#include "graphql/schema/schema.hpp"
#include "graphql/validation/detail/suggestions.hpp"
#include "graphql/validation/validation_context.hpp"

#include <algorithm>

namespace cubeauth::graphql::detail {

namespace {

// graphql-js stringifyValue: the printed value with object fields sorted by name.
std::string canonical(const ast::Value& value) {
  if (const auto* list = std::get_if<ast::ListValue>(&value)) {
    std::string out = "[";
    for (std::size_t i = 0; i < list->values.size(); ++i) {
      out += (i > 0 ? ", " : "") + canonical(list->values[i]);
    }
    return out + "]";
  }
  if (const auto* object = std::get_if<ast::ObjectValue>(&value)) {
    std::vector<const ast::ObjectField*> fields;
    for (const ast::ObjectField& field : object->fields) {
      fields.push_back(&field);
    }
    std::stable_sort(fields.begin(), fields.end(), [](const auto* a, const auto* b) {
      return natural_compare(a->name.value, b->name.value) < 0;
    });
    std::string out = "{";
    for (std::size_t i = 0; i < fields.size(); ++i) {
      out += (i > 0 ? ", " : "") + fields[i]->name.value + ": " + canonical(fields[i]->value);
    }
    return out + "}";
  }
  return print(value);
}

bool same_arguments(const ast::Field& a, const ast::Field& b) {
  if (a.arguments.size() != b.arguments.size()) {
    return false;
  }
  for (const ast::Argument& argument : a.arguments) {
    auto other = std::find_if(b.arguments.begin(), b.arguments.end(), [&](const ast::Argument& x) {
      return x.name.value == argument.name.value;
    });
    if (other == b.arguments.end() || canonical(argument.value) != canonical(other->value)) {
      return false;
    }
  }
  return true;
}

// Two types conflict when they differ in list or non-null shape, or are different leaf types.
bool do_types_conflict(const Type* a, const Type* b) {
  if (a->is_list() || b->is_list()) {
    return !(a->is_list() && b->is_list()) || do_types_conflict(a->of_type(), b->of_type());
  }
  if (a->is_non_null() || b->is_non_null()) {
    return !(a->is_non_null() && b->is_non_null()) || do_types_conflict(a->of_type(), b->of_type());
  }
  return (a->is_leaf_type() || b->is_leaf_type()) && a != b;
}

const FieldDefinition* own_field(const NamedType* parent, const std::string& name) {
  if (parent == nullptr) {
    return nullptr;
  }
  if (const ObjectType* object = parent->as_object()) {
    return object->field(name);
  }
  const InterfaceType* interface = parent->as_interface();
  return interface != nullptr ? interface->field(name) : nullptr;
}

// True when `set` cannot hold a conflict of its own: fields alone, each under its own response
// name, or one fragment spread alone (the fragment's own set is checked where it is defined; the
// sub-selections where they are entered). Most selection sets are like this, and answering
// without collecting them saves a map per set.
bool nothing_to_compare_within(const ast::SelectionSet& set) {
  const auto& selections = set.selections;
  if (selections.size() == 1 && std::holds_alternative<ast::FragmentSpread>(selections[0])) {
    return true;
  }
  if (selections.size() > 32) {
    return false;  // the pairwise check below would cost more than collecting
  }
  for (std::size_t i = 0; i < selections.size(); ++i) {
    const auto* field = std::get_if<ast::Field>(&selections[i]);
    if (field == nullptr) {
      return false;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (std::get<ast::Field>(selections[j]).response_key() == field->response_key()) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

std::vector<FieldConflict> FieldConflictFinder::within(const NamedType* parent,
                                                       const ast::SelectionSet& set) {
  Conflicts out;
  if (nothing_to_compare_within(set)) {
    return out;
  }
  const Collected& map = collect(parent, set);
  within_map(out, map);
  const auto& names = map.fragment_names;
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::set<std::string_view> visited;
    between_fields_and_fragment(out, false, map, names[i], visited);
    for (std::size_t j = i + 1; j < names.size(); ++j) {
      between_fragments(out, false, names[i], names[j]);
    }
  }
  return out;
}

const FieldConflictFinder::Collected& FieldConflictFinder::collect(const NamedType* parent,
                                                                   const ast::SelectionSet& set) {
  auto& slot = collected_[&set];
  if (!slot) {
    slot = std::make_unique<Collected>();
    std::set<std::string_view> seen_fragments;
    gather(parent, set, *slot, seen_fragments);
  }
  return *slot;
}

const FieldConflictFinder::Collected* FieldConflictFinder::collect_fragment(std::string_view name) {
  const ast::FragmentDefinition* fragment = context_.fragment(name);
  if (fragment == nullptr) {
    return nullptr;
  }
  return &collect(context_.schema().type(fragment->type_condition.name.value),
                  fragment->selection_set);
}

void FieldConflictFinder::gather(const NamedType* parent, const ast::SelectionSet& set,
                                 Collected& out, std::set<std::string_view>& seen_fragments) {
  for (const ast::Selection& selection : set.selections) {
    if (const auto* field = std::get_if<ast::Field>(&selection)) {
      auto& group = out.fields[field->response_key()];
      if (group.empty()) {
        out.order.push_back(field->response_key());
      }
      group.push_back({parent, field, own_field(parent, field->name.value)});
    } else if (const auto* spread = std::get_if<ast::FragmentSpread>(&selection)) {
      if (seen_fragments.insert(spread->name.value).second) {
        out.fragment_names.push_back(spread->name.value);
      }
    } else {
      const auto& fragment = std::get<ast::InlineFragment>(selection);
      const NamedType* type = fragment.type_condition
                                  ? context_.schema().type(fragment.type_condition->name.value)
                                  : parent;
      gather(type, fragment.selection_set, out, seen_fragments);
    }
  }
}

void FieldConflictFinder::within_map(Conflicts& out, const Collected& map) {
  for (std::string_view name : map.order) {
    const auto& fields = map.fields.at(name);
    for (std::size_t i = 0; i < fields.size(); ++i) {
      for (std::size_t j = i + 1; j < fields.size(); ++j) {
        FieldConflict conflict;
        if (find_conflict(conflict, false, name, fields[i], fields[j])) {
          out.push_back(std::move(conflict));
        }
      }
    }
  }
}

void FieldConflictFinder::between(Conflicts& out, bool exclusive, const Collected& a,
                                  const Collected& b) {
  for (std::string_view name : a.order) {
    auto other = b.fields.find(name);
    if (other == b.fields.end()) {
      continue;
    }
    for (const FieldAndDef& field1 : a.fields.at(name)) {
      for (const FieldAndDef& field2 : other->second) {
        FieldConflict conflict;
        if (find_conflict(conflict, exclusive, name, field1, field2)) {
          out.push_back(std::move(conflict));
        }
      }
    }
  }
}

void FieldConflictFinder::between_fields_and_fragment(Conflicts& out, bool exclusive,
                                                      const Collected& map,
                                                      std::string_view fragment,
                                                      std::set<std::string_view>& visited) {
  const Collected* other = collect_fragment(fragment);
  if (other == nullptr || other == &map || !visited.insert(fragment).second) {
    return;
  }
  between(out, exclusive, map, *other);
  for (std::string_view referenced : other->fragment_names) {
    between_fields_and_fragment(out, exclusive, map, referenced, visited);
  }
}

bool FieldConflictFinder::fragment_pair_compared(std::string_view a, std::string_view b,
                                                 bool exclusive) {
  auto key = a < b ? std::pair(a, b) : std::pair(b, a);
  auto found = compared_fragments_.find(key);
  if (found != compared_fragments_.end() && (exclusive || !found->second)) {
    return true;
  }
  compared_fragments_[key] = exclusive;
  return false;
}

void FieldConflictFinder::between_fragments(Conflicts& out, bool exclusive, std::string_view a,
                                            std::string_view b) {
  if (a == b || fragment_pair_compared(a, b, exclusive)) {
    return;
  }
  const Collected* map1 = collect_fragment(a);
  const Collected* map2 = collect_fragment(b);
  if (map1 == nullptr || map2 == nullptr) {
    return;
  }
  between(out, exclusive, *map1, *map2);
  for (std::string_view referenced : map2->fragment_names) {
    between_fragments(out, exclusive, a, referenced);
  }
  for (std::string_view referenced : map1->fragment_names) {
    between_fragments(out, exclusive, referenced, b);
  }
}

const FieldConflictFinder::Conflicts& FieldConflictFinder::between_sub_selections(
    bool exclusive, const NamedType* parent1, const ast::SelectionSet& set1,
    const NamedType* parent2, const ast::SelectionSet& set2) {
  static const Conflicts kNone;
  auto shapes = std::tuple(shape_id(set1), parent1, shape_id(set2), parent2, exclusive);
  if (mergeable_shapes_.contains(shapes)) {
    return kNone;
  }
  // An entry exists from the start of its computation, so recursive fragments end here too.
  auto [entry, inserted] = compared_sets_.try_emplace(std::tuple(&set1, &set2, exclusive));
  if (!inserted) {
    return entry->second;
  }
  Conflicts out;
  const Collected& map1 = collect(parent1, set1);
  const Collected& map2 = collect(parent2, set2);
  between(out, exclusive, map1, map2);
  for (std::string_view fragment : map2.fragment_names) {
    std::set<std::string_view> visited;
    between_fields_and_fragment(out, exclusive, map1, fragment, visited);
  }
  for (std::string_view fragment : map1.fragment_names) {
    std::set<std::string_view> visited;
    between_fields_and_fragment(out, exclusive, map2, fragment, visited);
  }
  for (std::string_view fragment1 : map1.fragment_names) {
    for (std::string_view fragment2 : map2.fragment_names) {
      between_fragments(out, exclusive, fragment1, fragment2);
    }
  }
  if (out.empty()) {
    mergeable_shapes_.insert(shapes);
  }
  entry->second = std::move(out);
  return entry->second;
}

std::size_t FieldConflictFinder::shape_id(const ast::SelectionSet& set) {
  if (auto known = shape_ids_.find(&set); known != shape_ids_.end()) {
    return known->second;
  }
  // What the merge checks look at: response keys, names, arguments, type conditions,
  // spreads, and the shapes of sub-selections (by id, so keys stay short).
  std::string key;
  for (const ast::Selection& selection : set.selections) {
    if (const auto* field = std::get_if<ast::Field>(&selection)) {
      key += "F" + field->response_key() + ":" + field->name.value + "(";
      for (const ast::Argument& argument : field->arguments) {
        key += argument.name.value + ":" + canonical(argument.value) + ",";
      }
      key += ")";
      if (field->selection_set) {
        key += "#" + std::to_string(shape_id(*field->selection_set));
      }
    } else if (const auto* spread = std::get_if<ast::FragmentSpread>(&selection)) {
      key += "S" + spread->name.value;
    } else {
      const auto& fragment = std::get<ast::InlineFragment>(selection);
      key += "I" + (fragment.type_condition ? fragment.type_condition->name.value : "") + "#" +
             std::to_string(shape_id(fragment.selection_set));
    }
    key += '\n';
  }
  std::size_t id = shapes_.try_emplace(std::move(key), shapes_.size()).first->second;
  shape_ids_[&set] = id;
  return id;
}

bool FieldConflictFinder::find_conflict(FieldConflict& out, bool parents_exclusive,
                                        std::string_view response_name, const FieldAndDef& a,
                                        const FieldAndDef& b) {
  // Fields on two different object types never apply to the same object.
  bool exclusive = parents_exclusive || (a.parent != b.parent && a.parent != nullptr &&
                                         b.parent != nullptr && a.parent->as_object() != nullptr &&
                                         b.parent->as_object() != nullptr);
  out.response_name = response_name;
  out.fields1 = {a.node};
  out.fields2 = {b.node};
  if (!exclusive) {
    if (a.node->name.value != b.node->name.value) {
      out.reason = "\"" + a.node->name.value + "\" and \"" + b.node->name.value +
                   "\" are different fields";
      return true;
    }
    if (!same_arguments(*a.node, *b.node)) {
      out.reason = "they have differing arguments";
      return true;
    }
  }
  const Type* type1 = a.def != nullptr ? a.def->type : nullptr;
  const Type* type2 = b.def != nullptr ? b.def->type : nullptr;
  if (type1 != nullptr && type2 != nullptr && do_types_conflict(type1, type2)) {
    out.reason = "they return conflicting types \"" + type1->to_string() + "\" and \"" +
                 type2->to_string() + "\"";
    return true;
  }
  if (!a.node->selection_set || !b.node->selection_set) {
    return false;
  }
  const Conflicts& sub = between_sub_selections(
      exclusive, type1 != nullptr ? type1->named_type() : nullptr, *a.node->selection_set,
      type2 != nullptr ? type2->named_type() : nullptr, *b.node->selection_set);
  if (sub.empty()) {
    return false;
  }
  for (const FieldConflict& conflict : sub) {
    out.reason += (out.reason.empty() ? "" : " and ") + std::string("subfields \"") +
                  conflict.response_name + "\" conflict because " + conflict.reason;
    out.fields1.insert(out.fields1.end(), conflict.fields1.begin(), conflict.fields1.end());
    out.fields2.insert(out.fields2.end(), conflict.fields2.begin(), conflict.fields2.end());
  }
  return true;
}

}  // namespace cubeauth::graphql::detail
