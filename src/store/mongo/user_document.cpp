#include "store/mongo/user_document.hpp"

#include <algorithm>
#include <limits>

#include "store/detail/millis.hpp"
#include "store/object_id.hpp"

namespace cubeauth::store::mongo {

void append_new_user(bson_t* document, const User& user) {
  bson_oid_t oid;
  bson_oid_init_from_string(&oid, user.id.c_str());
  BSON_APPEND_OID(document, "_id", &oid);
  BSON_APPEND_UTF8(document, "firstName", user.first_name.c_str());
  BSON_APPEND_UTF8(document, "lastName", user.last_name.c_str());
  BSON_APPEND_UTF8(document, "email", user.email.c_str());
  BSON_APPEND_UTF8(document, "password", user.password_hash.c_str());
  if (user.connectycube_id) {
    append_connectycube_id(document, *user.connectycube_id);
  }
  BSON_APPEND_DATE_TIME(document, "createdAt", detail::to_millis(user.created_at));
  BSON_APPEND_DATE_TIME(document, "updatedAt", detail::to_millis(user.updated_at));
  BSON_APPEND_INT32(document, "__v", 0);
}

void append_connectycube_id(bson_t* document, std::int64_t connectycube_id) {
  if (connectycube_id >= std::numeric_limits<std::int32_t>::min() &&
      connectycube_id <= std::numeric_limits<std::int32_t>::max()) {
    BSON_APPEND_INT32(document, "connectyCubeId", static_cast<std::int32_t>(connectycube_id));
  } else {
    BSON_APPEND_INT64(document, "connectyCubeId", connectycube_id);
  }
}

void append_roles(bson_t* document, const std::vector<std::string>& roles) {
  bson_t array;
  BSON_APPEND_ARRAY_BEGIN(document, "roles", &array);
  for (std::size_t i = 0; i < roles.size(); ++i) {
    const std::string key = std::to_string(i);
    BSON_APPEND_UTF8(&array, key.c_str(), roles[i].c_str());
  }
  bson_append_array_end(document, &array);
}

namespace {

/// The strings of a roles array, as set_roles keeps them: sorted, unique, no "user".
std::vector<std::string> read_roles(const bson_iter_t& field) {
  std::vector<std::string> roles;
  bson_iter_t it = field;
  bson_iter_t child;
  if (!bson_iter_recurse(&it, &child)) {
    return roles;
  }
  while (bson_iter_next(&child)) {
    if (BSON_ITER_HOLDS_UTF8(&child)) {
      std::uint32_t length = 0;
      const char* value = bson_iter_utf8(&child, &length);
      roles.emplace_back(value, length);
    }
  }
  std::erase(roles, "user");
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

}  // namespace

User read_user(const bson_t* document) {
  User user;
  std::optional<std::int64_t> created;
  std::optional<std::int64_t> updated;
  bson_iter_t it;
  if (!bson_iter_init(&it, document)) {
    return user;
  }
  auto text = [&it]() {
    std::uint32_t length = 0;
    const char* value = bson_iter_utf8(&it, &length);
    return std::string(value, length);
  };
  while (bson_iter_next(&it)) {
    const std::string_view key = bson_iter_key(&it);
    const bson_type_t type = bson_iter_type(&it);
    if (key == "_id") {
      if (type == BSON_TYPE_OID) {
        char hex[25];
        bson_oid_to_string(bson_iter_oid(&it), hex);
        user.id = hex;
      } else if (type == BSON_TYPE_UTF8) {
        user.id = text();
      }
    } else if (type == BSON_TYPE_UTF8 && key == "email") {
      user.email = text();
    } else if (type == BSON_TYPE_UTF8 && key == "firstName") {
      user.first_name = text();
    } else if (type == BSON_TYPE_UTF8 && key == "lastName") {
      user.last_name = text();
    } else if (type == BSON_TYPE_UTF8 && key == "password") {
      user.password_hash = text();
    } else if (key == "connectyCubeId") {
      if (type == BSON_TYPE_INT32) {
        user.connectycube_id = bson_iter_int32(&it);
      } else if (type == BSON_TYPE_INT64) {
        user.connectycube_id = bson_iter_int64(&it);
      } else if (type == BSON_TYPE_DOUBLE) {
        user.connectycube_id = static_cast<std::int64_t>(bson_iter_double(&it));
      }
    } else if (type == BSON_TYPE_DATE_TIME && key == "createdAt") {
      created = bson_iter_date_time(&it);
    } else if (type == BSON_TYPE_DATE_TIME && key == "updatedAt") {
      updated = bson_iter_date_time(&it);
    } else if (type == BSON_TYPE_ARRAY && key == "roles") {
      user.roles = read_roles(it);
    } else if (type == BSON_TYPE_BOOL && key == "disabled") {
      user.disabled = bson_iter_bool(&it);
    } else if (type == BSON_TYPE_DATE_TIME && key == "passwordChangedAt") {
      user.password_changed_at = detail::from_millis(bson_iter_date_time(&it));
    }
  }
  if (created) {
    user.created_at = detail::from_millis(*created);
  } else if (is_object_id(user.id)) {
    user.created_at = object_id_time(user.id);
  }
  user.updated_at = updated ? detail::from_millis(*updated) : user.created_at;
  return user;
}

}  // namespace cubeauth::store::mongo
