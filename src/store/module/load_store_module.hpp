// Finds, loads (dlopen, once) and calls the module of a PostgreSQL or MongoDB store
// (store_module.hpp). Where the modules are looked for, first found wins:
//   <folder of the running program>/../lib/cubeauth   an install (bin/ beside lib/cubeauth/)
//                                                      and the build tree (src/ beside lib/)
//   <build tree>/lib/cubeauth                          test programs in the build tree
//   <install prefix>/lib/cubeauth                      the prefix the build was configured for
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "store/store_config.hpp"
#include "store/user_store.hpp"

namespace cubeauth::store::module {

/// "cubeauth_store_postgres.so", "cubeauth_store_mongo.so"; empty for SQLite (built in).
std::string module_file(StoreKind kind);

/// The folders above, without duplicates.
std::vector<std::filesystem::path> module_folders();

/// Opens the store through its module. Errors: the module cannot be found (the text
/// names the file and the folders searched) or loaded, or the store's own errors.
Result<std::unique_ptr<UserStore>, std::string> open_module_store(const StoreLocation& location,
                                                                  std::size_t threads);

}  // namespace cubeauth::store::module
