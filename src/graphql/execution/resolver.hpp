// What a resolver sees and returns. A resolver is bound to "Type.field" (Schema::bind); it gets
// the parent value, the coerced arguments and the request context, and returns either a ready
// value (no coroutine frame), a FieldError, or an awaitable for asynchronous work.
#pragma once

#include "common/result.hpp"
#include "graphql/language/ast.hpp"
#include "graphql/schema/types.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <typeindex>
#include <utility>
#include <variant>
#include <vector>

namespace cubeauth::graphql {

class Schema;

/// An expected failure of one field, shown to the client: {"message": message,
/// "extensions": {"code": code, ...extensions}}. The executor adds locations and path.
struct FieldError {
  std::string message;
  std::string code;                // extensions.code; empty: no code
  boost::json::object extensions;  // more extensions, e.g. {"field": "email"}

  FieldError() = default;
  FieldError(std::string message_, std::string code_ = {}, boost::json::object extensions_ = {})
      : message(std::move(message_)), code(std::move(code_)), extensions(std::move(extensions_)) {}
};

using FieldOutcome = Result<boost::json::value, FieldError>;

/// Per-request data the embedding server hands to resolvers: any number of values, one per
/// C++ type (the HTTP headers, the authenticated user, a clock...).
class RequestContext {
 public:
  /// Stores `value` under its type, replacing an earlier one of the same type.
  template <class T>
  void set(T value) {
    auto stored = std::make_shared<std::decay_t<T>>(std::move(value));
    for (auto& slot : slots_) {
      if (slot.first == typeid(std::decay_t<T>)) {
        slot.second = std::move(stored);
        return;
      }
    }
    slots_.emplace_back(typeid(std::decay_t<T>), std::move(stored));
  }
  /// The stored value of type T, or nullptr.
  template <class T>
  T* get() const {
    for (const auto& slot : slots_) {
      if (slot.first == typeid(T)) {
        return static_cast<T*>(slot.second.get());
      }
    }
    return nullptr;
  }

 private:
  std::vector<std::pair<std::type_index, std::shared_ptr<void>>> slots_;
};

/// Everything a resolver may look at. The referenced objects stay valid until the resolver's
/// result (or its awaitable) completes.
struct ResolveParams {
  const boost::json::value& parent;  // the parent field's value (the root value at the top)
  const boost::json::object& args;   // coerced arguments, in definition order
  RequestContext& context;
  const FieldDefinition& field;
  const ObjectType& parent_type;
  const ast::Field& node;
  const Schema& schema;
  const boost::json::object& variables;  // coerced variable values
  /// The response's memory. A result built with it (`json::value(text, params.storage)`,
  /// `json::array(params.storage)`) moves into the response without being copied.
  const boost::json::storage_ptr& storage;

  /// The argument `name`, or null when absent.
  const boost::json::value& arg(std::string_view name) const {
    static const boost::json::value kNull;
    auto it = args.find(name);
    return it == args.end() ? kNull : it->value();
  }
};

/// A resolver's answer: ready now (value or FieldError), or later (an awaitable).
class ResolverResult {
 public:
  ResolverResult() : state_(FieldOutcome(boost::json::value())) {}
  ResolverResult(boost::json::value value) : state_(FieldOutcome(std::move(value))) {}
  template <class T>
    requires(std::is_constructible_v<boost::json::value, T &&> &&
             !std::is_same_v<std::remove_cvref_t<T>, boost::json::value> &&
             !std::is_same_v<std::remove_cvref_t<T>, FieldError> &&
             !std::is_same_v<std::remove_cvref_t<T>, FieldOutcome>)
  ResolverResult(T&& value) : state_(FieldOutcome(boost::json::value(std::forward<T>(value)))) {}
  ResolverResult(FieldError error) : state_(FieldOutcome(unexpected(std::move(error)))) {}
  ResolverResult(FieldOutcome outcome) : state_(std::move(outcome)) {}
  ResolverResult(boost::asio::awaitable<FieldOutcome> pending) : state_(std::move(pending)) {}

  bool is_ready() const { return state_.index() == 0; }
  FieldOutcome& ready() { return std::get<0>(state_); }
  boost::asio::awaitable<FieldOutcome>& pending() { return std::get<1>(state_); }

 private:
  std::variant<FieldOutcome, boost::asio::awaitable<FieldOutcome>> state_;
};

/// A type-erased resolver function.
class Resolver {
 public:
  using Function = std::function<ResolverResult(const ResolveParams&)>;

  template <class F>
    requires std::is_invocable_r_v<ResolverResult, F&, const ResolveParams&>
  Resolver(F function) : function_(std::move(function)) {}

  ResolverResult operator()(const ResolveParams& params) const { return function_(params); }

 private:
  Function function_;
};

}  // namespace cubeauth::graphql
