#include "config/pool_edit.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <regex>

#include "config/settings.hpp"
#include "config/yaml_edit.hpp"
#include "config/yaml_fields.hpp"

namespace mc::config {

namespace js = boost::json;

namespace {

constexpr std::array canonical_order{"driver",
                                     "display_name",
                                     "url",
                                     "port",
                                     "coin",
                                     "region",
                                     "mining_model",
                                     "fee_percent",
                                     "requires_auth",
                                     "supports_shares",
                                     "supports_earnings",
                                     "supports_balance",
                                     "description",
                                     "enabled",
                                     "poll_interval_s",
                                     "api_base_url",
                                     "wallet",
                                     "username",
                                     "api_token"};

bool request_only(std::string_view key) { return key == "pool_id" || key == "from_template"; }

bool valid_key(std::string_view key) {
  static const std::regex pattern{"[a-z_][a-z0-9_]{0,63}"};
  return std::regex_match(key.begin(), key.end(), pattern);
}

bool unchanged_secret(std::string_view key, const js::value& v) {
  return key == "api_token" && v.is_string() && is_masked(v.as_string());
}

// JSON is YAML (flow style): a string comes out double-quoted and escaped, so no value can
// break out of its line or be read as another type.
std::string yaml_value(const js::value& v) { return js::serialize(v); }

// The file's top-level mapping as JSON, for a rewrite; nullopt when it is not YAML.
std::optional<js::object> as_object(std::string_view text) {
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    js::object out;
    if (!root || root.IsNull()) return out;
    if (!root.IsMap()) return std::nullopt;
    std::size_t budget = yaml_value_budget;  // an alias bomb is not rewritten, it is refused
    for (auto it = root.begin(); it != root.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      auto j = yaml_to_json(it->second, budget);
      if (!j) return std::nullopt;
      out[it->first.Scalar()] = std::move(*j);
    }
    return out;
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::string new_pool_text(const js::object& fields, std::string_view header) {
  std::string out;
  std::size_t start = 0;
  while (start < header.size()) {
    auto nl = header.find('\n', start);
    if (nl == std::string_view::npos) nl = header.size();
    out += "# " + std::string(header.substr(start, nl - start)) + "\n";
    start = nl + 1;
  }
  auto line = [&](std::string_view k, const js::value& v) {
    out += std::string(k) + ": " + yaml_value(v) + "\n";
  };
  for (const char* k : canonical_order)
    if (auto* v = fields.if_contains(k); v && !v->is_null()) line(k, *v);
  std::vector<std::string_view> rest;
  for (const auto& [k, v] : fields)
    if (!v.is_null() && !request_only(k) &&
        std::find(canonical_order.begin(), canonical_order.end(), k) == canonical_order.end())
      rest.push_back(k);
  std::sort(rest.begin(), rest.end());
  for (auto k : rest) line(k, fields.at(k));
  return out;
}

std::string without_leading_comments(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    const auto line = text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
    const auto first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && line[first] != '#') break;
    if (nl == std::string_view::npos) return {};
    pos = nl + 1;
  }
  return std::string(text.substr(pos));
}

std::vector<field_problem> field_name_problems(const js::object& fields) {
  std::vector<field_problem> out;
  for (const auto& [k, v] : fields)
    if (!request_only(k) && !valid_key(k))
      out.push_back({std::string(k), "not a field name: use [a-z_][a-z0-9_]*"});
  return out;
}

pool_text patch_pool_text(std::string_view text, const js::object& patch) {
  pool_text out;
  out.problems = field_name_problems(patch);
  if (!out.problems.empty()) return out;

  std::optional<std::string> edited{std::string(text)};
  for (const auto& [k, v] : patch) {
    if (request_only(k) || unchanged_secret(k, v) || !edited) continue;
    edited = v.is_null() ? remove_top_level_key(*edited, k)
                         : set_top_level_key(*edited, k, yaml_value(v));
  }
  if (edited) {
    out.text = std::move(*edited);
    return out;
  }
  auto fields = as_object(text);
  if (!fields) {
    out.problems.push_back(
        {"", "the file is not valid YAML: fix it by hand, or delete it and create it again"});
    return out;
  }
  for (const auto& [k, v] : patch) {
    if (request_only(k) || unchanged_secret(k, v)) continue;
    if (v.is_null())
      fields->erase(k);
    else
      (*fields)[k] = v;
  }
  out.text = new_pool_text(*fields, "Written by miner-controller (the file was normalised).");
  out.normalised = true;
  return out;
}

}  // namespace mc::config
