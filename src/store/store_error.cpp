#include "store/store_error.hpp"

namespace cubeauth::store {

std::string_view to_string(StoreError error) {
  switch (error) {
    case StoreError::kDuplicateEmail:
      return "duplicate_email";
    case StoreError::kNotFound:
      return "not_found";
    case StoreError::kConflict:
      return "conflict";
    case StoreError::kUnavailable:
      return "unavailable";
    case StoreError::kInternal:
      return "internal";
  }
  return "unknown";
}

}  // namespace cubeauth::store
