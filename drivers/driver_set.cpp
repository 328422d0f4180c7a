#include "drivers/driver_set.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iterator>

namespace mc::drivers {

namespace fs = std::filesystem;

file_identity identity_of(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return {};
  return {static_cast<std::uintmax_t>(st.st_size),
          std::int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec,
          static_cast<std::uint64_t>(st.st_ino), static_cast<std::uint64_t>(st.st_dev)};
}

namespace {

// Every load maps a private copy, never the file in drivers/ itself: `cp new.so x_driver.so`
// rewrites that file in place, which would change the code of a running driver under it
// (SIGBUS/SIGSEGV); and dlopen hands back the library it already has for a path it has
// opened, even when the file was replaced since, so each copy gets a name never used before.
// The copy goes beside the original (same file system, so exec is allowed), else to the temp
// dir when drivers/ is read-only, and is unlinked once mapped.
std::variant<loaded_driver, load_failure> load_fresh_copy(const fs::path& file) {
  static std::atomic<unsigned> counter{0};
  const std::string name = ".load-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) +
                           "-" + file.filename().string();
  std::error_code ec;
  fs::path copy = file.parent_path() / name;
  if (!fs::copy_file(file, copy, ec)) {
    copy = fs::temp_directory_path(ec) / name;
    if (ec || !fs::copy_file(file, copy, ec))
      return load_failure{file, "cannot copy the new version for loading: " + ec.message()};
  }
  auto r = load_driver(copy);
  fs::remove(copy, ec);
  if (auto* d = std::get_if<loaded_driver>(&r)) d->file = file;
  if (auto* f = std::get_if<load_failure>(&r)) {
    f->file = file;
    // dlerror() names the copy; the user knows the file by its own name.
    for (auto at = f->reason.find(copy.string()); at != std::string::npos;
         at = f->reason.find(copy.string()))
      f->reason.replace(at, copy.string().size(), file.string());
  }
  return r;
}

bool same_bytes(const fs::path& a, const fs::path& b) {
  std::error_code ea, eb;
  if (fs::file_size(a, ea) != fs::file_size(b, eb) || ea || eb) return false;
  std::ifstream x(a, std::ios::binary), y(b, std::ios::binary);
  return std::equal(std::istreambuf_iterator<char>(x), {}, std::istreambuf_iterator<char>(y), {});
}

// A process can only be isolated from a plugin that throws: one that crashes (SIGSEGV in its
// factory, an abort in a static constructor) takes the service with it. What can be done is to
// not crash again: load_fresh_copy removes its copy once the load returns, so a copy left
// behind is the mark of a load that never returned. A file with the same bytes is not loaded
// again; other leftovers (an older version) are removed. (The pid in the name cannot tell: in a
// container the service is pid 1 at every start.) Only copies in drivers/ are seen: when that
// dir is read-only the copy goes to the temp dir, and a crash there is not remembered.
std::string crashed_before(const fs::path& file) {
  const std::string suffix = "-" + file.filename().string();
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(file.parent_path(), ec)) {
    const std::string name = e.path().filename().string();
    if (!name.starts_with(".load-") || !name.ends_with(suffix)) continue;
    if (same_bytes(e.path(), file))
      return "this file crashed the service while loading (a plugin that crashes cannot be "
             "isolated): not loaded again until it changes, or delete drivers/" +
             name + " to retry";
    fs::remove(e.path(), ec);
  }
  return {};
}

}  // namespace

driver_changes driver_set::update(const std::vector<fs::path>& files) {
  driver_changes out;
  std::map<fs::path, slot> next;
  std::map<std::string, fs::path> claimed;  // type -> file, for duplicates
  for (const auto& file : files) {
    const auto id = identity_of(file);
    auto old = files_.find(file);
    slot s;
    enum { kept, loaded, replaced } change = kept;
    std::string dropped_type;  // the file now holds another driver type
    if (old != files_.end() && old->second.identity == id && !old->second.duplicate) {
      s = std::move(old->second);
    } else {
      s.identity = id;
      std::variant<loaded_driver, load_failure> r = load_failure{file, crashed_before(file)};
      if (std::get<load_failure>(r).reason.empty()) r = load_fresh_copy(file);
      const bool had = old != files_.end() && old->second.driver;
      if (auto* d = std::get_if<loaded_driver>(&r)) {
        s.driver = std::move(*d);
        change = had && old->second.driver->info.type == s.driver->info.type ? replaced : loaded;
        if (had && change == loaded) dropped_type = old->second.driver->info.type;
      } else {
        s.rejected = std::get<load_failure>(r).reason;
        if (had) {
          s.driver = std::move(old->second.driver);
          s.rejected += " (still running the version loaded before)";
        }
      }
    }
    if (s.driver) {
      auto [first, fresh] = claimed.emplace(s.driver->info.type, file);
      if (!fresh) {
        s.rejected = "duplicate driver type \"" + s.driver->info.type + "\": already loaded from " +
                     first->second.filename().string();
        s.duplicate = true;
        s.driver.reset();
        change = kept;
      }
    }
    if (change == loaded) out.loaded.push_back(s.driver->info.type);
    if (change == replaced) out.replaced.push_back(s.driver->info.type);
    if (!dropped_type.empty()) out.removed.push_back(dropped_type);
    if (!s.rejected.empty()) out.rejected.push_back({file, s.rejected});
    next.emplace(file, std::move(s));
  }
  for (auto& [file, s] : files_)
    if (s.driver && !next.count(file) && !claimed.count(s.driver->info.type))
      out.removed.push_back(s.driver->info.type);
  // A type whose file changed may live on in another file (a waiting duplicate took over).
  std::erase_if(out.removed, [&](const std::string& t) { return claimed.count(t) > 0; });
  files_ = std::move(next);
  return out;
}

const loaded_driver* driver_set::find(const std::string& type) const {
  for (const auto& [file, s] : files_)
    if (s.driver && s.driver->info.type == type) return &*s.driver;
  return nullptr;
}

std::map<std::string, const loaded_driver*> driver_set::by_type() const {
  std::map<std::string, const loaded_driver*> out;
  for (const auto& [file, s] : files_)
    if (s.driver) out.emplace(s.driver->info.type, &*s.driver);
  return out;
}

}  // namespace mc::drivers
