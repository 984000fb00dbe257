// The search behind OverlappingFieldsCanBeMerged (spec 5.3.2 FieldsInSetCanMerge): finds
// fields with the same response name that could not be merged, as graphql-js
// src/validation/rules/OverlappingFieldsCanBeMergedRule.ts does, caching collected fields per
// selection set and compared fragment pairs, plus two caches of our own: compared
// selection-set pairs, and selection-set shapes known to merge, so that repeated identical
// nested fields cost polynomial rather than exponential time.
#pragma once

#include "graphql/language/ast.hpp"
#include "graphql/schema/types.hpp"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace cubeauth::graphql {
class ValidationContext;
}

namespace cubeauth::graphql::detail {

struct FieldConflict {
  std::string response_name;
  std::string reason;  // "\"a\" and \"b\" are different fields", or nested subfield reasons
  std::vector<const ast::Field*> fields1;
  std::vector<const ast::Field*> fields2;
};

class FieldConflictFinder {
 public:
  explicit FieldConflictFinder(ValidationContext& context) : context_(context) {}

  /// graphql-js findConflictsWithinSelectionSet.
  std::vector<FieldConflict> within(const NamedType* parent, const ast::SelectionSet& set);

 private:
  struct FieldAndDef {
    const NamedType* parent;
    const ast::Field* node;
    const FieldDefinition* def;
  };
  struct Collected {
    std::vector<std::string_view> order;  // response names, first-seen order
    std::unordered_map<std::string_view, std::vector<FieldAndDef>> fields;
    std::vector<std::string_view> fragment_names;
  };
  using Conflicts = std::vector<FieldConflict>;

  const Collected& collect(const NamedType* parent, const ast::SelectionSet& set);
  const Collected* collect_fragment(std::string_view name);
  void gather(const NamedType* parent, const ast::SelectionSet& set, Collected& out,
              std::set<std::string_view>& seen_fragments);

  void within_map(Conflicts& out, const Collected& map);
  void between(Conflicts& out, bool exclusive, const Collected& a, const Collected& b);
  void between_fields_and_fragment(Conflicts& out, bool exclusive, const Collected& map,
                                   std::string_view fragment,
                                   std::set<std::string_view>& visited);
  void between_fragments(Conflicts& out, bool exclusive, std::string_view a, std::string_view b);
  const Conflicts& between_sub_selections(bool exclusive, const NamedType* parent1,
                                          const ast::SelectionSet& set1, const NamedType* parent2,
                                          const ast::SelectionSet& set2);
  bool find_conflict(FieldConflict& out, bool parents_exclusive, std::string_view response_name,
                     const FieldAndDef& a, const FieldAndDef& b);

  bool fragment_pair_compared(std::string_view a, std::string_view b, bool exclusive);
  /// Equal ids: the two selection sets are written identically (locations aside).
  std::size_t shape_id(const ast::SelectionSet& set);

  ValidationContext& context_;
  std::unordered_map<const ast::SelectionSet*, std::unique_ptr<Collected>> collected_;
  // graphql-js PairSet: a pair compared as not exclusive also covers the exclusive case.
  std::map<std::pair<std::string_view, std::string_view>, bool> compared_fragments_;
  std::map<std::tuple<const ast::SelectionSet*, const ast::SelectionSet*, bool>, Conflicts>
      compared_sets_;
  std::unordered_map<const ast::SelectionSet*, std::size_t> shape_ids_;
  std::unordered_map<std::string, std::size_t> shapes_;
  std::set<std::tuple<std::size_t, const NamedType*, std::size_t, const NamedType*, bool>>
      mergeable_shapes_;
};

}  // namespace cubeauth::graphql::detail
