#include "graphql/execution/serialize.hpp"

#include "graphql/execution/values.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <limits>

namespace cubeauth::graphql {
namespace json = boost::json;
namespace {

// JavaScript Number(text) for the numeric strings graphql-js accepts; nullopt otherwise.
std::optional<double> number_from_string(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  std::string copy(text);
  char* end = nullptr;
  const double number = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) {
    return std::nullopt;
  }
  return number;
}

std::optional<double> as_number(const json::value& value) {
  if (value.is_bool()) {
    return value.get_bool() ? 1.0 : 0.0;
  }
  if (value.is_number()) {
    return value.to_number<double>();
  }
  if (value.is_string()) {
    return number_from_string(value.get_string());
  }
  return std::nullopt;
}

}  // namespace

bool is_serialized_leaf(const NamedType& type, const json::value& value) {
  if (const EnumType* enum_type = type.as_enum()) {
    return value.is_string() && enum_type->value(value.get_string()) != nullptr;
  }
  const ScalarType* scalar = type.as_scalar();
  if (!scalar->is_builtin()) {
    return true;
  }
  const std::string& name = type.name();
  if (name == "String" || name == "ID") {
    return value.is_string();
  }
  if (name == "Int") {
    return value.is_int64() && value.get_int64() >= std::numeric_limits<std::int32_t>::min() &&
           value.get_int64() <= std::numeric_limits<std::int32_t>::max();
  }
  if (name == "Float") {
    return value.is_number() && (!value.is_double() || std::isfinite(value.get_double()));
  }
  return value.is_bool();  // Boolean
}

Result<json::value, std::string> serialize_leaf(const NamedType& type, const json::value& value) {
  if (const EnumType* enum_type = type.as_enum()) {
    if (value.is_string() && enum_type->value(value.get_string()) != nullptr) {
      return value;
    }
    return unexpected(
        fmt::format("Enum \"{}\" cannot represent value: {}", type.name(), inspect(value)));
  }
  const ScalarType* scalar = type.as_scalar();
  if (!scalar->is_builtin()) {
    return value;
  }
  const std::string& name = type.name();
  if (name == "String") {
    if (value.is_string()) {
      return value;
    }
    if (value.is_bool()) {
      return json::value(value.get_bool() ? "true" : "false");
    }
    if (value.is_int64()) {
      return json::value(std::to_string(value.get_int64()));
    }
    if (value.is_uint64()) {
      return json::value(std::to_string(value.get_uint64()));
    }
    if (value.is_double() && std::isfinite(value.get_double())) {
      return json::value(format_number(value.get_double()));
    }
    return unexpected(fmt::format("String cannot represent value: {}", inspect(value)));
  }
  if (name == "Int") {
    if (value.is_int64() && value.get_int64() >= std::numeric_limits<std::int32_t>::min() &&
        value.get_int64() <= std::numeric_limits<std::int32_t>::max()) {
      return value;
    }
    auto number = as_number(value);
    if (!number || !std::isfinite(*number) || std::floor(*number) != *number) {
      return unexpected(fmt::format("Int cannot represent non-integer value: {}", inspect(value)));
    }
    if (*number < std::numeric_limits<std::int32_t>::min() ||
        *number > std::numeric_limits<std::int32_t>::max()) {
      return unexpected(
          fmt::format("Int cannot represent non 32-bit signed integer value: {}", inspect(value)));
    }
    return json::value(static_cast<std::int64_t>(*number));
  }
  if (name == "Float") {
    if (value.is_number()) {
      if (!value.is_double() || std::isfinite(value.get_double())) {
        return value;
      }
    } else if (auto number = as_number(value); number && std::isfinite(*number)) {
      return json::value(*number);
    }
    return unexpected(fmt::format("Float cannot represent non numeric value: {}", inspect(value)));
  }
  if (name == "Boolean") {
    if (value.is_bool()) {
      return value;
    }
    if (value.is_number() && std::isfinite(value.to_number<double>())) {
      return json::value(value.to_number<double>() != 0);
    }
    return unexpected(
        fmt::format("Boolean cannot represent a non boolean value: {}", inspect(value)));
  }
  // ID
  if (value.is_string()) {
    return value;
  }
  if (value.is_int64()) {
    return json::value(std::to_string(value.get_int64()));
  }
  if (value.is_uint64()) {
    return json::value(std::to_string(value.get_uint64()));
  }
  if (value.is_double() && std::floor(value.get_double()) == value.get_double() &&
      std::isfinite(value.get_double())) {
    return json::value(format_number(value.get_double()));
  }
  return unexpected(fmt::format("ID cannot represent value: {}", inspect(value)));
}

}  // namespace cubeauth::graphql
