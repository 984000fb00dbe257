// The PostgreSQL and MongoDB stores are modules: shared objects that make_user_store
// loads with dlopen when the configuration selects one of them (load_store_module.hpp).
// A server on SQLite then never maps libpq, libmongoc and the ~40 libraries below them
// (GnuTLS, ICU, Kerberos, LDAP, SASL and its plugins...): 5-6 MB of resident memory
// (docs/PERFORMANCE.md, memory). Everything in src/store/postgres and src/store/mongo is
// linked into its module whole; the rest of cubeauth reaches it only through the
// UserStore interface returned here.
//
// This header is the contract between the two sides; both are built from the same tree.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "common/logging.hpp"
#include "common/result.hpp"
#include "store/store_config.hpp"
#include "store/user_store.hpp"

namespace cubeauth::store::module {

/// Raised whenever OpenRequest, OpenResult or the meaning of the entry point change.
inline constexpr int kAbiVersion = 1;

/// What the loader passes to a module's entry point.
struct OpenRequest {
  int abi_version = kAbiVersion;
  std::size_t request_size = sizeof(OpenRequest);
  const StoreLocation* location = nullptr;
  std::size_t threads = 4;
  /// The server's LOG_LEVEL (the module may hold its own copy of the logger).
  log::Level log_level = log::Level::kInfo;
};

using OpenResult = Result<std::unique_ptr<UserStore>, std::string>;

/// The entry point every module exports (C linkage: found by name with dlsym).
using OpenFunction = void (*)(const OpenRequest& request, OpenResult& result);
inline constexpr const char* kEntryPoint = "cubeauth_store_module_open";

}  // namespace cubeauth::store::module

/// Defines a module's entry point, and the ABI version the loader checks before calling
/// it: CUBEAUTH_STORE_MODULE_ENTRY(request, result) { ... }
// The two arguments name the entry point's parameters, so they cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define CUBEAUTH_STORE_MODULE_ENTRY(request, result)                                      \
  extern "C" __attribute__((visibility("default"))) const int cubeauth_store_module_abi = \
      ::cubeauth::store::module::kAbiVersion;                                             \
  extern "C" __attribute__((visibility("default"))) void cubeauth_store_module_open(      \
      const ::cubeauth::store::module::OpenRequest& request,                              \
      ::cubeauth::store::module::OpenResult& result)
// NOLINTEND(bugprone-macro-parentheses)
