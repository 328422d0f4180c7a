// config.yaml: wallets per coin, API keys per driver, server settings. Secrets (api_keys,
// server.api_token) are never quoted in a problem and are shown masked everywhere else.
#pragma once

#include <filesystem>
#include <map>
#include <miner_controller/pool_config.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "config/problem.hpp"

namespace mc::config {

struct settings {
  std::map<std::string, std::string> wallets;   // key: coin, upper case
  std::map<std::string, std::string> api_keys;  // key: driver type, lower case
  std::string listen;                           // server.listen; "" when absent
  std::string api_token;                        // server.api_token (secret)
};

struct settings_result {
  settings value;
  std::vector<problem> problems;
  bool file_exists = false;
  bool readable = true;  // false: unreadable or not YAML at all; `value` then holds nothing
};

/// A missing file is empty settings, not a problem.
settings_result load_settings(const std::filesystem::path& config_yaml);
settings_result parse_settings(std::string_view display_path, std::string_view yaml_text);

/// wallet falls back to wallets[coin] (unless the pool names a username); api_token to
/// api_keys[driver].
void resolve_pool_secrets(mc::pool_config& pool, const settings& s);

/// "***" plus the last 4 characters; only "***" below 12 characters, where 4 would give too
/// much of the secret away; "" stays "".
std::string mask_secret(std::string_view secret);

/// Whether `text` is what mask_secret makes: an API client sending a masked value back means
/// "unchanged", never "set the secret to ***1234".
bool is_masked(std::string_view text);

}  // namespace mc::config
