// Keeps the config dir's copies of the bundled drivers current across upgrades: a copy the
// service installed is replaced when the bundled driver changes; a copy changed or removed by
// the user is left as it is.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/problem.hpp"

namespace mc::config {

/// drivers/.bundled: the driver files the service installed, with a hash of each.
inline constexpr const char* bundled_list_name = ".bundled";

struct driver_update_result {
  std::vector<std::string> installed;  // drivers/<name>: a new bundled driver
  std::vector<std::string> updated;    // drivers/<name>: replaced by the bundled version
  std::vector<std::string> notes;      // what was kept, and where an old copy went
  std::vector<problem> problems;
};

/// Run at start (after the first-run deploy), before the drivers load. For each bundled
/// `*_driver.so`, by drivers/.bundled:
///  - a copy still as installed is replaced when the bundled file differs (an upgrade);
///  - a copy that differs from what was installed was changed here: kept, with a note;
///  - a listed file that is gone was removed here: it stays removed;
///  - a bundled driver not listed and absent is new: installed.
/// A drivers/ without the list was deployed by a build before it: its copies that differ are
/// taken for older bundled ones and replaced, each old file kept as
/// drivers/.<name>.<unix time>.old (a dot-file: never loaded). Writes are atomic.
driver_update_result update_bundled_drivers(const std::filesystem::path& config_dir,
                                            const std::filesystem::path& bundled_drivers_dir);

}  // namespace mc::config
