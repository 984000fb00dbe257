#include "graphql/validation/type_info.hpp"

#include "graphql/schema/schema.hpp"

namespace cubeauth::graphql {

namespace {

const Type* output_or_null(const Type* type) {
  return type != nullptr && type->is_output_type() ? type : nullptr;
}

const Type* input_or_null(const Type* type) {
  return type != nullptr && type->is_input_type() ? type : nullptr;
}

const ast::Value* default_of(const InputValue* value) {
  return value != nullptr && value->default_literal ? &*value->default_literal : nullptr;
}

}  // namespace

void TypeInfo::enter_operation(const ast::OperationDefinition& node) {
  type_stack_.push_back(schema_.root_type(node.operation));
}

void TypeInfo::enter_fragment(const std::optional<ast::NamedType>& type_condition) {
  if (type_condition) {
    type_stack_.push_back(output_or_null(schema_.type(type_condition->name.value)));
  } else {
    const Type* current = type();
    type_stack_.push_back(current != nullptr ? current->named_type() : nullptr);
  }
}

void TypeInfo::enter_selection_set() {
  const Type* current = type();
  const NamedType* named = current != nullptr ? current->named_type() : nullptr;
  parent_type_stack_.push_back(named != nullptr && named->is_composite_type() ? named : nullptr);
}

void TypeInfo::enter_field(const ast::Field& node) {
  const NamedType* parent = parent_type();
  const FieldDefinition* field =
      parent != nullptr ? schema_.field_definition(parent, node.name.value) : nullptr;
  field_def_stack_.push_back(field);
  type_stack_.push_back(field != nullptr ? output_or_null(field->type) : nullptr);
}

void TypeInfo::leave_field() {
  field_def_stack_.pop_back();
  type_stack_.pop_back();
}

void TypeInfo::enter_directive(const ast::Directive& node) {
  directive_ = schema_.directive(node.name.value);
}

void TypeInfo::enter_argument(const ast::Argument& node) {
  const InputValue* definition = nullptr;
  if (directive_ != nullptr) {
    definition = directive_->argument(node.name.value);
  } else if (const FieldDefinition* field = field_def()) {
    definition = field->argument(node.name.value);
  }
  argument_ = definition;
  default_value_stack_.push_back(default_of(definition));
  input_type_stack_.push_back(definition != nullptr ? input_or_null(definition->type) : nullptr);
}

void TypeInfo::leave_argument() {
  argument_ = nullptr;
  default_value_stack_.pop_back();
  input_type_stack_.pop_back();
}

void TypeInfo::enter_variable_definition(const ast::VariableDefinition& node) {
  input_type_stack_.push_back(input_or_null(schema_.type_from_ast(node.type)));
}

void TypeInfo::enter_list_value() {
  const Type* list = input_type();
  list = list != nullptr ? list->nullable() : nullptr;
  const Type* item = list != nullptr && list->is_list() ? list->of_type() : list;
  default_value_stack_.push_back(nullptr);
  input_type_stack_.push_back(input_or_null(item));
}

void TypeInfo::enter_object_field(const ast::ObjectField& node) {
  const Type* current = input_type();
  const NamedType* named = current != nullptr ? current->named_type() : nullptr;
  const InputValue* field = nullptr;
  if (const InputObjectType* object = named != nullptr ? named->as_input_object() : nullptr) {
    field = object->field(node.name.value);
  }
  default_value_stack_.push_back(default_of(field));
  input_type_stack_.push_back(field != nullptr ? input_or_null(field->type) : nullptr);
}

void TypeInfo::leave_input_position() {
  default_value_stack_.pop_back();
  input_type_stack_.pop_back();
}

}  // namespace cubeauth::graphql
