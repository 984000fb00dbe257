#include "graphql/language/ast.hpp"

namespace cubeauth::graphql::ast {

Location Value::loc() const {
  return std::visit([](const auto& node) { return node.loc; }, *this);
}

Location Type::loc() const {
  return std::visit([](const auto& node) { return node.loc; }, *this);
}

const std::string& Type::named_type() const {
  const Type* type = this;
  while (true) {
    if (const auto* named = std::get_if<NamedType>(type)) {
      return named->name.value;
    }
    if (const auto* list = std::get_if<ListType>(type)) {
      type = list->type.get();
    } else {
      type = std::get<NonNullType>(*type).type.get();
    }
  }
}

Location Selection::loc() const {
  return std::visit([](const auto& node) { return node.loc; }, *this);
}

Location Definition::loc() const {
  return std::visit([](const auto& node) { return node.loc; }, *this);
}

const char* operation_type_name(OperationType type) {
  switch (type) {
    case OperationType::kQuery:
      return "query";
    case OperationType::kMutation:
      return "mutation";
    case OperationType::kSubscription:
      return "subscription";
  }
  return "query";
}

}  // namespace cubeauth::graphql::ast
