// The JSON bodies of the write endpoints as the supervisor applies them (actors/pool_writes):
// POST /api/pools (a new file from fields), PUT /api/pools/{id} (a merge patch of a commented
// file) and PUT /api/settings (a patch of config.yaml). An accepted body must say exactly what
// the written text then holds: no value may leak into another key, no key may appear unasked.
//
// Input: one letter choosing the endpoint ('c' create, 'u' update, 's' settings; any other byte
// picks by its value), then the body.
#include <yaml-cpp/yaml.h>

#include <boost/json.hpp>
#include <set>

#include "config/pool_config.hpp"
#include "config/pool_edit.hpp"
#include "config/settings.hpp"
#include "config/settings_edit.hpp"
#include "test/fuzz/fuzz_target.hpp"

namespace {

namespace js = boost::json;
using mc::fuzz::require;

constexpr std::string_view pool_file = R"(# Solopool.org DigiByte, EU.
driver: solopool
display_name: Solopool.org DGB EU1   # shown on the tile
url: eu1.solopool.org
port: 8004
coin: DGB
region: EU
mining_model: solo
fee_percent: 1
description: >
  Solo mining DigiByte
  on two lines
enabled: true
extra_list:
  - a
  - b
)";

constexpr std::string_view config_yaml = R"(# settings
wallets:
  dgb: dgb1qexample
api_keys: { braiins: "read-only-token-abcdef" }
server:
  listen: 0.0.0.0:8080   # all interfaces
)";

std::set<std::string> top_level_keys(std::string_view text) {
  std::set<std::string> out;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception&) {
    require(false, "an accepted write is valid YAML");
  }
  if (!root || root.IsNull()) return out;
  require(root.IsMap(), "an accepted pool write is a mapping");
  for (auto it = root.begin(); it != root.end(); ++it) {
    require(it->first.IsScalar(), "keys are scalars");
    const auto key = it->first.Scalar();
    out.insert(key);
  }
  return out;
}

bool skipped(std::string_view key, const js::value& v) {
  return key == "pool_id" || key == "from_template" ||
         (key == "api_token" && v.is_string() && mc::config::is_masked(v.as_string()));
}

// Checked like a file before it is written (actors/pool_writes): a rejected text is answered
// 400 and never written. An accepted one holds every key the patch sets with its value, lacks
// every key it removes, and no other key appears that was not in `before`.
void check_pool_text(std::string_view before, const js::object& patch, const std::string& text) {
  if (!mc::config::parse_pool_config("fuzz", "pools/fuzz.yaml", text).config) return;
  const auto old_keys = top_level_keys(before);
  const auto keys = top_level_keys(text);
  const YAML::Node root = YAML::Load(text);
  for (const auto& [k, v] : patch) {
    if (skipped(k, v)) continue;
    const std::string key(k);
    if (v.is_null()) {
      require(!keys.count(key), "a null removes the key");
      continue;
    }
    require(keys.count(key), "a set key is in the text");
    if (v.is_string())
      require(root[key].IsScalar() && root[key].Scalar() == v.as_string(),
              "a text value reads back as itself");
  }
  for (const auto& k : keys)
    require(old_keys.count(k) || patch.contains(k), "no key appears that nobody set");
}

void create(const js::object& body) {
  if (!mc::config::field_name_problems(body).empty()) return;
  const auto text = mc::config::new_pool_text(body, "Created through the API.");
  check_pool_text("", body, text);
}

void update(const js::object& body) {
  const auto out = mc::config::patch_pool_text(pool_file, body);
  if (out.problems.empty()) check_pool_text(pool_file, body, out.text);
}

void settings(const js::object& body) {
  const auto current = mc::config::parse_settings("config.yaml", config_yaml);
  const auto out = mc::config::patch_settings_text(config_yaml, current.value, body);
  if (!out.problems.empty()) return;
  const auto reread = mc::config::parse_settings("config.yaml", out.text);
  require(reread.value.wallets == out.value.wallets, "wallets read back as written");
  require(reread.value.api_keys == out.value.api_keys, "api_keys read back as written");
  require(reread.value.listen == out.value.listen, "server.listen reads back as written");
  require(reread.value.api_token == out.value.api_token, "server.api_token reads back");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const char which = static_cast<char>(data[0]);
  boost::system::error_code ec;
  auto v = js::parse(mc::fuzz::as_text(data + 1, size - 1), ec);
  if (ec || !v.is_object()) return 0;  // answered 400 before any of this runs
  const auto& body = v.as_object();
  switch (which == 'c' ? 0 : which == 'u' ? 1 : which == 's' ? 2 : data[0] % 3) {
    case 0:
      create(body);
      break;
    case 1:
      update(body);
      break;
    default:
      settings(body);
  }
  return 0;
}
