// The form in which emails are compared: surrounding spaces removed, ASCII
// letters lower-cased (CONTRACT section 4). New users are stored in this form.
#pragma once

#include <string>
#include <string_view>

namespace cubeauth::store {

std::string normalize_email(std::string_view email);

}  // namespace cubeauth::store
