#include "graphql/request/introspection_answers.hpp"

#include "graphql/language/ast.hpp"

#include <algorithm>
#include <variant>

namespace cubeauth::graphql {
namespace json = boost::json;
namespace {

bool is_meta_field(const std::string& name) {
  return name == "__schema" || name == "__type" || name == "__typename";
}

// Fragment cycles are validation errors; `depth` still bounds a walk of an unvalidated document.
bool selects_only_meta_fields(const ast::Document& document,
                              const ast::SelectionSet& selection_set, int depth) {
  if (depth > 64) {
    return false;
  }
  for (const ast::Selection& selection : selection_set.selections) {
    if (const auto* field = std::get_if<ast::Field>(&selection)) {
      if (!is_meta_field(field->name.value)) {
        return false;
      }
    } else if (const auto* spread = std::get_if<ast::FragmentSpread>(&selection)) {
      const ast::FragmentDefinition* target = nullptr;
      for (const ast::Definition& definition : document.definitions) {
        const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition);
        if (fragment != nullptr && fragment->name.value == spread->name.value) {
          target = fragment;
          break;
        }
      }
      if (target == nullptr ||
          !selects_only_meta_fields(document, target->selection_set, depth + 1)) {
        return false;
      }
    } else if (!selects_only_meta_fields(document,
                                         std::get<ast::InlineFragment>(selection).selection_set,
                                         depth + 1)) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool is_introspection_only(const ast::Document& document) {
  bool any = false;
  for (const ast::Definition& definition : document.definitions) {
    const auto* operation = std::get_if<ast::OperationDefinition>(&definition);
    if (operation == nullptr) {
      continue;
    }
    if (operation->operation != ast::OperationType::kQuery ||
        !selects_only_meta_fields(document, operation->selection_set, 0)) {
      return false;
    }
    any = true;
  }
  return any;
}

std::optional<Response> IntrospectionAnswers::find(std::string_view operation_name,
                                                   const json::object& variables) const {
  std::shared_ptr<const Entry> found;
  {
    std::lock_guard lock(mutex_);
    for (const auto& entry : entries_) {
      if (entry->operation_name == operation_name && entry->variables == variables) {
        found = entry;
        break;
      }
    }
  }
  if (!found) {
    return std::nullopt;
  }
  Response response;
  response.data = found->data;  // shared, not copied: the answer is immutable
  return response;
}

void IntrospectionAnswers::remember(std::string_view operation_name, const json::object& variables,
                                    std::shared_ptr<const json::value> data) {
  auto entry = std::make_shared<Entry>();
  entry->operation_name = std::string(operation_name);
  entry->variables = variables;
  entry->data = std::move(data);
  std::lock_guard lock(mutex_);
  for (auto& existing : entries_) {
    if (existing->operation_name == operation_name && existing->variables == variables) {
      existing = std::move(entry);
      return;
    }
  }
  if (entries_.size() >= kCapacity) {
    entries_.erase(entries_.begin());
  }
  entries_.push_back(std::move(entry));
}

}  // namespace cubeauth::graphql
