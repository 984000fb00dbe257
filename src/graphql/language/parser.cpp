#include "graphql/language/parser.hpp"

#include "graphql/language/lexer.hpp"

#include <fmt/format.h>

#include <array>
#include <string>
#include <utility>

namespace cubeauth::graphql {
namespace {

using namespace ast;

constexpr std::array<std::string_view, 19> kDirectiveLocations = {
    "QUERY",         "MUTATION",           "SUBSCRIPTION",        "FIELD",
    "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT",  "VARIABLE_DEFINITION",
    "SCHEMA",        "SCALAR",             "OBJECT",              "FIELD_DEFINITION",
    "ARGUMENT_DEFINITION", "INTERFACE",    "UNION",               "ENUM",
    "ENUM_VALUE",    "INPUT_OBJECT",       "INPUT_FIELD_DEFINITION"};

class Parser {
 public:
  Parser(std::string_view source, const ParseOptions& options)
      : lexer_(source), options_(options) {
    advance();
  }

  // Document : Definition+
  Document parse_document() {
    Document document;
    do {
      document.definitions.push_back(parse_definition());
    } while (!expect_optional(TokenKind::kEof));
    document.token_count = token_count_;
    return document;
  }

  Value parse_single_value() {
    Value value = parse_value_literal(false);
    expect(TokenKind::kEof);
    return value;
  }

 private:
  // --- token helpers (graphql-js Parser) ---------------------------------------------------

  void advance() {
    token_ = lexer_.next();
    if (token_.kind != TokenKind::kEof && ++token_count_ > options_.max_tokens) {
      lexer_.fail(token_.start, fmt::format("Document contains more than {} tokens. Parsing aborted.",
                                            options_.max_tokens));
    }
  }

  /// The token after the current one, without consuming anything.
  Token lookahead() {
    Lexer copy = lexer_;
    return copy.next();
  }

  bool peek(TokenKind kind) const { return token_.kind == kind; }

  bool peek_keyword(std::string_view value) const {
    return token_.kind == TokenKind::kName && token_.raw == value;
  }

  Location expect(TokenKind kind) {
    if (token_.kind != kind) {
      lexer_.fail(token_.start, fmt::format("Expected {}, found {}.", token_kind_description(kind),
                                            token_description(token_)));
    }
    const Location loc = token_.loc;
    advance();
    return loc;
  }

  bool expect_optional(TokenKind kind) {
    if (token_.kind == kind) {
      advance();
      return true;
    }
    return false;
  }

  void expect_keyword(std::string_view value) {
    if (!peek_keyword(value)) {
      lexer_.fail(token_.start,
                  fmt::format("Expected \"{}\", found {}.", value, token_description(token_)));
    }
    advance();
  }

  bool expect_optional_keyword(std::string_view value) {
    if (peek_keyword(value)) {
      advance();
      return true;
    }
    return false;
  }

  [[noreturn]] void unexpected(const Token& token) {
    lexer_.fail(token.start, fmt::format("Unexpected {}.", token_description(token)));
  }
  [[noreturn]] void unexpected() { unexpected(token_); }

  /// Counts one level of nesting for the lifetime of the guard.
  class DepthGuard {
   public:
    explicit DepthGuard(Parser& parser) : parser_(parser) {
      if (++parser_.depth_ > parser_.options_.max_depth) {
        parser_.lexer_.fail(parser_.token_.start,
                            fmt::format("Document nesting is deeper than {} levels. Parsing aborted.",
                                        parser_.options_.max_depth));
      }
    }
    ~DepthGuard() { --parser_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& parser_;
  };

  // --- names and definitions ---------------------------------------------------------------

  // Name : /[_A-Za-z][_0-9A-Za-z]*/
  Name parse_name() {
    if (token_.kind != TokenKind::kName) {
      expect(TokenKind::kName);
    }
    Name name{token_.loc, std::string(token_.raw)};
    advance();
    return name;
  }

  bool peek_description() const {
    return peek(TokenKind::kString) || peek(TokenKind::kBlockString);
  }

  // Definition : ExecutableDefinition | TypeSystemDefinitionOrExtension
  Definition parse_definition() {
    if (peek(TokenKind::kBraceL)) {
      return parse_operation_definition();
    }
    const bool has_description = peek_description();
    const Token keyword = has_description ? lookahead() : token_;
    if (keyword.kind == TokenKind::kName) {
      const std::string_view value = keyword.raw;
      if (value == "schema") {
        return parse_schema_definition();
      }
      if (value == "scalar") {
        return parse_scalar_type_definition();
      }
      if (value == "type") {
        return parse_object_type_definition();
      }
      if (value == "interface") {
        return parse_interface_type_definition();
      }
      if (value == "union") {
        return parse_union_type_definition();
      }
      if (value == "enum") {
        return parse_enum_type_definition();
      }
      if (value == "input") {
        return parse_input_object_type_definition();
      }
      if (value == "directive") {
        return parse_directive_definition();
      }
      if (has_description) {
        lexer_.fail(token_.start,
                    "Unexpected description, descriptions are supported only on type definitions.");
      }
      if (value == "query" || value == "mutation" || value == "subscription") {
        return parse_operation_definition();
      }
      if (value == "fragment") {
        return parse_fragment_definition();
      }
      if (value == "extend") {
        return parse_type_system_extension();
      }
    }
    unexpected(keyword);
  }

  // OperationDefinition : SelectionSet | OperationType Name? VariableDefinitions? Directives? SelectionSet
  OperationDefinition parse_operation_definition() {
    OperationDefinition operation;
    operation.loc = token_.loc;
    if (peek(TokenKind::kBraceL)) {
      operation.selection_set = parse_selection_set();
      return operation;
    }
    operation.operation = parse_operation_type();
    if (peek(TokenKind::kName)) {
      operation.name = parse_name();
    }
    operation.variable_definitions = parse_variable_definitions();
    operation.directives = parse_directives(false);
    operation.selection_set = parse_selection_set();
    return operation;
  }

  // OperationType : one of query mutation subscription
  OperationType parse_operation_type() {
    const Token token = token_;
    expect(TokenKind::kName);
    if (token.raw == "query") {
      return OperationType::kQuery;
    }
    if (token.raw == "mutation") {
      return OperationType::kMutation;
    }
    if (token.raw == "subscription") {
      return OperationType::kSubscription;
    }
    unexpected(token);
  }

  // VariableDefinitions : ( VariableDefinition+ )
  std::vector<VariableDefinition> parse_variable_definitions() {
    std::vector<VariableDefinition> definitions;
    if (expect_optional(TokenKind::kParenL)) {
      do {
        definitions.push_back(parse_variable_definition());
      } while (!expect_optional(TokenKind::kParenR));
    }
    return definitions;
  }

  // VariableDefinition : Variable : Type DefaultValue? Directives[Const]?
  VariableDefinition parse_variable_definition() {
    VariableDefinition definition;
    definition.loc = token_.loc;
    definition.variable = parse_variable();
    expect(TokenKind::kColon);
    definition.type = parse_type_reference();
    if (expect_optional(TokenKind::kEquals)) {
      definition.default_value = parse_value_literal(true);
    }
    definition.directives = parse_directives(true);
    return definition;
  }

  // Variable : $ Name
  Variable parse_variable() {
    const Location loc = token_.loc;
    expect(TokenKind::kDollar);
    return Variable{loc, parse_name()};
  }

  // SelectionSet : { Selection+ }
  SelectionSet parse_selection_set() {
    DepthGuard depth(*this);
    SelectionSet set;
    set.loc = expect(TokenKind::kBraceL);
    do {
      set.selections.push_back(parse_selection());
    } while (!expect_optional(TokenKind::kBraceR));
    return set;
  }

  // Selection : Field | FragmentSpread | InlineFragment
  Selection parse_selection() {
    if (peek(TokenKind::kSpread)) {
      return parse_fragment();
    }
    return parse_field();
  }

  // Field : Alias? Name Arguments? Directives? SelectionSet?
  Field parse_field() {
    Field field;
    field.loc = token_.loc;
    Name name_or_alias = parse_name();
    if (expect_optional(TokenKind::kColon)) {
      field.alias = std::move(name_or_alias);
      field.name = parse_name();
    } else {
      field.name = std::move(name_or_alias);
    }
    field.arguments = parse_arguments(false);
    field.directives = parse_directives(false);
    if (peek(TokenKind::kBraceL)) {
      field.selection_set = parse_selection_set();
    }
    return field;
  }

  // Arguments[Const] : ( Argument[?Const]+ )
  std::vector<Argument> parse_arguments(bool is_const) {
    std::vector<Argument> arguments;
    if (expect_optional(TokenKind::kParenL)) {
      do {
        Argument argument;
        argument.loc = token_.loc;
        argument.name = parse_name();
        expect(TokenKind::kColon);
        argument.value = parse_value_literal(is_const);
        arguments.push_back(std::move(argument));
      } while (!expect_optional(TokenKind::kParenR));
    }
    return arguments;
  }

  // FragmentSpread : ... FragmentName Directives?
  // InlineFragment : ... TypeCondition? Directives? SelectionSet
  Selection parse_fragment() {
    const Location loc = token_.loc;
    expect(TokenKind::kSpread);
    const bool has_type_condition = expect_optional_keyword("on");
    if (!has_type_condition && peek(TokenKind::kName)) {
      FragmentSpread spread;
      spread.loc = loc;
      spread.name = parse_fragment_name();
      spread.directives = parse_directives(false);
      return spread;
    }
    InlineFragment fragment;
    fragment.loc = loc;
    if (has_type_condition) {
      fragment.type_condition = parse_named_type();
    }
    fragment.directives = parse_directives(false);
    fragment.selection_set = parse_selection_set();
    return fragment;
  }

  // FragmentDefinition : fragment FragmentName TypeCondition Directives? SelectionSet
  FragmentDefinition parse_fragment_definition() {
    FragmentDefinition fragment;
    fragment.loc = token_.loc;
    expect_keyword("fragment");
    fragment.name = parse_fragment_name();
    expect_keyword("on");
    fragment.type_condition = parse_named_type();
    fragment.directives = parse_directives(false);
    fragment.selection_set = parse_selection_set();
    return fragment;
  }

  // FragmentName : Name but not `on`
  Name parse_fragment_name() {
    if (peek_keyword("on")) {
      unexpected();
    }
    return parse_name();
  }

  // --- values --------------------------------------------------------------------------------

  // Value[Const] : [~Const] Variable | IntValue | FloatValue | StringValue | BooleanValue
  //              | NullValue | EnumValue | ListValue[?Const] | ObjectValue[?Const]
  Value parse_value_literal(bool is_const) {
    const Location loc = token_.loc;
    switch (token_.kind) {
      case TokenKind::kBracketL: {
        DepthGuard depth(*this);
        ListValue list{loc, {}};
        advance();
        while (!expect_optional(TokenKind::kBracketR)) {
          list.values.push_back(parse_value_literal(is_const));
        }
        return list;
      }
      case TokenKind::kBraceL: {
        DepthGuard depth(*this);
        ObjectValue object{loc, {}};
        advance();
        while (!expect_optional(TokenKind::kBraceR)) {
          ObjectField field;
          field.loc = token_.loc;
          field.name = parse_name();
          expect(TokenKind::kColon);
          field.value = parse_value_literal(is_const);
          object.fields.push_back(std::move(field));
        }
        return object;
      }
      case TokenKind::kInt: {
        IntValue value{loc, std::string(token_.raw)};
        advance();
        return value;
      }
      case TokenKind::kFloat: {
        FloatValue value{loc, std::string(token_.raw)};
        advance();
        return value;
      }
      case TokenKind::kString:
      case TokenKind::kBlockString:
        return parse_string_literal();
      case TokenKind::kName: {
        const std::string_view raw = token_.raw;
        Value value;
        if (raw == "true" || raw == "false") {
          value = BooleanValue{loc, raw == "true"};
        } else if (raw == "null") {
          value = NullValue{loc};
        } else {
          value = EnumValue{loc, std::string(raw)};
        }
        advance();
        return value;
      }
      case TokenKind::kDollar:
        if (is_const) {
          const Token dollar = token_;
          advance();
          if (token_.kind == TokenKind::kName) {
            lexer_.fail(dollar.start,
                        fmt::format("Unexpected variable \"${}\" in constant value.", token_.raw));
          }
          unexpected(dollar);
        }
        return parse_variable();
      default:
        unexpected();
    }
  }

  StringValue parse_string_literal() {
    StringValue value{token_.loc, std::move(token_.string_value),
                      token_.kind == TokenKind::kBlockString};
    advance();
    return value;
  }

  // Directives[Const] : Directive[?Const]+
  std::vector<Directive> parse_directives(bool is_const) {
    std::vector<Directive> directives;
    while (peek(TokenKind::kAt)) {
      Directive directive;
      directive.loc = token_.loc;
      advance();
      directive.name = parse_name();
      directive.arguments = parse_arguments(is_const);
      directives.push_back(std::move(directive));
    }
    return directives;
  }

  // Type : NamedType | ListType | NonNullType
  Type parse_type_reference() {
    const Location loc = token_.loc;
    Type type;
    if (expect_optional(TokenKind::kBracketL)) {
      DepthGuard depth(*this);
      Type inner = parse_type_reference();
      expect(TokenKind::kBracketR);
      type = ListType{loc, Box<Type>(std::move(inner))};
    } else {
      type = parse_named_type();
    }
    if (expect_optional(TokenKind::kBang)) {
      return NonNullType{loc, Box<Type>(std::move(type))};
    }
    return type;
  }

  NamedType parse_named_type() {
    const Location loc = token_.loc;
    return NamedType{loc, parse_name()};
  }

  // --- type system ---------------------------------------------------------------------------

  std::optional<StringValue> parse_description() {
    if (peek_description()) {
      return parse_string_literal();
    }
    return std::nullopt;
  }

  // SchemaDefinition : Description? schema Directives[Const]? { RootOperationTypeDefinition+ }
  SchemaDefinition parse_schema_definition() {
    SchemaDefinition schema;
    schema.loc = token_.loc;
    schema.description = parse_description();
    expect_keyword("schema");
    schema.directives = parse_directives(true);
    expect(TokenKind::kBraceL);
    do {
      schema.operation_types.push_back(parse_operation_type_definition());
    } while (!expect_optional(TokenKind::kBraceR));
    return schema;
  }

  // RootOperationTypeDefinition : OperationType : NamedType
  OperationTypeDefinition parse_operation_type_definition() {
    OperationTypeDefinition definition;
    definition.loc = token_.loc;
    definition.operation = parse_operation_type();
    expect(TokenKind::kColon);
    definition.type = parse_named_type();
    return definition;
  }

  std::vector<OperationTypeDefinition> parse_optional_operation_types() {
    std::vector<OperationTypeDefinition> types;
    if (expect_optional(TokenKind::kBraceL)) {
      do {
        types.push_back(parse_operation_type_definition());
      } while (!expect_optional(TokenKind::kBraceR));
    }
    return types;
  }

  // ScalarTypeDefinition : Description? scalar Name Directives[Const]?
  ScalarTypeDefinition parse_scalar_type_definition() {
    ScalarTypeDefinition definition;
    definition.loc = token_.loc;
    definition.description = parse_description();
    expect_keyword("scalar");
    definition.name = parse_name();
    definition.directives = parse_directives(true);
    return definition;
  }

  // ImplementsInterfaces : implements &? NamedType | ImplementsInterfaces & NamedType
  std::vector<NamedType> parse_implements_interfaces() {
    std::vector<NamedType> interfaces;
    if (expect_optional_keyword("implements")) {
      expect_optional(TokenKind::kAmp);
      do {
        interfaces.push_back(parse_named_type());
      } while (expect_optional(TokenKind::kAmp));
    }
    return interfaces;
  }

  // FieldsDefinition : { FieldDefinition+ }
  std::vector<FieldDefinition> parse_fields_definition() {
    std::vector<FieldDefinition> fields;
    if (expect_optional(TokenKind::kBraceL)) {
      do {
        fields.push_back(parse_field_definition());
      } while (!expect_optional(TokenKind::kBraceR));
    }
    return fields;
  }

  // FieldDefinition : Description? Name ArgumentsDefinition? : Type Directives[Const]?
  FieldDefinition parse_field_definition() {
    FieldDefinition field;
    field.loc = token_.loc;
    field.description = parse_description();
    field.name = parse_name();
    field.arguments = parse_argument_definitions();
    expect(TokenKind::kColon);
    field.type = parse_type_reference();
    field.directives = parse_directives(true);
    return field;
  }

  // ArgumentsDefinition : ( InputValueDefinition+ )
  std::vector<InputValueDefinition> parse_argument_definitions() {
    std::vector<InputValueDefinition> arguments;
    if (expect_optional(TokenKind::kParenL)) {
      do {
        arguments.push_back(parse_input_value_definition());
      } while (!expect_optional(TokenKind::kParenR));
    }
    return arguments;
  }

  // InputValueDefinition : Description? Name : Type DefaultValue? Directives[Const]?
  InputValueDefinition parse_input_value_definition() {
    InputValueDefinition definition;
    definition.loc = token_.loc;
    definition.description = parse_description();
    definition.name = parse_name();
    expect(TokenKind::kColon);
    definition.type = parse_type_reference();
    if (expect_optional(TokenKind::kEquals)) {
      definition.default_value = parse_value_literal(true);
    }
    definition.directives = parse_directives(true);
    return definition;
  }

  // ObjectTypeDefinition : Description? type Name ImplementsInterfaces? Directives[Const]? FieldsDefinition?
  ObjectTypeDefinition parse_object_type_definition() {
    ObjectTypeDefinition definition;
    definition.loc = token_.loc;
    definition.description = parse_description();
    expect_keyword("type");
    definition.name = parse_name();
    definition.interfaces = parse_implements_interfaces();
    definition.directives = parse_directives(true);
    definition.fields = parse_fields_definition();
    return definition;
  }

  // InterfaceTypeDefinition : Description? interface Name ImplementsInterfaces? Directives[Const]? FieldsDefinition?
  InterfaceTypeDefinition parse_interface_type_definition() {
    InterfaceTypeDefinition definition;
    definition.loc = token_.loc;
    definition.description = parse_description();
    expect_keyword("interface");
    definition.name = parse_name();
    definition.interfaces = parse_implements_interfaces();
    definition.directives = parse_directives(true);
    definition.fields = parse_fields_definition();
    return definition;
  }

  // UnionMemberTypes : = |? NamedType | UnionMemberTypes | NamedType
  std::vector<NamedType> parse_union_member_types() {
    std::vector<NamedType> types;
    if (expect_optional(TokenKind::kEquals)) {
      expect_optional(TokenKind::kPipe);
      do {
        types.push_back(parse_named_type());
      } while (expect_optional(TokenKind::kPipe));
    }
    return types;
  }

  // UnionTypeDefinition : Description? union Name Directives[Const]? UnionMemberTypes?
  UnionTypeDefinition parse_union_type_definition() {
    UnionTypeDefinition definition;
    definition.loc = token_.loc;
    definition.description = parse_description();
    expect_keyword("union");
    definition.name = parse_name();
    definition.directives = parse_directives(true);
    definition.types = parse_union_member_types();
    return definition;
  }

  // EnumValuesDefinition : { EnumValueDefinition+ }
  std::vector<EnumValueDefinition> parse_enum_values_definition() {
    std::vector<EnumValueDefinition> values;
    if (expect_optional(TokenKind::kBraceL)) {
      do {
        EnumValueDefinition value;
        value.loc = token_.loc;
        value.description = parse_description();
        if (peek_keyword("true") || peek_keyword("false") || peek_keyword("null")) {
          lexer_.fail(token_.start,
                      fmt::format("{} is reserved and cannot be used for an enum value.",
                                  token_description(token_)));
        }
        value.name = parse_name();
        value.directives = parse_directives(true);
        values.push_back(std::move(value));
      } while (!expect_optional(TokenKind::kBraceR));
    }
    return values;
  }

  // EnumTypeDefinition : Description? enum Name Directives[Const]? EnumValuesDefinition?
  EnumTypeDefinition parse_enum_type_definition() {
    EnumTypeDefinition definition;
    definition.loc = token_.loc;
    definition.description = parse_description();
    expect_keyword("enum");
    definition.name = parse_name();
    definition.directives = parse_directives(true);
    definition.values = parse_enum_values_definition();
    return definition;
  }

  // InputFieldsDefinition : { InputValueDefinition+ }
  std::vector<InputValueDefinition> parse_input_fields_definition() {
    std::vector<InputValueDefinition> fields;
    if (expect_optional(TokenKind::kBraceL)) {
      do {
        fields.push_back(parse_input_value_definition());
      } while (!expect_optional(TokenKind::kBraceR));
    }
    return fields;
  }

  // InputObjectTypeDefinition : Description? input Name Directives[Const]? InputFieldsDefinition?
  InputObjectTypeDefinition parse_input_object_type_definition() {
    InputObjectTypeDefinition definition;
    definition.loc = token_.loc;
    definition.description = parse_description();
    expect_keyword("input");
    definition.name = parse_name();
    definition.directives = parse_directives(true);
    definition.fields = parse_input_fields_definition();
    return definition;
  }

  // DirectiveDefinition : Description? directive @ Name ArgumentsDefinition? repeatable? on DirectiveLocations
  DirectiveDefinition parse_directive_definition() {
    DirectiveDefinition definition;
    definition.loc = token_.loc;
    definition.description = parse_description();
    expect_keyword("directive");
    expect(TokenKind::kAt);
    definition.name = parse_name();
    definition.arguments = parse_argument_definitions();
    definition.repeatable = expect_optional_keyword("repeatable");
    expect_keyword("on");
    expect_optional(TokenKind::kPipe);
    do {
      const Token start = token_;
      Name name = parse_name();
      bool known = false;
      for (std::string_view location : kDirectiveLocations) {
        known = known || location == name.value;
      }
      if (!known) {
        unexpected(start);
      }
      definition.locations.push_back(std::move(name));
    } while (expect_optional(TokenKind::kPipe));
    return definition;
  }

  // TypeSystemExtension : SchemaExtension | TypeExtension
  Definition parse_type_system_extension() {
    const Token keyword = lookahead();
    if (keyword.kind == TokenKind::kName) {
      const std::string_view value = keyword.raw;
      const Location loc = token_.loc;
      if (value == "schema") {
        advance();
        advance();
        SchemaExtension extension;
        extension.loc = loc;
        extension.directives = parse_directives(true);
        extension.operation_types = parse_optional_operation_types();
        if (extension.directives.empty() && extension.operation_types.empty()) {
          unexpected();
        }
        return extension;
      }
      if (value == "scalar") {
        advance();
        advance();
        ScalarTypeExtension extension;
        extension.loc = loc;
        extension.name = parse_name();
        extension.directives = parse_directives(true);
        if (extension.directives.empty()) {
          unexpected();
        }
        return extension;
      }
      if (value == "type" || value == "interface") {
        advance();
        advance();
        Name name = parse_name();
        auto interfaces = parse_implements_interfaces();
        auto directives = parse_directives(true);
        auto fields = parse_fields_definition();
        if (interfaces.empty() && directives.empty() && fields.empty()) {
          unexpected();
        }
        if (value == "type") {
          return ObjectTypeExtension{loc, std::move(name), std::move(interfaces),
                                     std::move(directives), std::move(fields)};
        }
        return InterfaceTypeExtension{loc, std::move(name), std::move(interfaces),
                                      std::move(directives), std::move(fields)};
      }
      if (value == "union") {
        advance();
        advance();
        UnionTypeExtension extension;
        extension.loc = loc;
        extension.name = parse_name();
        extension.directives = parse_directives(true);
        extension.types = parse_union_member_types();
        if (extension.directives.empty() && extension.types.empty()) {
          unexpected();
        }
        return extension;
      }
      if (value == "enum") {
        advance();
        advance();
        EnumTypeExtension extension;
        extension.loc = loc;
        extension.name = parse_name();
        extension.directives = parse_directives(true);
        extension.values = parse_enum_values_definition();
        if (extension.directives.empty() && extension.values.empty()) {
          unexpected();
        }
        return extension;
      }
      if (value == "input") {
        advance();
        advance();
        InputObjectTypeExtension extension;
        extension.loc = loc;
        extension.name = parse_name();
        extension.directives = parse_directives(true);
        extension.fields = parse_input_fields_definition();
        if (extension.directives.empty() && extension.fields.empty()) {
          unexpected();
        }
        return extension;
      }
    }
    unexpected(keyword);
  }

  Lexer lexer_;
  const ParseOptions& options_;
  Token token_;
  std::size_t token_count_ = 0;
  std::size_t depth_ = 0;
};

GraphQLError too_large(std::size_t limit) {
  GraphQLError error;
  error.message = fmt::format("Syntax Error: Document is larger than {} bytes. Parsing aborted.", limit);
  return error;
}

}  // namespace

Result<ast::Document, GraphQLError> parse(std::string_view source, const ParseOptions& options) {
  if (source.size() > options.max_document_bytes) {
    return unexpected(too_large(options.max_document_bytes));
  }
  try {
    Parser parser(source, options);
    return parser.parse_document();
  } catch (SyntaxErrorException& failure) {
    return unexpected(std::move(failure.error));
  }
}

Result<ast::Value, GraphQLError> parse_value(std::string_view source, const ParseOptions& options) {
  if (source.size() > options.max_document_bytes) {
    return unexpected(too_large(options.max_document_bytes));
  }
  try {
    Parser parser(source, options);
    return parser.parse_single_value();
  } catch (SyntaxErrorException& failure) {
    return unexpected(std::move(failure.error));
  }
}

}  // namespace cubeauth::graphql
