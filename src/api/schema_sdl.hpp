// The GraphQL schema cubeauth serves, as SDL text: src/api/schema.graphql, compiled
// in so that the binary needs no file at run time.
#pragma once

#include <string_view>

namespace cubeauth::api {

std::string_view schema_sdl();

}  // namespace cubeauth::api
