// MongoDB ObjectIds as 24-hex strings: the id of a user in every store.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace cubeauth::store {

/// A new ObjectId: 4 bytes of seconds since the epoch (big-endian), 5 random
/// bytes chosen once per process, a 3-byte counter starting at a random value.
/// Thread-safe; ids made in one process and second increase.
std::string new_object_id(std::chrono::system_clock::time_point now);
std::string new_object_id();

/// True for exactly 24 hex digits (either case).
bool is_object_id(std::string_view text);

/// `id` with its hex digits lower-cased, the form every store keeps.
std::string canonical_object_id(std::string_view id);

/// The seconds part of an ObjectId; is_object_id(id) must hold.
std::chrono::system_clock::time_point object_id_time(std::string_view id);

}  // namespace cubeauth::store
