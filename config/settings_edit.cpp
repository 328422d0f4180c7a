#include "config/settings_edit.hpp"

#include <boost/json/serialize.hpp>
#include <regex>

#include "config/yaml_edit.hpp"

namespace mc::config {

namespace js = boost::json;

namespace {

js::object masked(const std::map<std::string, std::string>& m) {
  js::object o;
  for (const auto& [k, v] : m) o[k] = mask_secret(v);
  return o;
}

bool printable(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// One section's entries: name -> text or null. Checks names and values, never quoting a value.
void merge_map(const js::value& v, const std::string& section, const std::regex& name_pattern,
               bool upper_case, std::size_t max_len, std::map<std::string, std::string>& into,
               std::vector<field_problem>& problems) {
  if (!v.is_object()) {
    problems.push_back({section, "must be an object of name: text"});
    return;
  }
  for (const auto& [raw, value] : v.as_object()) {
    std::string name = upper_case ? upper(std::string(raw)) : lower(std::string(raw));
    const std::string field = section + "." + name;
    if (field == "server.api_token_set") continue;  // GET's read-only field
    if (!std::regex_match(name, name_pattern)) {
      problems.push_back({field, "not a valid name"});
      continue;
    }
    if (value.is_null() || (value.is_string() && value.as_string().empty())) {
      into.erase(name);
    } else if (!value.is_string()) {
      problems.push_back({field, "must be text or null"});
    } else if (is_masked(value.as_string())) {
      continue;  // sent back as shown: unchanged
    } else if (value.as_string().size() > max_len || !printable(value.as_string())) {
      problems.push_back({field, "must be 1.." + std::to_string(max_len) +
                                     " characters without control characters"});
    } else {
      into[name] = std::string(value.as_string());
    }
  }
}

std::string flow_map(const std::map<std::string, std::string>& m) {
  js::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return js::serialize(o);
}

std::string server_flow(const settings& s) {
  js::object o;
  if (!s.listen.empty()) o["listen"] = s.listen;
  if (!s.api_token.empty()) o["api_token"] = s.api_token;
  return js::serialize(o);
}

}  // namespace

js::object settings_json(const settings_result& s) {
  js::array problems;
  for (const auto& p : s.problems) problems.emplace_back(p.to_string());
  js::object server{
      {"listen", s.value.listen},
      {"api_token",
       s.value.api_token.empty() ? js::value(nullptr) : js::value(mask_secret(s.value.api_token))},
      {"api_token_set", !s.value.api_token.empty()}};
  return {{"wallets", masked(s.value.wallets)},
          {"api_keys", masked(s.value.api_keys)},
          {"server", std::move(server)},
          {"problems", std::move(problems)}};
}

settings_text patch_settings_text(std::string_view text, const settings& current,
                                  const js::object& patch) {
  static const std::regex coin{"[A-Z0-9]{2,10}"};
  static const std::regex driver{"[a-z0-9][a-z0-9_-]{0,31}"};
  settings_text out;
  out.value = current;
  bool wallets = false, keys = false, server = false;  // sections the request touches
  for (const auto& [k, v] : patch) {
    if (k == "wallets") {
      wallets = true;
      merge_map(v, "wallets", coin, true, 256, out.value.wallets, out.problems);
    } else if (k == "api_keys") {
      keys = true;
      merge_map(v, "api_keys", driver, false, 1024, out.value.api_keys, out.problems);
    } else if (k == "server") {
      server = true;
      std::map<std::string, std::string> s;
      if (!current.listen.empty()) s["listen"] = current.listen;
      if (!current.api_token.empty()) s["api_token"] = current.api_token;
      static const std::regex names{"listen|api_token"};
      merge_map(v, "server", names, false, 1024, s, out.problems);
      out.value.listen = s.count("listen") ? s["listen"] : "";
      out.value.api_token = s.count("api_token") ? s["api_token"] : "";
    } else if (k == "problems") {
      continue;  // GET's read-only field, sent back by a client that PUTs what it got
    } else {
      out.problems.push_back(
          {std::string(k), "unknown setting: expected wallets, api_keys or server"});
    }
  }
  if (!out.problems.empty()) return out;

  // A section sent back as it was (masks included) keeps its lines and comments.
  wallets = wallets && out.value.wallets != current.wallets;
  keys = keys && out.value.api_keys != current.api_keys;
  server =
      server && (out.value.listen != current.listen || out.value.api_token != current.api_token);
  std::optional<std::string> edited{std::string(text)};
  if (text.empty()) edited = "# miner-controller settings, written through the API.\n";
  if (edited && wallets)
    edited = set_top_level_key(*edited, "wallets", flow_map(out.value.wallets));
  if (edited && keys) edited = set_top_level_key(*edited, "api_keys", flow_map(out.value.api_keys));
  if (edited && server) edited = set_top_level_key(*edited, "server", server_flow(out.value));
  if (edited) {
    out.text = std::move(*edited);
  } else {
    // Not a plain block mapping: written anew from what it holds.
    out.text = "# miner-controller settings (normalised by an API write).\nwallets: " +
               flow_map(out.value.wallets) + "\napi_keys: " + flow_map(out.value.api_keys) +
               "\nserver: " + server_flow(out.value) + "\n";
  }
  auto check = parse_settings("config.yaml", out.text);
  for (const auto& p : check.problems)
    if (!p.field.empty() && p.reason.find("unknown setting") == std::string::npos)
      out.problems.push_back({p.field, p.reason});
  if (!check.readable) out.problems.push_back({"", "the result would not be valid YAML"});
  return out;
}

}  // namespace mc::config
