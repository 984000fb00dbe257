#include "api/playground/detail/content_negotiation.hpp"

#include <boost/algorithm/string/predicate.hpp>
#include <cstddef>
#include <optional>

namespace cubeauth::api::detail {

namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

/// One element of a comma-separated header list: its value and whether its q is above 0.
struct ListElement {
  std::string_view value;
  bool acceptable = true;
};

/// weight = OWS ";" OWS "q=" qvalue; qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
/// Only a zero weight matters here: any other value accepts.
bool is_zero_weight(std::string_view parameter) {
  parameter = trim(parameter);
  if (parameter.size() < 2 || !boost::algorithm::iequals(parameter.substr(0, 2), "q=")) {
    return false;
  }
  const std::string_view value = trim(parameter.substr(2));
  if (value.empty() || value.front() != '0') {
    return false;
  }
  return value.find_first_not_of("0.", 1) == std::string_view::npos;
}

ListElement parse_element(std::string_view element) {
  ListElement result;
  const auto semicolon = element.find(';');
  result.value = trim(element.substr(0, semicolon));
  std::size_t position = semicolon;
  while (position != std::string_view::npos) {
    const auto next = element.find(';', position + 1);
    const auto parameter =
        element.substr(position + 1, next == std::string_view::npos ? next : next - position - 1);
    if (is_zero_weight(parameter)) {
      result.acceptable = false;
    }
    position = next;
  }
  return result;
}

template <typename Visit>
bool any_element(std::string_view list, Visit visit) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (visit(parse_element(list.substr(0, comma)))) {
      return true;
    }
    if (comma == std::string_view::npos) {
      break;
    }
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

bool lists_media_type(std::string_view accept, std::string_view media_type) {
  return any_element(accept, [media_type](const ListElement& element) {
    return element.acceptable && boost::algorithm::iequals(element.value, media_type);
  });
}

bool accepts_gzip(std::string_view accept_encoding) {
  // A named gzip (or its alias x-gzip) decides; otherwise "*" does.
  std::optional<bool> named;
  std::optional<bool> wildcard;
  any_element(accept_encoding, [&](const ListElement& element) {
    if (boost::algorithm::iequals(element.value, "gzip") ||
        boost::algorithm::iequals(element.value, "x-gzip")) {
      named = named.value_or(false) || element.acceptable;
    } else if (element.value == "*") {
      wildcard = element.acceptable;
    }
    return false;
  });
  return named.value_or(wildcard.value_or(false));
}

}  // namespace cubeauth::api::detail
