// The resolvers of schema_social.graphql (friends, requests, blocking, and the
// relationshipChanged subscription) over social::RelationshipService and EventHub.
#pragma once

#include "common/result.hpp"

#include <string>

namespace cubeauth::graphql {
class Schema;
}
namespace cubeauth::auth {
class AuthService;
}
namespace cubeauth::social {
class RelationshipService;
class EventHub;
}  // namespace cubeauth::social

namespace cubeauth::api {

/// Binds every resolver of schema_social.graphql; the references must outlive the
/// schema's use.
Result<void, std::string> bind_social_resolvers(graphql::Schema& schema, auth::AuthService& auth,
                                                social::RelationshipService& friends, social::EventHub& events);

}  // namespace cubeauth::api
