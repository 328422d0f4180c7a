// What the supervisor makes of a pool file: parsed, its secrets resolved from config.yaml and
// validated by its driver. The same code checks a file on disk and a body the API is about to
// write, so the API accepts exactly what a file would load.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/catalog.hpp"
#include "config/problem.hpp"
#include "config/settings.hpp"
#include "drivers/driver_set.hpp"

namespace mc::actors {

struct checked_pool {
  config::pool_entry entry;               // status rejected when problems is not empty
  std::vector<config::problem> problems;  // with file, line and field
};

/// Checks the text of pools/<pool_id>.yaml. Logs nothing.
checked_pool check_pool_text(const std::string& pool_id, std::string_view yaml_text,
                             const config::settings& settings, const drivers::driver_set& drivers);

/// Reads and checks a pool file.
checked_pool check_pool_file(const std::filesystem::path& file, const config::settings& settings,
                             const drivers::driver_set& drivers);

/// Checks every file as check_pool_file does, on up to `threads` threads (0: one per core, at
/// most 8); the result is in the order of `files` whatever the thread count. The reading and
/// parsing of 10 000 pool files at start-up is the bulk of it, and it blocks: the caller is the
/// detached supervisor, whose thread waits for the workers.
std::vector<checked_pool> check_pool_files(const std::vector<std::filesystem::path>& files,
                                           const config::settings& settings,
                                           const drivers::driver_set& drivers,
                                           unsigned threads = 0);

/// A pools/<id>.yaml.example file as a template: parsed, its driver loaded; not validated by
/// the driver (an example has no API token yet). nullopt when it is not usable.
std::optional<config::pool_entry> load_example(const std::filesystem::path& file,
                                               const drivers::driver_set& drivers);

/// Whether two resolved configs poll the same way (a pool whose config is the same keeps its
/// actor across a reload).
bool same_config(const mc::pool_config& a, const mc::pool_config& b);

/// Whether two catalogs say the same in every field (generations included): a reload that
/// changed nothing need not make the tile cache encode 10 000 pools again.
bool same_catalog(const config::catalog& a, const config::catalog& b);

}  // namespace mc::actors
