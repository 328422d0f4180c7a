// The drivers loaded from a config dir's drivers/, kept across reloads: an unchanged file keeps
// its loaded library, a new or replaced file is loaded, a removed file's driver goes. A
// replacement that fails to load leaves the previous version running, so a half-copied or
// broken upgrade never takes a working driver away.
//
//   driver_set set;
//   auto changes = set.update(scan.driver_files);  // at start and on every reload
//   if (auto* d = set.find("solopool")) d->instance->plan(...);
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "drivers/loader.hpp"

namespace mc::drivers {

/// What tells a replaced file from an unchanged one without reading it.
struct file_identity {
  std::uintmax_t size = 0;
  std::int64_t mtime_ns = 0;
  std::uint64_t inode = 0;
  std::uint64_t device = 0;
  bool operator==(const file_identity&) const = default;
};

struct driver_changes {
  std::vector<std::string> loaded;     // types loaded from a file not loaded before
  std::vector<std::string> replaced;   // types whose file changed and loaded again
  std::vector<std::string> removed;    // types whose file is gone
  std::vector<load_failure> rejected;  // every file that currently does not load
  bool any() const { return !loaded.empty() || !replaced.empty() || !removed.empty(); }
};

class driver_set {
 public:
  /// Brings the set in line with `files` (drivers/*_driver.so, sorted).
  driver_changes update(const std::vector<std::filesystem::path>& files);

  const loaded_driver* find(const std::string& type) const;
  /// Every loaded driver, by type.
  std::map<std::string, const loaded_driver*> by_type() const;

 private:
  struct slot {
    file_identity identity;
    std::optional<loaded_driver> driver;  // the running version, if any
    std::string rejected;                 // why the file (its current version) does not load
    bool duplicate = false;               // rejected for its type only: try again next time
  };
  std::map<std::filesystem::path, slot> files_;
};

/// The file's identity; all zero when it cannot be read.
file_identity identity_of(const std::filesystem::path& file);

}  // namespace mc::drivers
