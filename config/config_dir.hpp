// The config dir's layout (DESIGN §1): which files load, which are skipped and which skips
// the user should hear about; and the first-run deploy of the bundled drivers and pools.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/problem.hpp"

namespace mc::config {

struct scan_result {
  std::vector<std::filesystem::path> pool_files;     // pools/*.yaml, sorted
  std::vector<std::filesystem::path> driver_files;   // drivers/*_driver.so, sorted
  std::vector<std::filesystem::path> example_files;  // pools/<id>.yaml.example: templates only
  std::vector<problem> reported;  // symlinks leaving the dir, bad pool file names, unreadable dirs
};

scan_result scan_config_dir(const std::filesystem::path& config_dir);

struct deploy_result {
  std::vector<std::string> copied;   // relative paths
  std::vector<std::string> updated;  // drivers replaced by a changed bundled version
  std::vector<std::string> notes;    // drivers kept as the user changed them, old copies kept
  std::vector<problem> problems;
};

/// First run: a missing drivers/ or pools/ is created and filled from the bundled tree
/// (pools as *.yaml.example); config.yaml.example is added when absent. Never overwrites a
/// user's file. On every start the deployed copies of the bundled drivers are kept current
/// (update_bundled_drivers): an upgrade brings its drivers along.
/// The bundled drivers are taken from `bundled_drivers_dir`, by default bundled_dir/drivers
/// (an installed program keeps them under lib/, apart from share/). An empty dir deploys
/// nothing of its part.
deploy_result first_run_deploy(const std::filesystem::path& config_dir,
                               const std::filesystem::path& bundled_dir,
                               const std::filesystem::path& bundled_drivers_dir = {});

}  // namespace mc::config
