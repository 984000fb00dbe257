// Tracks, during the validation walk, the types around the current node: parent composite
// type, output type, field and directive definitions, input type and default value
// (graphql-js src/utilities/TypeInfo.ts).
#pragma once

#include "graphql/language/ast.hpp"
#include "graphql/schema/types.hpp"

#include <boost/json/value.hpp>

#include <vector>

namespace cubeauth::graphql {

class Schema;

class TypeInfo {
 public:
  explicit TypeInfo(const Schema& schema) : schema_(schema) {}

  /// The output type of the current field, operation or fragment (may be null).
  const Type* type() const { return top(type_stack_); }
  /// The composite type whose selection set holds the current node.
  const NamedType* parent_type() const { return top(parent_type_stack_); }
  const FieldDefinition* field_def() const { return top(field_def_stack_); }
  /// The input type expected where the current value or argument appears.
  const Type* input_type() const { return top(input_type_stack_); }
  /// The input type one level up (the list or input object holding the current value).
  const Type* parent_input_type() const {
    return input_type_stack_.size() < 2 ? nullptr : input_type_stack_[input_type_stack_.size() - 2];
  }
  /// The default value (as SDL literal) of the current argument or input field.
  const ast::Value* default_value() const { return top(default_value_stack_); }
  const DirectiveDefinition* directive() const { return directive_; }
  const InputValue* argument() const { return argument_; }

  void enter_operation(const ast::OperationDefinition& node);
  void enter_fragment(const std::optional<ast::NamedType>& type_condition);
  void leave_typed_node() { type_stack_.pop_back(); }
  void enter_selection_set();
  void leave_selection_set() { parent_type_stack_.pop_back(); }
  void enter_field(const ast::Field& node);
  void leave_field();
  void enter_directive(const ast::Directive& node);
  void leave_directive() { directive_ = nullptr; }
  void enter_argument(const ast::Argument& node);
  void leave_argument();
  void enter_variable_definition(const ast::VariableDefinition& node);
  void leave_variable_definition() { input_type_stack_.pop_back(); }
  void enter_list_value();
  void enter_object_field(const ast::ObjectField& node);
  /// Leaves a list value or an object field.
  void leave_input_position();

 private:
  template <class T>
  static T top(const std::vector<T>& stack) {
    return stack.empty() ? nullptr : stack.back();
  }

  const Schema& schema_;
  std::vector<const Type*> type_stack_;
  std::vector<const NamedType*> parent_type_stack_;
  std::vector<const FieldDefinition*> field_def_stack_;
  std::vector<const Type*> input_type_stack_;
  std::vector<const ast::Value*> default_value_stack_;
  const DirectiveDefinition* directive_ = nullptr;
  const InputValue* argument_ = nullptr;
};

}  // namespace cubeauth::graphql
