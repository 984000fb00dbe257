// GET /openapi.json: the OpenAPI 3.1 description of cubeauth's HTTP API, written in
// src/api/openapi.json and compiled into the binary (no file is read at run time).
// tests/openapi checks it against the running server.
#pragma once

#include <string_view>

#include "http/router.hpp"

namespace cubeauth::api {

/// The document's JSON text, exactly as src/api/openapi.json has it.
std::string_view openapi_document();

/// Registers GET (and HEAD) /openapi.json.
void add_openapi_route(http::Router& router);

}  // namespace cubeauth::api
