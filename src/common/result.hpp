// Result<T, E>: the value of an expected failure, with std::expected's names so
// that it can become an alias once the compiler ships std::expected in C++20 mode.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <optional>
#include <variant>

namespace cubeauth {

template <class E>
class Unexpected {
 public:
  explicit Unexpected(E error) : error_(std::move(error)) {}
  E& error() & { return error_; }
  const E& error() const& { return error_; }
  E&& error() && { return std::move(error_); }

 private:
  E error_;
};

template <class E>
Unexpected(E) -> Unexpected<E>;

/// Makes the failure side of a Result: `return unexpected(StoreError::kDuplicateEmail);`
template <class E>
Unexpected<std::decay_t<E>> unexpected(E&& error) {
  return Unexpected<std::decay_t<E>>(std::forward<E>(error));
}

template <class T, class E>
class [[nodiscard]] Result {
 public:
  using value_type = T;
  using error_type = E;

  Result()
    requires std::is_default_constructible_v<T>
      : state_(std::in_place_index<0>) {}
  template <class U = T>
    requires std::is_constructible_v<T, U&&> &&
             (!std::is_same_v<std::remove_cvref_t<U>, Result>) &&
             (!std::is_same_v<std::remove_cvref_t<U>, Unexpected<E>>)
  Result(U&& value) : state_(std::in_place_index<0>, std::forward<U>(value)) {}
  template <class G>
  Result(Unexpected<G> failure) : state_(std::in_place_index<1>, std::move(failure).error()) {}

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return checked_value(); }
  const T& value() const& { return const_cast<Result*>(this)->checked_value(); }
  T&& value() && { return std::move(checked_value()); }
  T& operator*() & { return checked_value(); }
  const T& operator*() const& { return const_cast<Result*>(this)->checked_value(); }
  T&& operator*() && { return std::move(checked_value()); }
  T* operator->() { return &checked_value(); }
  const T* operator->() const { return &const_cast<Result*>(this)->checked_value(); }

  E& error() & { return checked_error(); }
  const E& error() const& { return const_cast<Result*>(this)->checked_error(); }
  E&& error() && { return std::move(checked_error()); }

  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
  }

  /// Applies `f` to the value; a failure passes through unchanged.
  template <class F>
  auto transform(F&& f) && -> Result<std::invoke_result_t<F, T&&>, E> {
    if (has_value()) {
      return std::forward<F>(f)(std::move(std::get<0>(state_)));
    }
    return Unexpected<E>(std::move(std::get<1>(state_)));
  }

 private:
  T& checked_value() {
    assert(has_value() && "Result::value() on a failure");
    return std::get<0>(state_);
  }
  E& checked_error() {
    assert(!has_value() && "Result::error() on a success");
    return std::get<1>(state_);
  }

  std::variant<T, E> state_;
};

/// The void case: success carries nothing.
template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  using value_type = void;
  using error_type = E;

  Result() = default;
  template <class G>
  Result(Unexpected<G> failure) : error_(std::in_place, std::move(failure).error()) {}

  bool has_value() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  void value() const { assert(has_value() && "Result::value() on a failure"); }

  E& error() & {
    assert(!has_value() && "Result::error() on a success");
    return *error_;
  }
  const E& error() const& {
    assert(!has_value() && "Result::error() on a success");
    return *error_;
  }
  E&& error() && { return std::move(*error_); }

 private:
  std::optional<E> error_;
};

}  // namespace cubeauth
