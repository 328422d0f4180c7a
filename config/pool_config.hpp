// Parsing and validation of pools/<pool_id>.yaml into mc::pool_config (DESIGN §1). Every
// problem of a file is reported at once, each with its line and field.
#pragma once

#include <filesystem>
#include <map>
#include <miner_controller/pool_config.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/problem.hpp"

namespace mc::config {

/// [a-z0-9][a-z0-9._-]{0,63}
bool valid_pool_id(std::string_view id);

struct pool_file_result {
  std::optional<mc::pool_config> config;  // set only when there are no problems
  std::vector<problem> problems;
  std::map<std::string, int> field_lines;  // line of each top-level key, for later problems
};

pool_file_result parse_pool_config(std::string_view pool_id, std::string_view display_path,
                                   std::string_view yaml_text);

/// Reads a pool file (at most 1 MiB): its text, or nullopt with the problem added to `r`.
std::optional<std::string> read_pool_file(const std::filesystem::path& file,
                                          std::string_view display_path, pool_file_result& r);

/// Reads the file (at most 1 MiB) and parses it; the pool id is the file name without .yaml.
pool_file_result load_pool_file(const std::filesystem::path& file, std::string_view display_path);

/// Reads a whole file of at most `limit` bytes; nullopt with `error` set otherwise.
std::optional<std::string> read_small_file(const std::filesystem::path& file, std::size_t limit,
                                           std::string& error);

}  // namespace mc::config
