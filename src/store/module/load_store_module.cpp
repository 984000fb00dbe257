#include "store/module/load_store_module.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <system_error>

#include "common/logging.hpp"
#include "store/module/store_module.hpp"

namespace cubeauth::store::module {
namespace {

using Entry = Result<OpenFunction, std::string>;

std::string dl_error() {
  // glibc keeps dlerror's state per thread, and the loader calls it under its mutex.
  const char* text = dlerror();  // NOLINT(concurrency-mt-unsafe)
  return text != nullptr ? text : "unknown dlopen error";
}

// Loads the module once; it stays loaded for the life of the process (the stores it
// makes run its code until they are destroyed).
Entry load_module(StoreKind kind) {
  static std::mutex mutex;
  static std::map<StoreKind, OpenFunction> loaded;
  const std::lock_guard lock(mutex);
  if (auto found = loaded.find(kind); found != loaded.end()) {
    return found->second;
  }
  const std::string file = module_file(kind);
  const auto folders = module_folders();
  for (const auto& folder : folders) {
    const auto path = folder / file;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      continue;
    }
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      return unexpected("cannot load " + path.string() + ": " + dl_error());
    }
    const auto* abi = static_cast<const int*>(dlsym(handle, "cubeauth_store_module_abi"));
    auto* entry = reinterpret_cast<OpenFunction>(dlsym(handle, kEntryPoint));
    if (abi == nullptr || entry == nullptr || *abi != kAbiVersion) {
      return unexpected(path.string() +
                        " is not a store module of this cubeauth (rebuild or reinstall it)");
    }
    log::debug("store module {} loaded", path.string());
    loaded.emplace(kind, entry);
    return entry;
  }
  std::string searched;
  for (const auto& folder : folders) {
    searched += (searched.empty() ? "" : ", ") + folder.string();
  }
  return unexpected(
      "the " + std::string(to_string(kind)) + " store module " + file + " was not found in " +
      searched + " (it is built with the cubeauth target and installed in <prefix>/lib/cubeauth)");
}

}  // namespace

std::string module_file(StoreKind kind) {
  switch (kind) {
    case StoreKind::kPostgres:
      return "cubeauth_store_postgres.so";
    case StoreKind::kMongo:
      return "cubeauth_store_mongo.so";
    case StoreKind::kSqlite:
      break;
  }
  return {};
}

std::vector<std::filesystem::path> module_folders() {
  std::vector<std::filesystem::path> folders;
  std::error_code ec;
  const auto program = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    folders.push_back(
        (program.parent_path().parent_path() / "lib" / "cubeauth").lexically_normal());
  }
  for (const std::filesystem::path folder :
       {CUBEAUTH_STORE_MODULE_BUILD_DIR, CUBEAUTH_STORE_MODULE_INSTALL_DIR}) {
    if (std::find(folders.begin(), folders.end(), folder.lexically_normal()) == folders.end()) {
      folders.push_back(folder.lexically_normal());
    }
  }
  return folders;
}

Result<std::unique_ptr<UserStore>, std::string> open_module_store(const StoreLocation& location,
                                                                  std::size_t threads) {
  auto entry = load_module(location.kind);
  if (!entry) {
    return unexpected(std::move(entry).error());
  }
  OpenRequest request;
  request.location = &location;
  request.threads = threads;
  request.log_level = log::level();
  OpenResult result;
  (*entry)(request, result);
  return result;
}

}  // namespace cubeauth::store::module
