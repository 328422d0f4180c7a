#include "drivers/loader.hpp"

#include <dlfcn.h>

#include <cstring>
#include <exception>
#include <map>
#include <regex>

namespace mc::drivers {
namespace {

// Closes the library when the last driver object made from it is gone.
struct library {
  void* handle = nullptr;
  ~library() {
    if (handle) dlclose(handle);
  }
};

std::string dl_error(const char* fallback) {
  const char* e = dlerror();
  return e ? e : fallback;
}

std::string abi_mismatch(const driver_abi& got, const driver_abi& want) {
  if (got.version != want.version)
    return "driver ABI version " + std::to_string(got.version) + ", this program needs " +
           std::to_string(want.version) + ": rebuild the driver against this SDK";
  return "driver built against a different SDK layout (same ABI version " +
         std::to_string(got.version) + "): rebuild it with this SDK and compiler";
}

bool valid_type(const std::string& type) {
  static const std::regex pattern{"[a-z0-9][a-z0-9_-]{0,31}"};
  return std::regex_match(type, pattern);
}

}  // namespace

std::variant<loaded_driver, load_failure> load_driver(const std::filesystem::path& file) {
  auto fail = [&](std::string reason) { return load_failure{file, std::move(reason)}; };

  auto lib = std::make_shared<library>();
  dlerror();
  lib->handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib->handle) return fail("not a loadable shared object: " + dl_error("dlopen failed"));

  auto abi_fn = reinterpret_cast<mc_driver_abi_fn>(dlsym(lib->handle, "mc_driver_abi"));
  if (!abi_fn) return fail("missing entry point mc_driver_abi: not a miner-controller driver");
  auto create = reinterpret_cast<mc_driver_create_fn>(dlsym(lib->handle, "mc_driver_create"));
  auto destroy = reinterpret_cast<mc_driver_destroy_fn>(dlsym(lib->handle, "mc_driver_destroy"));
  if (!create || !destroy)
    return fail(std::string("missing entry point ") +
                (create ? "mc_driver_destroy" : "mc_driver_create"));

  // The ABI check comes before any call that passes or returns C++ types.
  const driver_abi got = abi_fn();
  const driver_abi want = current_driver_abi();
  if (std::memcmp(&got, &want, sizeof got) != 0) return fail(abi_mismatch(got, want));

  mc::driver* raw = nullptr;
  try {
    raw = create();
  } catch (const std::exception& e) {
    return fail(std::string("driver factory threw: ") + e.what());
  } catch (...) {
    return fail("driver factory threw an unknown exception");
  }
  if (!raw) return fail("driver factory returned no driver");

  std::shared_ptr<const mc::driver> instance(
      raw, [lib, destroy](const mc::driver* d) { destroy(const_cast<mc::driver*>(d)); });

  driver_info info;
  try {
    info = instance->describe();
  } catch (const std::exception& e) {
    return fail(std::string("describe() threw: ") + e.what());
  } catch (...) {
    return fail("describe() threw an unknown exception");
  }
  if (!valid_type(info.type))
    return fail("driver type \"" + info.type + "\" must match [a-z0-9][a-z0-9_-]{0,31}");
  if (info.display_name.empty()) info.display_name = info.type;
  return loaded_driver{std::move(instance), std::move(info), file};
}

load_result load_drivers(const std::vector<std::filesystem::path>& files) {
  load_result out;
  std::map<std::string, std::filesystem::path> types;
  for (const auto& file : files) {
    auto r = load_driver(file);
    if (auto* f = std::get_if<load_failure>(&r)) {
      out.rejected.push_back(std::move(*f));
      continue;
    }
    auto& d = std::get<loaded_driver>(r);
    auto [first, inserted] = types.emplace(d.info.type, file);
    if (!inserted) {
      out.rejected.push_back({file, "duplicate driver type \"" + d.info.type +
                                        "\": already loaded from " +
                                        first->second.filename().string()});
      continue;
    }
    out.loaded.push_back(std::move(d));
  }
  return out;
}

}  // namespace mc::drivers
