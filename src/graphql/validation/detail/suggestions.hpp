// "Did you mean ...?" hints worded as graphql-js's didYouMean and ranked as its
// suggestionList (lexical distance, then natural order).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cubeauth::graphql::detail {

/// The options within graphql-js's edit-distance threshold of `input`, best first.
std::vector<std::string> suggestion_list(std::string_view input,
                                         const std::vector<std::string_view>& options);

/// " Did you mean "a", "b", or "c"?" (at most five), or "" without suggestions.
/// `sub_message` goes after "Did you mean", e.g. "the enum value".
std::string did_you_mean(const std::vector<std::string>& suggestions,
                         std::string_view sub_message = {});

/// graphql-js naturalCompare: digit runs compare as numbers. Negative, zero or positive.
int natural_compare(std::string_view a, std::string_view b);

}  // namespace cubeauth::graphql::detail
