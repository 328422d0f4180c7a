// What the supervisor makes of a pool file: parsed, its secrets resolved from config.yaml and
// validated by its driver. The same code checks a file on disk and a body the API is about to
// write, so the API accepts exactly what a file would load.
#pragma once

#include <filesystem>
#include <functional>
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
  std::optional<std::size_t> text_hash;   // of the file's text; none when it was unreadable
};

/// The entry an earlier check made of the same pool file with the same text hash, when it
/// still holds (config.yaml's wallets and keys and the drivers unchanged); nullopt otherwise.
/// Called from the worker threads of check_pool_files.
using reuse_entry = std::function<std::optional<config::pool_entry>(const std::string& pool_id,
                                                                    std::size_t text_hash)>;

/// Checks the text of pools/<pool_id>.yaml. Logs nothing.
checked_pool check_pool_text(const std::string& pool_id, std::string_view yaml_text,
                             const config::settings& settings, const drivers::driver_set& drivers);

/// Reads and checks a pool file.
checked_pool check_pool_file(const std::filesystem::path& file, const config::settings& settings,
                             const drivers::driver_set& drivers);

/// Checks every file as check_pool_file does, on up to `threads` threads (0: one per core, at
/// most 8); the result is in the order of `files` whatever the thread count. The reading and
/// parsing of 10 000 pool files at start-up is the bulk of it, and it blocks: the caller is the
/// detached supervisor, whose thread waits for the workers. A file whose text `reuse` knows
/// is not parsed again: its result is the entry reuse gives (its problems are in its reasons).
std::vector<checked_pool> check_pool_files(const std::vector<std::filesystem::path>& files,
                                           const config::settings& settings,
                                           const drivers::driver_set& drivers,
                                           const reuse_entry& reuse = {}, unsigned threads = 0);

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
