#include "store/mongo/relationship_document.hpp"

#include <string>
#include <string_view>

#include "store/detail/millis.hpp"

namespace cubeauth::store::mongo {
namespace {

void append_oid(bson_t* document, const char* key, const std::string& hex) {
  bson_oid_t oid;
  bson_oid_init_from_string(&oid, hex.c_str());
  BSON_APPEND_OID(document, key, &oid);
}

std::string oid_hex(const bson_iter_t* it) {
  char hex[25];
  bson_oid_to_string(bson_iter_oid(it), hex);
  return hex;
}

}  // namespace

void append_new_relationship(bson_t* document, const Relationship& relationship) {
  append_oid(document, "_id", relationship.id);
  append_oid(document, "userLow", relationship.user_low);
  append_oid(document, "userHigh", relationship.user_high);
  const std::string status(to_string(relationship.status));
  BSON_APPEND_UTF8(document, "status", status.c_str());
  append_oid(document, "actedBy", relationship.acted_by);
  if (relationship.dialog_id) {
    BSON_APPEND_UTF8(document, "dialogId", relationship.dialog_id->c_str());
  }
  BSON_APPEND_INT64(document, "version", relationship.version);
  BSON_APPEND_DATE_TIME(document, "createdAt", detail::to_millis(relationship.created_at));
  BSON_APPEND_DATE_TIME(document, "updatedAt", detail::to_millis(relationship.updated_at));
  BSON_APPEND_BOOL(document, "blockedByLow", relationship.blocked_by_low);
  BSON_APPEND_BOOL(document, "blockedByHigh", relationship.blocked_by_high);
}

std::optional<Relationship> read_relationship(const bson_t* document) {
  Relationship relationship;
  bson_iter_t it;
  if (!bson_iter_init(&it, document)) {
    return std::nullopt;
  }
  bool has_status = false;
  bool has_version = false;
  bool has_created = false;
  bool has_updated = false;
  bool has_blocks = false;
  while (bson_iter_next(&it)) {
    const std::string_view key = bson_iter_key(&it);
    if (BSON_ITER_HOLDS_OID(&it)) {
      if (key == "_id") {
        relationship.id = oid_hex(&it);
      } else if (key == "userLow") {
        relationship.user_low = oid_hex(&it);
      } else if (key == "userHigh") {
        relationship.user_high = oid_hex(&it);
      } else if (key == "actedBy") {
        relationship.acted_by = oid_hex(&it);
      }
    } else if (key == "status" && BSON_ITER_HOLDS_UTF8(&it)) {
      auto status = relationship_status_from_string(bson_iter_utf8(&it, nullptr));
      if (status) {
        relationship.status = *status;
        has_status = true;
      }
    } else if (key == "dialogId" && BSON_ITER_HOLDS_UTF8(&it)) {
      std::uint32_t length = 0;
      const char* text = bson_iter_utf8(&it, &length);
      relationship.dialog_id = std::string(text, length);
    } else if (key == "version" && BSON_ITER_HOLDS_NUMBER(&it)) {
      relationship.version = bson_iter_as_int64(&it);
      has_version = true;
    } else if (key == "createdAt" && BSON_ITER_HOLDS_DATE_TIME(&it)) {
      relationship.created_at = detail::from_millis(bson_iter_date_time(&it));
      has_created = true;
    } else if (key == "updatedAt" && BSON_ITER_HOLDS_DATE_TIME(&it)) {
      relationship.updated_at = detail::from_millis(bson_iter_date_time(&it));
      has_updated = true;
    } else if (key == "blockedByLow" && BSON_ITER_HOLDS_BOOL(&it)) {
      relationship.blocked_by_low = bson_iter_bool(&it);
      has_blocks = true;
    } else if (key == "blockedByHigh" && BSON_ITER_HOLDS_BOOL(&it)) {
      relationship.blocked_by_high = bson_iter_bool(&it);
      has_blocks = true;
    }
  }
  if (relationship.id.empty() || relationship.user_low.empty() || relationship.user_high.empty() ||
      relationship.acted_by.empty() || !has_status || !has_version || !has_created ||
      !has_updated) {
    return std::nullopt;
  }
  if (!has_blocks && relationship.status == RelationshipStatus::kBlocked) {
    // Written before each side had its own block: actedBy was the one blocker.
    relationship.blocked_by_low = relationship.acted_by == relationship.user_low;
    relationship.blocked_by_high = relationship.acted_by == relationship.user_high;
  }
  return relationship;
}

}  // namespace cubeauth::store::mongo
