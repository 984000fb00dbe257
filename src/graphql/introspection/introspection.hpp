// Introspection (spec 4): the __Schema, __Type, ... types, their resolvers, and the
// __schema / __type / __typename meta fields. The schema builder installs them.
#pragma once

#include <string_view>

namespace cubeauth::graphql {

class Schema;

/// SDL of the introspection types (spec 4.2), built into every schema.
std::string_view introspection_sdl();

/// Binds the resolvers of the introspection types and meta fields of `schema`.
void bind_introspection(Schema& schema);

}  // namespace cubeauth::graphql
