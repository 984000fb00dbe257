#include "graphql/execution/execute.hpp"

#include "common/logging.hpp"
#include "graphql/execution/serialize.hpp"
#include "graphql/execution/subscribe.hpp"
#include "graphql/execution/values.hpp"
#include "graphql/response/response_arena.hpp"
#include "graphql/schema/schema.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <unordered_map>
#include <vector>

namespace cubeauth::graphql {
namespace json = boost::json;
namespace asio = boost::asio;
namespace {

struct GroupedFields;

/// All fields of one response key in one selection (spec 6.3.2 CollectFields).
struct FieldGroup {
  const std::string* key = nullptr;
  std::vector<const ast::Field*> nodes;
  const FieldDefinition* definition = nullptr;  // looked up once; null for unknown fields
  bool typename_field = false;                  // __typename: answered by the executor
  // Filled by an ExecutionPlan only (then never changed): the sub-selection for each object
  // type the field's value may have, and the coerced arguments when they use no variables.
  std::vector<std::pair<const ObjectType*, const GroupedFields*>> planned_subfields;
  std::optional<json::object> planned_arguments;
};
/// Whether a group makes a key of the response (unknown fields are left out; validation
/// reports them).
bool makes_key(const FieldGroup& group) {
  return group.typename_field || group.definition != nullptr;
}

struct GroupedFields : std::vector<FieldGroup> {
  /// The response object of these fields, every key present (null) in order; built on first
  /// use (a plan builds it at once, so planned fields are never written). Copying it makes an
  /// object without boost::json's duplicate-key search per key.
  mutable std::optional<json::object> shape;
};

json::object make_shape(const GroupedFields& groups, const json::storage_ptr& storage) {
  json::object shape(storage);
  shape.reserve(groups.size());
  for (const FieldGroup& group : groups) {
    if (makes_key(group)) {
      shape.emplace(*group.key, nullptr);
    }
  }
  return shape;
}

/// An object or list value of the response. Null propagation (spec 6.4.4) walks these up.
struct Frame {
  Frame* parent = nullptr;
  const std::string* key = nullptr;  // position in the parent: a response key...
  std::size_t index = 0;             // ...or a list index
  json::value* slot = nullptr;       // where the value lives
  bool nullable = true;              // may the value at `slot` be null?
  bool dead = false;                 // nulled by an error below it
};

/// A place in the response: a field of an object frame or an item of a list frame.
struct Position {
  Frame* container = nullptr;
  const std::string* key = nullptr;
  std::size_t index = 0;
};

/// The field being completed, for messages and sub-selections.
struct FieldContext {
  const ObjectType* parent_type = nullptr;
  const FieldDefinition* definition = nullptr;
  const FieldGroup* group = nullptr;
};

/// A resolver that suspended; completed in the next wave.
struct Pending {
  asio::awaitable<FieldOutcome> work;
  FieldOutcome outcome;
  std::exception_ptr exception;
  FieldContext field;
  Position position;
  json::value* slot = nullptr;
};

const json::object kNoArguments;

bool uses_variables(const ast::Value& value) {
  if (std::holds_alternative<ast::Variable>(value)) {
    return true;
  }
  if (const auto* list = std::get_if<ast::ListValue>(&value)) {
    for (const ast::Value& item : list->values) {
      if (uses_variables(item)) {
        return true;
      }
    }
  }
  if (const auto* object = std::get_if<ast::ObjectValue>(&value)) {
    for (const ast::ObjectField& field : object->fields) {
      if (uses_variables(field.value)) {
        return true;
      }
    }
  }
  return false;
}

bool uses_variables(const std::vector<ast::Argument>& arguments) {
  for (const ast::Argument& argument : arguments) {
    if (uses_variables(argument.value)) {
      return true;
    }
  }
  return false;
}

/// Storage whose elements never move. The first few live inside the executor itself, so small
/// requests allocate nothing here; the rest go to blocks that double in size (an introspection
/// answer stores thousands of elements: a few allocations instead of one per deque chunk).
template <class T, std::size_t kInline = 8>
class StableStore {
 public:
  StableStore() = default;
  StableStore(const StableStore&) = delete;
  StableStore& operator=(const StableStore&) = delete;
  ~StableStore() {
    for (std::size_t i = 0; i < std::min(used_, kInline); ++i) {
      std::launder(reinterpret_cast<T*>(inline_[i].bytes))->~T();
    }
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
      const std::size_t count = b + 1 == blocks_.size() ? used_in_last_ : block_size(b);
      T* items = std::launder(reinterpret_cast<T*>(blocks_[b].get()));
      for (std::size_t i = 0; i < count; ++i) {
        items[i].~T();
      }
    }
  }

  template <class... Args>
  T& emplace(Args&&... args) {
    if (used_ < kInline) {
      T* item = ::new (static_cast<void*>(inline_[used_].bytes)) T(std::forward<Args>(args)...);
      ++used_;
      return *item;
    }
    if (blocks_.empty() || used_in_last_ == block_size(blocks_.size() - 1)) {
      blocks_.push_back(std::make_unique_for_overwrite<Raw[]>(block_size(blocks_.size())));
      used_in_last_ = 0;
    }
    T* item = ::new (static_cast<void*>(&blocks_.back()[used_in_last_])) T(std::forward<Args>(args)...);
    ++used_in_last_;  // only once constructed: a throwing constructor leaves nothing to destroy
    return *item;
  }

 private:
  struct Raw {
    alignas(T) std::byte bytes[sizeof(T)];
  };
  static std::size_t block_size(std::size_t index) { return std::size_t{32} << std::min<std::size_t>(index, 10); }

  // Left uninitialized: constructing and destroying an executor touches only what it used.
  std::array<Raw, kInline> inline_;
  std::size_t used_ = 0;
  std::vector<std::unique_ptr<Raw[]>> blocks_;
  std::size_t used_in_last_ = 0;
};

const json::value kNull;

GraphQLError internal_error() {
  GraphQLError error;
  error.message = "Internal server error";
  error.extensions["code"] = "INTERNAL_SERVER_ERROR";
  return error;
}

GraphQLError from_field_error(FieldError&& failure) {
  GraphQLError error;
  error.message = std::move(failure.message);
  if (!failure.code.empty()) {
    error.extensions["code"] = failure.code;
  }
  for (auto& entry : failure.extensions) {
    error.extensions[entry.key()] = std::move(entry.value());
  }
  return error;
}

/// Spec 6.3.2 CollectFields and 6.4.3 CollectSubfields for one document, with the
/// variables that @skip/@include may read (none when planning: see plannable()).
class FieldCollector {
 public:
  FieldCollector(const Schema& schema, const ast::Document& document, const json::object& variables)
      : schema_(schema), variables_(variables) {
    for (const ast::Definition& definition : document.definitions) {
      if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
        fragments_.emplace(fragment->name.value, fragment);
      }
    }
  }

  void collect_fields(const ObjectType* type, const ast::SelectionSet& selection_set,
                      GroupedFields& out) {
    std::vector<const std::string*> visited;
    collect_fields(type, selection_set, visited, out);
  }

  void collect_subfields(const ObjectType* type, const FieldGroup& group, GroupedFields& out) {
    std::vector<const std::string*> visited;
    for (const ast::Field* node : group.nodes) {
      if (node->selection_set) {
        collect_fields(type, *node->selection_set, visited, out);
      }
    }
  }

 private:
  bool directive_flag(const ast::Directive& directive, bool& flag) const {
    for (const ast::Argument& argument : directive.arguments) {
      if (argument.name.value != "if") {
        continue;
      }
      if (const auto* literal = std::get_if<ast::BooleanValue>(&argument.value)) {
        flag = literal->value;
        return true;
      }
      if (const auto* variable = std::get_if<ast::Variable>(&argument.value)) {
        auto it = variables_.find(variable->name.value);
        if (it != variables_.end() && it->value().is_bool()) {
          flag = it->value().get_bool();
          return true;
        }
      }
    }
    return false;
  }

  bool should_include(const std::vector<ast::Directive>& directives) const {
    for (const ast::Directive& directive : directives) {
      bool flag = false;
      if (directive.name.value == "skip" && directive_flag(directive, flag) && flag) {
        return false;
      }
      if (directive.name.value == "include" && directive_flag(directive, flag) && !flag) {
        return false;
      }
    }
    return true;
  }

  bool fragment_applies(const ObjectType* type, const std::string& condition) const {
    const NamedType* conditional = schema_.type(condition);
    if (conditional == nullptr) {
      return false;
    }
    if (conditional == type) {
      return true;
    }
    return conditional->is_abstract_type() && schema_.is_possible_type(conditional, type);
  }

  void collect_fields(const ObjectType* type, const ast::SelectionSet& selection_set,
                      std::vector<const std::string*>& visited, GroupedFields& out) {
    for (const ast::Selection& selection : selection_set.selections) {
      if (const auto* field = std::get_if<ast::Field>(&selection)) {
        if (!should_include(field->directives)) {
          continue;
        }
        const std::string& key = field->response_key();
        FieldGroup* group = nullptr;
        for (FieldGroup& candidate : out) {
          if (*candidate.key == key) {
            group = &candidate;
            break;
          }
        }
        if (group == nullptr) {
          group = &out.emplace_back();
          group->key = &key;
          group->definition = schema_.field_definition(type, field->name.value);
          group->typename_field = field->name.value == "__typename";
        }
        group->nodes.push_back(field);
      } else if (const auto* spread = std::get_if<ast::FragmentSpread>(&selection)) {
        if (!should_include(spread->directives)) {
          continue;
        }
        bool seen = false;
        for (const std::string* name : visited) {
          seen = seen || *name == spread->name.value;
        }
        if (seen) {
          continue;
        }
        visited.push_back(&spread->name.value);
        auto it = fragments_.find(spread->name.value);
        if (it == fragments_.end() ||
            !fragment_applies(type, it->second->type_condition.name.value)) {
          continue;
        }
        collect_fields(type, it->second->selection_set, visited, out);
      } else {
        const auto& inline_fragment = std::get<ast::InlineFragment>(selection);
        if (!should_include(inline_fragment.directives)) {
          continue;
        }
        if (inline_fragment.type_condition &&
            !fragment_applies(type, inline_fragment.type_condition->name.value)) {
          continue;
        }
        collect_fields(type, inline_fragment.selection_set, visited, out);
      }
    }
  }

  const Schema& schema_;
  const json::object& variables_;
  std::unordered_map<std::string_view, const ast::FragmentDefinition*> fragments_;
};

}  // namespace

/// Immutable once built: shared by concurrent executions of its document.
class ExecutionPlan {
 public:
  ExecutionPlan(const Schema& schema, const ast::Document& document)
      : schema_(schema), collector_(schema, document, kNoArguments) {
    for (const ast::Definition& definition : document.definitions) {
      const auto* operation = std::get_if<ast::OperationDefinition>(&definition);
      const ObjectType* root_type =
          operation != nullptr ? schema.root_type(operation->operation) : nullptr;
      if (root_type == nullptr) {
        continue;  // the executor reports it
      }
      GroupedFields& root = groups_.emplace_back();
      collector_.collect_fields(root_type, operation->selection_set, root);
      plan(root);
      roots_.emplace_back(operation, &root);
    }
  }

  const GroupedFields* root(const ast::OperationDefinition* operation) const {
    for (const auto& [planned_operation, groups] : roots_) {
      if (planned_operation == operation) {
        return groups;
      }
    }
    return nullptr;
  }

 private:
  // An abstract field is planned for each of its possible types, so a plan could outgrow its
  // document (a large union in a deep document). Past this many groups (about the default
  // limit on fields per operation; a few hundred KB at most, kept per cached document) the
  // rest is left to the executor.
  static constexpr std::size_t kMaxGroups = 2048;

  void plan(GroupedFields& groups) {
    groups.shape.emplace(make_shape(groups, json::storage_ptr()));
    for (FieldGroup& group : groups) {
      if (group.definition == nullptr || group.typename_field) {
        continue;
      }
      plan_arguments(group);
      const NamedType* named = group.definition->type->named_type();
      if (!named->is_composite_type()) {
        continue;
      }
      if (const ObjectType* object = named->as_object()) {
        plan_subfields(object, group);
      } else {
        for (const ObjectType* possible : schema_.possible_types(named)) {
          plan_subfields(possible, group);
        }
      }
    }
  }

  void plan_subfields(const ObjectType* type, FieldGroup& group) {
    if (planned_groups_ >= kMaxGroups) {
      return;
    }
    GroupedFields& subfields = groups_.emplace_back();
    collector_.collect_subfields(type, group, subfields);
    planned_groups_ += subfields.size() + 1;
    group.planned_subfields.emplace_back(type, &subfields);
    plan(subfields);
  }

  void plan_arguments(FieldGroup& group) {
    const ast::Field& node = *group.nodes[0];
    if (group.definition->arguments.empty() || uses_variables(node.arguments)) {
      return;
    }
    auto coerced =
        coerce_argument_values(group.definition->arguments, node.arguments, kNoArguments, node.loc);
    if (coerced) {
      group.planned_arguments.emplace(std::move(coerced).value());
    }  // else the executor reports the error where the field is
  }

  const Schema& schema_;
  FieldCollector collector_;
  std::deque<GroupedFields> groups_;  // never moves: groups point into it
  std::vector<std::pair<const ast::OperationDefinition*, const GroupedFields*>> roots_;
  std::size_t planned_groups_ = 0;
};

namespace {

class Executor {
 public:
  explicit Executor(const ExecutionArgs& args)
      : schema_(args.schema),
        document_(args.document),
        args_(args),
        context_(args.context),
        root_value_(args.root_value) {}

  /// Runs everything that does not wait; true when the response is complete.
  bool start() {
    const ast::OperationDefinition* operation = find_operation();
    if (operation == nullptr) {
      return true;
    }
    root_type_ = schema_.root_type(operation->operation);
    if (root_type_ == nullptr) {
      response_.errors.push_back(GraphQLError::at(
          fmt::format("Schema is not configured to execute {} operation.",
                      ast::operation_type_name(operation->operation)),
          operation->loc));
      return true;
    }
    auto variables = coerce_variable_values(schema_, *operation, args_.variables);
    if (!variables) {
      response_.errors = std::move(variables).error();
      return true;
    }
    variables_ = std::move(variables).value();
    serial_ = operation->operation == ast::OperationType::kMutation;
    root_groups_ = &root_fields(*operation);

    // The response lives in one arena: many small objects and strings, all freed together.
    // The storage_ptr does not own it (Response::data's pointer does): no reference count per
    // value, and destroying the data is free instead of a walk over every value. The root
    // value lives in the arena too, so that pointer needs no allocation of its own.
    arena_ = make_response_arena();
    data_ = ::new (arena_->allocate(sizeof(json::value), alignof(json::value)))
        json::value(json::storage_ptr(arena_.get()));
    data_->emplace_object() = shape_of(*root_groups_);
    root_frame_.slot = data_;
    run_root_fields();
    return pending_.empty();
  }

  /// Waits for suspended resolvers, wave after wave, and completes their values.
  asio::awaitable<void> finish() {
    while (true) {
      while (!pending_.empty()) {
        std::vector<Pending> wave;
        wave.swap(pending_);
        co_await run_wave(wave);
        for (Pending& pending : wave) {
          complete_pending(pending);
        }
      }
      if (root_frame_.dead || next_root_ >= root_groups_->size()) {
        break;
      }
      run_root_fields();
    }
  }

  Response take() {
    if (started_execution_) {
      response_.data = std::shared_ptr<const json::value>(arena_, data_);
    }
    response_.errors.insert(response_.errors.end(), std::make_move_iterator(errors_.begin()),
                            std::make_move_iterator(errors_.end()));
    return std::move(response_);
  }

  /// Spec 6.2.3.1 CreateSourceEventStream (graphql-js executeSubscription).
  asio::awaitable<SourceEventStream> source_stream() {
    SourceEventStream out;
    auto request_failure = [&](std::vector<GraphQLError> errors) {
      out.response.errors = std::move(errors);
      return std::move(out);
    };
    const ast::OperationDefinition* operation = find_operation();
    if (operation == nullptr) {
      co_return request_failure(std::move(response_.errors));
    }
    root_type_ = schema_.subscription_type();
    if (root_type_ == nullptr) {
      co_return request_failure({GraphQLError::at(
          "Schema is not configured to execute subscription operation.", operation->loc)});
    }
    auto variables = coerce_variable_values(schema_, *operation, args_.variables);
    if (!variables) {
      co_return request_failure(std::move(variables).error());
    }
    variables_ = std::move(variables).value();
    root_groups_ = &root_fields(*operation);
    if (root_groups_->empty()) {
      // Validation counts root fields without variable values; graphql-js 16 throws a
      // TypeError here, later graphql-js and the spec draft forbid the directives there.
      std::string subject = operation->name ? "Subscription \"" + operation->name->value + "\""
                                            : std::string("Anonymous Subscription");
      co_return request_failure({GraphQLError::at(
          subject + " must not leave out its top level field with @skip or @include.",
          operation->loc)});
    }

    // From here on, errors are the root field's: {data: null, errors: [located, with path]}.
    const FieldGroup& group = root_groups_->front();
    const ast::Field& node = *group.nodes.front();
    auto field_failure = [&](GraphQLError error, bool locate) {
      if (locate || error.locations.empty()) {
        error.locations.clear();
        for (const ast::Field* field : group.nodes) {
          error.locations.push_back(field->loc);
        }
      }
      error.path = {*group.key};
      out.response.data = std::make_shared<const json::value>(nullptr);
      out.response.errors.push_back(std::move(error));
      return std::move(out);
    };
    const FieldDefinition* definition = group.definition;
    if (definition == nullptr) {
      co_return field_failure(
          GraphQLError{
              fmt::format("The subscription field \"{}\" is not defined.", node.name.value),
              {},
              {},
              {}},
          true);
    }
    auto arguments =
        coerce_argument_values(definition->arguments, node.arguments, variables_, node.loc);
    if (!arguments) {
      co_return field_failure(std::move(arguments).error(), false);
    }
    const Subscriber* subscriber = schema_.subscriber(*definition);
    if (subscriber == nullptr) {
      log::error("graphql: no subscriber is bound to {}.{}", root_type_->name(), definition->name);
      co_return field_failure(internal_error(), true);
    }
    const json::storage_ptr storage;
    const ResolveParams params{root_value_, *arguments, context_,   *definition, *root_type_,
                               node,        schema_,    variables_, storage};
    std::optional<SubscribeOutcome> outcome;
    try {
      auto pending = (*subscriber)(params);
      // Named, not a temporary in the co_await's full expression: g++ 12 destroys those twice.
      SubscribeOutcome result = co_await std::move(pending);
      outcome.emplace(std::move(result));
    } catch (const std::exception& exception) {
      log::error("graphql: subscriber {}.{} threw: {}", root_type_->name(), definition->name,
                 exception.what());
    } catch (...) {
      log::error("graphql: subscriber {}.{} threw a non-standard exception", root_type_->name(),
                 definition->name);
    }
    if (!outcome) {
      co_return field_failure(internal_error(), true);
    }
    if (!*outcome) {
      co_return field_failure(from_field_error(std::move(*outcome).error()), true);
    }
    if (**outcome == nullptr) {
      log::error("graphql: subscriber {}.{} returned no stream", root_type_->name(),
                 definition->name);
      co_return field_failure(internal_error(), true);
    }
    out.stream = std::move(**outcome);
    co_return out;
  }

 private:
  const ast::OperationDefinition* find_operation() {
    auto operation = get_operation(document_, args_.operation_name);
    if (!operation) {
      response_.errors.push_back(std::move(operation).error());
      return nullptr;
    }
    return *operation;
  }

  // Root fields; for a mutation, stops after a field that suspended (spec 6.2.2: serial).
  void run_root_fields() {
    started_execution_ = true;
    json::object& out = data_->get_object();
    while (next_root_ < root_groups_->size() && !root_frame_.dead) {
      const FieldGroup& group = (*root_groups_)[next_root_++];
      if (!makes_key(group)) {
        continue;
      }
      json::value& slot = (out.begin() + static_cast<std::ptrdiff_t>(next_root_key_++))->value();
      execute_field(root_type_, root_value_, group, &root_frame_, slot);
      if (serial_ && !pending_.empty()) {
        return;
      }
    }
  }

  // --- field collection (spec 6.3.2) ---------------------------------------------------------

  FieldCollector& collector() {
    if (!collector_) {
      collector_.emplace(schema_, document_, variables_);
    }
    return *collector_;
  }

  const GroupedFields& root_fields(const ast::OperationDefinition& operation) {
    if (args_.plan != nullptr) {
      if (const GroupedFields* planned = args_.plan->root(&operation)) {
        return *planned;
      }
    }
    collector().collect_fields(root_type_, operation.selection_set, own_root_groups_);
    return own_root_groups_;
  }

  // Spec 6.4.3 CollectSubfields: planned, or memoized for single-node fields (lists of objects
  // repeat it).
  const GroupedFields& collect_subfields(const ObjectType* type, const FieldGroup& group) {
    for (const auto& [planned_type, planned] : group.planned_subfields) {
      if (planned_type == type) {
        return *planned;
      }
    }
    GroupedFields* out = nullptr;
    if (group.nodes.size() == 1) {
      auto [it, inserted] = subfield_cache_.try_emplace({group.nodes[0], type});
      if (!inserted) {
        return it->second;
      }
      out = &it->second;
    } else {
      out = &subfield_storage_.emplace();
    }
    collector().collect_subfields(type, group, *out);
    return *out;
  }

  const json::object& shape_of(const GroupedFields& groups) {
    if (!groups.shape) {
      groups.shape.emplace(make_shape(groups, data_->storage()));
    }
    return *groups.shape;
  }

  // --- execution (spec 6.4) ------------------------------------------------------------------

  // `out` is a copy of the groups' shape: the slot of each field is already there, in order.
  void execute_fields(const ObjectType* type, const json::value& source,
                      const GroupedFields& groups, Frame* frame, json::object& out) {
    auto entry = out.begin();
    for (const FieldGroup& group : groups) {
      if (!makes_key(group)) {
        continue;
      }
      execute_field(type, source, group, frame, (entry++)->value());
      if (frame->dead) {
        return;  // a non-null error nulled this object; graphql-js stops here too
      }
    }
  }

  // Spec 6.4.1 ExecuteField.
  // `slot` is the field's (null) place in its object.
  void execute_field(const ObjectType* type, const json::value& source, const FieldGroup& group,
                     Frame* frame, json::value& slot) {
    if (group.typename_field) {
      slot.emplace_string().assign(type->name());
      return;
    }
    const ast::Field& node = *group.nodes[0];
    const FieldDefinition* definition = group.definition;
    const Position position{frame, group.key, 0};
    const FieldContext field{type, definition, &group};

    if (definition->write_value != nullptr) {
      // Introspection fields: written in place, no resolver call.
      if (definition->type->is_leaf_type()) {
        definition->write_value(source, slot);  // already serialized
        if (slot.is_null() && definition->type->is_non_null()) {
          complete(definition->type, field, kNull, nullptr, position, slot);
        }
        return;
      }
      json::value& kept = owned_values_.emplace(data_->storage());
      definition->write_value(source, kept);
      complete(definition->type, field, kept, nullptr, position, slot);
      return;
    }

    const json::object* arguments = &kNoArguments;
    if (group.planned_arguments) {
      arguments = &*group.planned_arguments;
    } else if (!definition->arguments.empty()) {
      // Arguments written without variables coerce the same way every time: once per node
      // (introspection asks `fields(includeDeprecated: true)` for every type).
      auto [memo, first] = literal_arguments_.try_emplace(&node, nullptr);
      if (memo->second != nullptr) {
        arguments = memo->second;
      } else {
        auto coerced = coerce_argument_values(definition->arguments, node.arguments, variables_,
                                              node.loc);
        if (!coerced) {
          raise(field, position, definition->type, std::move(coerced).error(), slot, false);
          return;
        }
        arguments = &argument_storage_.emplace(std::move(coerced).value());
        if (first && !uses_variables(node.arguments)) {
          memo->second = arguments;
        }
      }
    }

    if (!definition->resolver) {
      const json::value* value = nullptr;
      if (source.is_object()) {
        value = source.get_object().if_contains(definition->name);
      }
      complete(definition->type, field, value != nullptr ? *value : kNull, nullptr, position, slot);
      return;
    }

    const ResolveParams& params = params_storage_.emplace(ResolveParams{
        source, *arguments, context_, *definition, *type, node, schema_, variables_,
        data_->storage()});
    ResolverResult result;
    try {
      result = (*definition->resolver)(params);
    } catch (const std::exception& exception) {
      log::error("graphql: resolver {}.{} threw: {}", type->name(), definition->name,
                 exception.what());
      raise(field, position, definition->type, internal_error(), slot);
      return;
    } catch (...) {
      log::error("graphql: resolver {}.{} threw a non-standard exception", type->name(),
                 definition->name);
      raise(field, position, definition->type, internal_error(), slot);
      return;
    }
    if (!result.is_ready()) {
      pending_.push_back(Pending{std::move(result.pending()), {}, nullptr, field, position, &slot});
      return;
    }
    complete_outcome(field, position, std::move(result.ready()), slot);
  }

  void complete_outcome(const FieldContext& field, const Position& position, FieldOutcome&& outcome,
                        json::value& slot) {
    const Type* type = field.definition->type;
    if (!outcome) {
      raise(field, position, type, from_field_error(std::move(outcome).error()), slot);
      return;
    }
    if (type->is_leaf_type()) {
      complete(type, field, *outcome, &*outcome, position, slot);
      return;
    }
    // Children may suspend and read their parent later: keep the value where it cannot move.
    const json::value& kept = owned_values_.emplace(std::move(*outcome));
    complete(type, field, kept, nullptr, position, slot);
  }

  void complete_pending(Pending& pending) {
    if (is_dead(pending.position.container)) {
      return;  // an error elsewhere already nulled this part of the response
    }
    if (pending.exception) {
      try {
        std::rethrow_exception(pending.exception);
      } catch (const std::exception& exception) {
        log::error("graphql: resolver {}.{} failed: {}", pending.field.parent_type->name(),
                   pending.field.definition->name, exception.what());
      } catch (...) {
        log::error("graphql: resolver {}.{} failed", pending.field.parent_type->name(),
                   pending.field.definition->name);
      }
      raise(pending.field, pending.position, pending.field.definition->type, internal_error(),
            *pending.slot);
      return;
    }
    complete_outcome(pending.field, pending.position, std::move(pending.outcome), *pending.slot);
  }

  // Spec 6.4.3 CompleteValue.
  // `owned`, when set, is `value` itself and may be moved from (a resolver's fresh result):
  // leaves then move into the response instead of being copied.
  void complete(const Type* type, const FieldContext& field, const json::value& value,
                json::value* owned, const Position& position, json::value& slot) {
    if (value.is_null()) {
      if (type->is_non_null()) {
        raise(field, position, type,
              GraphQLError{fmt::format("Cannot return null for non-nullable field {}.{}.",
                                       field.parent_type->name(), field.definition->name),
                           {}, {}, {}},
              slot);
      }
      return;  // slot is already null
    }
    const Type* inner = type->nullable();
    if (inner->is_list()) {
      if (!value.is_array()) {
        raise(field, position, type,
              GraphQLError{fmt::format("Expected Iterable, but did not find one for field "
                                       "\"{}.{}\".",
                                       field.parent_type->name(), field.definition->name),
                           {}, {}, {}},
              slot);
        return;
      }
      const json::array& items = value.get_array();
      json::array* owned_items = owned != nullptr ? &owned->get_array() : nullptr;
      json::array& out = slot.emplace_array();
      out.resize(items.size());
      Frame* frame = new_frame(position, &slot, !type->is_non_null());
      const Type* item_type = inner->of_type();
      for (std::size_t i = 0; i < items.size(); ++i) {
        complete(item_type, field, items[i], owned_items != nullptr ? &(*owned_items)[i] : nullptr,
                 Position{frame, nullptr, i}, out[i]);
        if (frame->dead) {
          return;
        }
      }
      return;
    }
    const NamedType* named = inner->named_type();
    if (inner->is_leaf_type()) {
      if (is_serialized_leaf(*named, value)) {
        if (owned != nullptr) {
          slot = std::move(*owned);  // no copy when the resolver used the response's storage
        } else {
          slot = value;
        }
        return;
      }
      auto serialized = serialize_leaf(*named, value);
      if (!serialized) {
        raise(field, position, type, GraphQLError{std::move(serialized).error(), {}, {}, {}}, slot);
        return;
      }
      slot = std::move(*serialized);
      return;
    }
    const ObjectType* object = named->as_object();
    if (object == nullptr) {
      auto resolved = resolve_abstract_type(named, field, value);
      if (!resolved) {
        raise(field, position, type, GraphQLError{std::move(resolved).error(), {}, {}, {}}, slot);
        return;
      }
      object = *resolved;
    }
    const GroupedFields& groups = collect_subfields(object, *field.group);
    json::object& out = slot.emplace_object();
    out = shape_of(groups);
    Frame* frame = new_frame(position, &slot, !type->is_non_null());
    execute_fields(object, value, groups, frame, out);
  }

  // graphql-js defaultTypeResolver: the value's "__typename" names its object type.
  Result<const ObjectType*, std::string> resolve_abstract_type(const NamedType* abstract_type,
                                                               const FieldContext& field,
                                                               const json::value& value) {
    const json::value* name = value.is_object() ? value.get_object().if_contains("__typename")
                                                : nullptr;
    if (name == nullptr || !name->is_string()) {
      return unexpected(fmt::format(
          "Abstract type \"{}\" must resolve to an Object type at runtime for field \"{}.{}\". "
          "Either the \"{}\" type should provide a \"resolveType\" function or each possible type "
          "should provide an \"isTypeOf\" function.",
          abstract_type->name(), field.parent_type->name(), field.definition->name,
          abstract_type->name()));
    }
    const NamedType* runtime = schema_.type(name->get_string());
    if (runtime == nullptr) {
      return unexpected(fmt::format(
          "Abstract type \"{}\" was resolved to a type \"{}\" that does not exist inside the "
          "schema.",
          abstract_type->name(), std::string_view(name->get_string())));
    }
    if (runtime->as_object() == nullptr) {
      return unexpected(fmt::format(
          "Abstract type \"{}\" must resolve to an Object type at runtime for field \"{}.{}\" "
          "with value {}, received \"{}\".",
          abstract_type->name(), field.parent_type->name(), field.definition->name,
          inspect(value), runtime->name()));
    }
    if (!schema_.is_possible_type(abstract_type, runtime->as_object())) {
      return unexpected(fmt::format("Runtime Object type \"{}\" is not a possible type for \"{}\".",
                                    runtime->name(), abstract_type->name()));
    }
    return runtime->as_object();
  }

  // --- errors and null propagation (spec 6.4.4) ------------------------------------------------

  Frame* new_frame(const Position& position, json::value* slot, bool nullable) {
    Frame& frame = frames_.emplace();
    frame.parent = position.container;
    frame.key = position.key;
    frame.index = position.index;
    frame.slot = slot;
    frame.nullable = nullable;
    return &frame;
  }

  static bool is_dead(const Frame* frame) {
    for (; frame != nullptr; frame = frame->parent) {
      if (frame->dead) {
        return true;
      }
    }
    return false;
  }

  std::vector<PathSegment> path_of(const Position& position) const {
    std::vector<PathSegment> path;
    auto push = [&](const std::string* key, std::size_t index) {
      if (key != nullptr) {
        path.emplace_back(*key);
      } else {
        path.emplace_back(index);
      }
    };
    push(position.key, position.index);
    for (const Frame* frame = position.container; frame->parent != nullptr; frame = frame->parent) {
      push(frame->key, frame->index);
    }
    std::reverse(path.begin(), path.end());
    return path;
  }

  /// Records a field error at `position` and nulls the nearest nullable place (graphql-js
  /// handleFieldError). `locate` adds the field's locations when the error has none.
  void raise(const FieldContext& field, const Position& position, const Type* type,
             GraphQLError error, json::value& slot, bool locate = true) {
    if (locate || error.locations.empty()) {
      error.locations.clear();
      for (const ast::Field* node : field.group->nodes) {
        error.locations.push_back(node->loc);
      }
    }
    error.path = path_of(position);
    errors_.push_back(std::move(error));
    if (!type->is_non_null()) {
      slot = nullptr;
      return;
    }
    null_frame(position.container);
  }

  void null_frame(Frame* frame) {
    while (true) {
      frame->dead = true;
      if (frame->nullable) {
        *frame->slot = nullptr;
        return;
      }
      frame = frame->parent;
    }
  }

  // --- waves of suspended resolvers ------------------------------------------------------------

  static asio::awaitable<void> run_wave(std::vector<Pending>& wave) {
    if (wave.size() == 1) {
      try {
        wave[0].outcome = co_await std::move(wave[0].work);
      } catch (...) {
        wave[0].exception = std::current_exception();
      }
      co_return;
    }
    auto executor = co_await asio::this_coro::executor;
    using Operation = decltype(asio::co_spawn(executor, std::declval<asio::awaitable<FieldOutcome>>(),
                                              asio::deferred));
    std::vector<Operation> operations;
    operations.reserve(wave.size());
    for (Pending& pending : wave) {
      operations.push_back(asio::co_spawn(executor, std::move(pending.work), asio::deferred));
    }
    auto [order, exceptions, outcomes] =
        co_await asio::experimental::make_parallel_group(std::move(operations))
            .async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
    for (std::size_t i = 0; i < wave.size(); ++i) {
      wave[i].exception = exceptions[i];
      if (!exceptions[i]) {
        wave[i].outcome = std::move(outcomes[i]);
      }
    }
  }

  const Schema& schema_;
  const ast::Document& document_;
  const ExecutionArgs& args_;
  RequestContext& context_;
  const json::value& root_value_;

  Response response_;
  std::vector<GraphQLError> errors_;
  json::object variables_;
  std::optional<FieldCollector> collector_;  // made on first use: a plan may make it unneeded
  const ObjectType* root_type_ = nullptr;
  bool serial_ = false;
  bool started_execution_ = false;
  const GroupedFields* root_groups_ = nullptr;  // planned, or own_root_groups_
  GroupedFields own_root_groups_;
  std::size_t next_root_ = 0;
  std::size_t next_root_key_ = 0;
  std::shared_ptr<json::monotonic_resource> arena_;  // before everything that may use it
  json::value* data_ = nullptr;                      // in the arena
  Frame root_frame_;

  struct CacheKey {
    const ast::Field* node;
    const ObjectType* type;
    bool operator==(const CacheKey&) const = default;
  };
  struct CacheKeyHash {
    std::size_t operator()(const CacheKey& key) const {
      return std::hash<const void*>{}(key.node) * 31 + std::hash<const void*>{}(key.type);
    }
  };
  std::unordered_map<CacheKey, GroupedFields, CacheKeyHash> subfield_cache_;
  StableStore<GroupedFields> subfield_storage_;
  StableStore<Frame> frames_;
  StableStore<json::object> argument_storage_;
  std::unordered_map<const ast::Field*, const json::object*> literal_arguments_;
  StableStore<ResolveParams> params_storage_;
  StableStore<json::value> owned_values_;
  std::vector<Pending> pending_;
};

bool skip_or_include_reads_a_variable(const std::vector<ast::Directive>& directives) {
  for (const ast::Directive& directive : directives) {
    if (directive.name.value != "skip" && directive.name.value != "include") {
      continue;
    }
    for (const ast::Argument& argument : directive.arguments) {
      if (uses_variables(argument.value)) {
        return true;
      }
    }
  }
  return false;
}

bool skip_or_include_reads_a_variable(const ast::SelectionSet& selection_set) {
  for (const ast::Selection& selection : selection_set.selections) {
    if (const auto* field = std::get_if<ast::Field>(&selection)) {
      if (skip_or_include_reads_a_variable(field->directives) ||
          (field->selection_set && skip_or_include_reads_a_variable(*field->selection_set))) {
        return true;
      }
    } else if (const auto* spread = std::get_if<ast::FragmentSpread>(&selection)) {
      if (skip_or_include_reads_a_variable(spread->directives)) {
        return true;
      }
    } else {
      const auto& inline_fragment = std::get<ast::InlineFragment>(selection);
      if (skip_or_include_reads_a_variable(inline_fragment.directives) ||
          skip_or_include_reads_a_variable(inline_fragment.selection_set)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

std::shared_ptr<const ExecutionPlan> plan_execution(const Schema& schema,
                                                    const ast::Document& document) {
  for (const ast::Definition& definition : document.definitions) {
    const ast::SelectionSet* selection_set = nullptr;
    if (const auto* operation = std::get_if<ast::OperationDefinition>(&definition)) {
      selection_set = &operation->selection_set;
    } else if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
      selection_set = &fragment->selection_set;
    }
    if (selection_set != nullptr && skip_or_include_reads_a_variable(*selection_set)) {
      return nullptr;
    }
  }
  return std::make_shared<const ExecutionPlan>(schema, document);
}

asio::awaitable<Response> execute(const ExecutionArgs& args) {
  Executor executor(args);
  if (!executor.start()) {
    co_await executor.finish();
  }
  co_return executor.take();
}

asio::awaitable<SourceEventStream> create_source_event_stream(const ExecutionArgs& args) {
  Executor executor(args);
  SourceEventStream source = co_await executor.source_stream();
  co_return source;
}

Result<const ast::OperationDefinition*, GraphQLError> get_operation(
    const ast::Document& document, std::string_view operation_name) {
  const ast::OperationDefinition* found = nullptr;
  std::size_t count = 0;
  for (const ast::Definition& definition : document.definitions) {
    const auto* operation = std::get_if<ast::OperationDefinition>(&definition);
    if (operation == nullptr) {
      continue;
    }
    ++count;
    if (operation_name.empty()) {
      found = found == nullptr ? operation : found;
    } else if (operation->name && operation->name->value == operation_name) {
      found = operation;
    }
  }
  auto fail = [](std::string message) {
    return unexpected(GraphQLError{std::move(message), {}, {}, {}});
  };
  if (!operation_name.empty()) {
    if (found == nullptr) {
      return fail(fmt::format("Unknown operation named \"{}\".", operation_name));
    }
    return found;
  }
  if (count == 0) {
    return fail("Must provide an operation.");
  }
  if (count > 1) {
    return fail("Must provide operation name if query contains multiple operations.");
  }
  return found;
}

Response execute_blocking(const ExecutionArgs& args) {
  Executor executor(args);
  if (!executor.start()) {
    asio::io_context io;
    std::exception_ptr failure;
    asio::co_spawn(io, executor.finish(), [&](std::exception_ptr error) { failure = std::move(error); });
    io.run();
    if (failure) {
      std::rethrow_exception(failure);
    }
  }
  return executor.take();
}

}  // namespace cubeauth::graphql
