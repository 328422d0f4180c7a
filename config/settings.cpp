#include "config/settings.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>

#include "config/pool_config.hpp"
#include "config/yaml_fields.hpp"

namespace mc::config {

namespace {

std::string cased(std::string s, int (*f)(int)) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [f](unsigned char c) { return static_cast<char>(f(c)); });
  return s;
}

bool valid_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  const std::string port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit))
    return false;
  return std::stoi(port) <= 65535;
}

// A mapping of names to text values; `secret` values are never quoted in problems.
std::map<std::string, std::string> read_map(const YAML::Node& node, const std::string& file,
                                            const std::string& name, int (*key_case)(int),
                                            std::vector<problem>& problems) {
  std::map<std::string, std::string> out;
  if (!node || node.IsNull()) return out;
  if (!node.IsMap()) {
    problems.push_back({file, node.Mark().line + 1, name, "must be a mapping of name: value"});
    return out;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const int line = it->first.Mark().line + 1;
    if (!it->first.IsScalar() || !it->second.IsScalar()) {
      problems.push_back({file, line, name, "entries must be name: text"});
      continue;
    }
    auto key = cased(it->first.Scalar(), key_case);
    if (out.count(key)) {
      problems.push_back({file, line, name + "." + key, "duplicate key (keys ignore case)"});
      continue;
    }
    out[key] = it->second.Scalar();
  }
  return out;
}

}  // namespace

settings_result parse_settings(std::string_view display_path, std::string_view yaml_text) {
  settings_result r;
  r.file_exists = true;
  const std::string file(display_path);
  auto loaded = load_yaml(file, yaml_text, r.problems);
  if (!loaded) {
    r.readable = false;
    return r;
  }
  const YAML::Node& root = *loaded;
  if (!root || root.IsNull()) return r;
  if (!root.IsMap()) {
    r.problems.push_back({file, 1, "", "expected a mapping with wallets, api_keys and server"});
    r.readable = false;
    return r;
  }
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
    const int line = it->first.Mark().line + 1;
    if (key == "wallets") {
      r.value.wallets = read_map(it->second, file, key, ::toupper, r.problems);
    } else if (key == "api_keys") {
      r.value.api_keys = read_map(it->second, file, key, ::tolower, r.problems);
    } else if (key == "server") {
      if (!it->second.IsMap()) {
        r.problems.push_back({file, line, key, "must be a mapping with listen and api_token"});
        continue;
      }
      for (auto s = it->second.begin(); s != it->second.end(); ++s) {
        const std::string name = s->first.IsScalar() ? s->first.Scalar() : "";
        const int sline = s->first.Mark().line + 1;
        if (!s->second.IsScalar() && !s->second.IsNull()) {
          r.problems.push_back({file, sline, "server." + name, "must be text"});
        } else if (name == "listen") {
          r.value.listen = s->second.IsNull() ? "" : s->second.Scalar();
          if (!r.value.listen.empty() && !valid_listen(r.value.listen))
            r.problems.push_back(
                {file, sline, "server.listen",
                 "must be HOST:PORT with port 0..65535, got \"" + r.value.listen + "\""});
        } else if (name == "api_token") {
          r.value.api_token = s->second.IsNull() ? "" : s->second.Scalar();
        } else {
          r.problems.push_back({file, sline, "server." + name, "unknown setting (ignored)"});
        }
      }
    } else {
      r.problems.push_back(
          {file, line, key, "unknown setting (ignored): expected wallets, api_keys or server"});
    }
  }
  return r;
}

settings_result load_settings(const std::filesystem::path& config_yaml) {
  std::error_code ec;
  if (!std::filesystem::exists(config_yaml, ec)) return {};
  std::string error;
  auto text = read_small_file(config_yaml, 1 << 20, error);
  if (!text) {
    settings_result r;
    r.file_exists = true;
    r.readable = false;
    r.problems.push_back({"config.yaml", 0, "", error});
    return r;
  }
  return parse_settings("config.yaml", *text);
}

void resolve_pool_secrets(mc::pool_config& pool, const settings& s) {
  if (pool.wallet.empty() && pool.username.empty()) {
    if (auto it = s.wallets.find(pool.coin); it != s.wallets.end()) pool.wallet = it->second;
  }
  if (pool.api_token.empty()) {
    if (auto it = s.api_keys.find(pool.driver); it != s.api_keys.end()) pool.api_token = it->second;
  }
}

std::string mask_secret(std::string_view secret) {
  if (secret.empty()) return {};
  if (secret.size() < 12) return "***";
  return "***" + std::string(secret.substr(secret.size() - 4));
}

bool is_masked(std::string_view text) { return text.starts_with("***") && text.size() <= 7; }

}  // namespace mc::config
