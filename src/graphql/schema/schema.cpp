#include "graphql/schema/schema.hpp"

#include "graphql/execution/resolver.hpp"

#include <algorithm>

namespace cubeauth::graphql {

Schema::Schema() = default;
Schema::~Schema() = default;

const ObjectType* Schema::root_type(ast::OperationType operation) const {
  switch (operation) {
    case ast::OperationType::kQuery:
      return query_;
    case ast::OperationType::kMutation:
      return mutation_;
    case ast::OperationType::kSubscription:
      return subscription_;
  }
  return nullptr;
}

const NamedType* Schema::type(std::string_view name) const {
  auto it = types_.find(std::string(name));
  return it == types_.end() ? nullptr : it->second.get();
}

const DirectiveDefinition* Schema::directive(std::string_view name) const {
  auto it = directives_.find(std::string(name));
  return it == directives_.end() ? nullptr : it->second.get();
}

const std::vector<const ObjectType*>& Schema::possible_types(const NamedType* type) const {
  static const std::vector<const ObjectType*> kNone;
  auto it = possible_types_.find(type);
  return it == possible_types_.end() ? kNone : it->second;
}

bool Schema::is_possible_type(const NamedType* abstract_type, const ObjectType* object) const {
  const auto& possible = possible_types(abstract_type);
  return std::find(possible.begin(), possible.end(), object) != possible.end();
}

bool Schema::is_sub_type(const NamedType* abstract_type, const NamedType* maybe_sub) const {
  if (const UnionType* union_type = abstract_type->as_union()) {
    const auto& members = union_type->members();
    return std::find(members.begin(), members.end(), maybe_sub) != members.end();
  }
  if (abstract_type->as_interface() == nullptr) {
    return false;
  }
  const std::vector<const InterfaceType*>* interfaces = nullptr;
  if (const ObjectType* object = maybe_sub->as_object()) {
    interfaces = &object->interfaces();
  } else if (const InterfaceType* interface_type = maybe_sub->as_interface()) {
    interfaces = &interface_type->interfaces();
  } else {
    return false;
  }
  return std::find(interfaces->begin(), interfaces->end(), abstract_type) != interfaces->end();
}

const std::vector<const InterfaceType*>& Schema::interface_implementations(
    const InterfaceType* interface_type) const {
  static const std::vector<const InterfaceType*> kNone;
  auto it = interface_implementations_.find(interface_type);
  return it == interface_implementations_.end() ? kNone : it->second;
}

const FieldDefinition* Schema::field_definition(const NamedType* parent,
                                                std::string_view name) const {
  if (name.size() > 2 && name[0] == '_' && name[1] == '_') {
    if (name == "__typename" && parent->is_composite_type()) {
      return typename_field_;
    }
    if (parent == query_ && name == "__schema") {
      return schema_field_;
    }
    if (parent == query_ && name == "__type") {
      return type_field_;
    }
  }
  if (const ObjectType* object = parent->as_object()) {
    return object->field(name);
  }
  if (const InterfaceType* interface_type = parent->as_interface()) {
    return interface_type->field(name);
  }
  return nullptr;
}

const Type* Schema::type_from_ast(const ast::Type& node) const {
  if (const auto* named = std::get_if<ast::NamedType>(&node)) {
    return type(named->name.value);
  }
  if (const auto* list = std::get_if<ast::ListType>(&node)) {
    const Type* inner = type_from_ast(*list->type);
    return inner == nullptr ? nullptr : list_of(inner);
  }
  const Type* inner = type_from_ast(*std::get<ast::NonNullType>(node).type);
  return inner == nullptr ? nullptr : non_null_of(inner);
}

const Type* Schema::list_of(const Type* of) const {
  std::lock_guard lock(wrappers_mutex_);
  auto& slot = wrappers_[{of, true}];
  if (!slot) {
    slot = std::make_unique<WrappingType>(TypeKind::kList, of);
  }
  return slot.get();
}

const Type* Schema::non_null_of(const Type* of) const {
  if (of->is_non_null()) {
    return of;
  }
  std::lock_guard lock(wrappers_mutex_);
  auto& slot = wrappers_[{of, false}];
  if (!slot) {
    slot = std::make_unique<WrappingType>(TypeKind::kNonNull, of);
  }
  return slot.get();
}

bool Schema::is_type_sub_type_of(const Type* maybe_sub, const Type* super) const {
  if (maybe_sub == super) {
    return true;
  }
  if (super->is_non_null()) {
    return maybe_sub->is_non_null() && is_type_sub_type_of(maybe_sub->of_type(), super->of_type());
  }
  if (maybe_sub->is_non_null()) {
    return is_type_sub_type_of(maybe_sub->of_type(), super);
  }
  if (super->is_list()) {
    return maybe_sub->is_list() && is_type_sub_type_of(maybe_sub->of_type(), super->of_type());
  }
  if (maybe_sub->is_list()) {
    return false;
  }
  return super->is_abstract_type() &&
         (maybe_sub->named_type()->as_interface() != nullptr ||
          maybe_sub->named_type()->as_object() != nullptr) &&
         is_sub_type(super->named_type(), maybe_sub->named_type());
}

bool Schema::do_types_overlap(const NamedType* a, const NamedType* b) const {
  if (a == b) {
    return true;
  }
  if (a->is_abstract_type()) {
    if (b->is_abstract_type()) {
      for (const ObjectType* type : possible_types(a)) {
        if (is_possible_type(b, type)) {
          return true;
        }
      }
      return false;
    }
    return b->as_object() != nullptr && is_possible_type(a, b->as_object());
  }
  if (b->is_abstract_type()) {
    return a->as_object() != nullptr && is_possible_type(b, a->as_object());
  }
  return false;
}

FieldDefinition* Schema::mutable_field(std::string_view coordinate) {
  const auto dot = coordinate.find('.');
  if (dot == std::string_view::npos) {
    return nullptr;
  }
  auto it = types_.find(std::string(coordinate.substr(0, dot)));
  if (it == types_.end()) {
    return nullptr;
  }
  FieldsContainer* container = nullptr;
  if (it->second->kind() == TypeKind::kObject) {
    container = static_cast<ObjectType*>(it->second.get());
  } else if (it->second->kind() == TypeKind::kInterface) {
    container = static_cast<InterfaceType*>(it->second.get());
  } else {
    return nullptr;
  }
  auto field = container->index_.find(coordinate.substr(dot + 1));
  return field == container->index_.end() ? nullptr : &container->fields_[field->second];
}

Result<void, std::string> Schema::bind(std::string_view coordinate, Resolver resolver) {
  if (coordinate.starts_with("__")) {
    return unexpected("cannot bind a resolver to \"" + std::string(coordinate) +
                      "\": introspection fields are answered by the engine");
  }
  FieldDefinition* field = mutable_field(coordinate);
  if (field == nullptr) {
    return unexpected("cannot bind a resolver to \"" + std::string(coordinate) +
                      "\": no such object or interface field");
  }
  field->resolver = std::make_shared<const Resolver>(std::move(resolver));
  return {};
}

Result<void, std::string> Schema::bind_subscriber(std::string_view coordinate,
                                                  Subscriber subscriber) {
  auto refuse = [&](std::string_view reason) {
    return unexpected("cannot bind a subscriber to \"" + std::string(coordinate) +
                      "\": " + std::string(reason));
  };
  if (subscription_ == nullptr) {
    return refuse("the schema has no subscription type");
  }
  const auto dot = coordinate.find('.');
  if (dot == std::string_view::npos || coordinate.substr(0, dot) != subscription_->name()) {
    return refuse("not a field of the subscription type " + subscription_->name());
  }
  FieldDefinition* field = mutable_field(coordinate);
  if (field == nullptr) {
    return refuse("no such field");
  }
  if (!subscriber) {
    return refuse("empty subscriber");
  }
  subscribers_.insert_or_assign(field, std::move(subscriber));
  return {};
}

const Subscriber* Schema::subscriber(const FieldDefinition& field) const {
  auto it = subscribers_.find(&field);
  return it == subscribers_.end() ? nullptr : &it->second;
}

}  // namespace cubeauth::graphql
