// The form in which emails are compared: surrounding spaces removed, ASCII
// letters lower-cased (CONTRACT section 4). New users are stored in this form.
#pragma once

#include <string>
#include <string_view>

namespace cubeauth::store {

std::string normalize_email(std::string_view email);

/// `text` with its ASCII letters lower-cased (other bytes as they are).
std::string ascii_lower(std::string_view text);

}  // namespace cubeauth::store
