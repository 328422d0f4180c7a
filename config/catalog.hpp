// What loading the config dir produced: the drivers and pool configs that loaded, the ones
// that were rejected and why. The supervisor builds it; the tile cache turns it into the
// /api/pool-templates, /api/drivers and /api/pools answers.
#pragma once

#include <cstdint>
#include <memory>
#include <miner_controller/driver.hpp>
#include <string>
#include <vector>

namespace mc::config {

struct driver_entry {
  driver_info info;
  std::string file;  // file name inside drivers/
};

struct rejected_file {
  std::string file;  // path relative to the config dir
  std::vector<std::string> reasons;
};

enum class pool_status { active, disabled, rejected, failed };
const char* to_string(pool_status s);

struct pool_entry {
  std::string pool_id;
  std::string file;  // "pools/<pool_id>.yaml"
  pool_status status = pool_status::active;
  std::vector<std::string> reasons;   // why rejected / failed
  std::vector<std::string> warnings;  // loads, but something needs the user's attention
  pool_config config;                 // for rejected pools: the fields that could be read
  std::string driver_display_name;
  std::uint64_t generation = 0;  // of the running pool actor; 0 when none runs
};

struct catalog {
  std::vector<driver_entry> drivers;
  std::vector<rejected_file> rejected_drivers;
  std::vector<pool_entry> pools;  // every pool file, in file-name order
  // pools/<id>.yaml.example files that parse and name a loaded driver, and whose id no pool
  // file takes: offered as templates (Add Pool on a fresh install), never polled.
  std::vector<pool_entry> examples;
  std::vector<std::string> problems;  // config.yaml and config-dir problems
};

using catalog_ptr = std::shared_ptr<const catalog>;

inline const char* to_string(pool_status s) {
  switch (s) {
    case pool_status::active:
      return "active";
    case pool_status::disabled:
      return "disabled";
    case pool_status::rejected:
      return "rejected";
    case pool_status::failed:
      return "failed";
  }
  return "unknown";
}

}  // namespace mc::config
