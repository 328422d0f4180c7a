#include "config/yaml_fields.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <miner_controller/utf8.hpp>

namespace mc::config {

namespace {

std::optional<long long> parse_whole(const std::string& s) {
  long long v = 0;
  const char* first = s.data() + (s.starts_with('+') ? 1 : 0);
  auto [p, ec] = std::from_chars(first, s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<double> parse_decimal(const std::string& s) {
  double v = 0;
  const char* first = s.data() + (s.starts_with('+') ? 1 : 0);
  auto [p, ec] = std::from_chars(first, s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || s.empty() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

// A cut never splits a UTF-8 sequence: the problem texts go into JSON answers.
std::string quoted(const std::string& s) {
  if (s.size() <= 40) return "\"" + s + "\"";
  std::size_t cut = 40;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + s.substr(0, cut) + "...\"";
}

}  // namespace

yaml_fields::yaml_fields(const YAML::Node& map, std::string file, std::vector<problem>& problems)
    : file_(std::move(file)), problems_(problems), map_line_(map.Mark().line + 1) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    const int line = it->first.Mark().line + 1;
    if (!it->first.IsScalar()) {
      problems_.push_back({file_, line, "", "keys must be plain names"});
      continue;
    }
    const std::string key = it->first.Scalar();
    if (fields_.count(key)) {
      problems_.push_back(
          {file_, line, key, "duplicate key (first at line " + std::to_string(lines_[key]) + ")"});
      continue;
    }
    fields_[key] = it->second;
    lines_[key] = line;
  }
}

yaml_fields::yaml_fields(const std::vector<flat_field>& map, std::string file,
                         std::vector<problem>& problems)
    : file_(std::move(file)), problems_(problems), map_line_(map.empty() ? 1 : map[0].line) {
  for (const auto& f : map) {
    fields_.emplace(f.key, YAML::Node(f.value));
    lines_.emplace(f.key, f.line);
  }
}

int yaml_fields::line(const std::string& key) const {
  auto it = lines_.find(key);
  return it == lines_.end() ? map_line_ : it->second;
}

void yaml_fields::report(const std::string& key, std::string reason) {
  problems_.push_back({file_, line(key), key, std::move(reason)});
}

const YAML::Node* yaml_fields::scalar(const std::string& key, bool required, const char* what) {
  auto it = fields_.find(key);
  if (it == fields_.end() || it->second.IsNull()) {
    if (required) report(key, "required");
    if (it != fields_.end()) used_[key] = true;
    return nullptr;
  }
  used_[key] = true;
  if (!it->second.IsScalar()) {
    report(key, std::string("must be ") + what + ", got a " +
                    (it->second.IsSequence() ? "list" : "mapping"));
    return nullptr;
  }
  return &it->second;
}

std::optional<std::string> yaml_fields::text(const std::string& key, bool required) {
  const auto* n = scalar(key, required, "text");
  if (!n) return std::nullopt;
  // `key: ""` or a bare tag (`key: !x`) is a scalar, not null, but says nothing either.
  if (required && n->Scalar().empty()) {
    report(key, "required, got an empty value");
    return std::nullopt;
  }
  return n->Scalar();
}

std::optional<long long> yaml_fields::whole(const std::string& key, bool required, long long lo,
                                            long long hi) {
  const auto* n = scalar(key, required, "a whole number");
  if (!n) return std::nullopt;
  auto v = parse_whole(n->Scalar());
  if (!v) {
    report(key, "must be a whole number, got " + quoted(n->Scalar()));
    return std::nullopt;
  }
  if (*v < lo || *v > hi) {
    report(key, "must be " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " +
                    std::to_string(*v));
    return std::nullopt;
  }
  return v;
}

std::optional<double> yaml_fields::number(const std::string& key, double lo, double hi) {
  const auto* n = scalar(key, false, "a number");
  if (!n) return std::nullopt;
  auto v = parse_decimal(n->Scalar());
  if (!v) {
    report(key, "must be a number, got " + quoted(n->Scalar()));
    return std::nullopt;
  }
  if (*v < lo || *v > hi) {
    report(key, "must be " + std::to_string(static_cast<long long>(lo)) + ".." +
                    std::to_string(static_cast<long long>(hi)) + ", got " + n->Scalar());
    return std::nullopt;
  }
  return v;
}

std::optional<bool> yaml_fields::flag(const std::string& key) {
  const auto* n = scalar(key, false, "true or false");
  if (!n) return std::nullopt;
  // Only true/false: YAML 1.1's yes/no/on/off surprise people ("NO" is a country code).
  const std::string& s = n->Scalar();
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  report(key, "must be true or false, got " + quoted(s));
  return std::nullopt;
}

std::map<std::string, boost::json::value> yaml_fields::rest() {
  std::map<std::string, boost::json::value> out;
  std::size_t budget = yaml_value_budget;
  for (const auto& [k, v] : fields_) {
    if (used_.count(k)) continue;
    if (auto j = yaml_to_json(v, budget))
      out[k] = std::move(*j);
    else
      report(k, too_many_values_text());
  }
  return out;
}

std::optional<std::vector<flat_field>> parse_flat_yaml(std::string_view text) {
  auto is_key_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  std::vector<flat_field> out;
  int line = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view l = text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    // Tabs, CR, other controls and non-ASCII (YAML knows line breaks beyond '\n').
    for (const char c : l)
      if (c < 0x20 || c > 0x7e) return std::nullopt;
    const std::size_t first = l.find_first_not_of(' ');
    if (first == std::string_view::npos || l[first] == '#') continue;  // blank or comment
    std::size_t k = 0;
    while (k < l.size() && is_key_char(l[k])) ++k;
    // Indented, not a plain name, or no ": " after it (an empty value is null: yaml-cpp's).
    if (k == 0 || (l[0] >= '0' && l[0] <= '9') || l.substr(k, 2) != ": ") return std::nullopt;
    std::string_view v = l.substr(k + 2);
    v.remove_prefix(std::min(v.size(), v.find_first_not_of(' ')));
    v.remove_suffix(v.size() - (v.find_last_not_of(' ') + 1));
    // A leading indicator (quote, list, flow, tag, anchor, alias, block scalar, ...), a null,
    // a comment or a ": " that would start something else.
    if (v.empty() ||
        std::string_view("-?:,[]{}#&*!|>'\"%@`").find(v[0]) != std::string_view::npos || v == "~" ||
        v == "null" || v == "Null" || v == "NULL" || v.find('#') != std::string_view::npos ||
        v.find(": ") != std::string_view::npos || v.back() == ':')
      return std::nullopt;
    const std::string key(l.substr(0, k));
    if (key == "null" || key == "Null" || key == "NULL") return std::nullopt;  // a null key
    for (const auto& f : out)
      if (f.key == key) return std::nullopt;  // duplicate: load_yaml's path reports it
    out.push_back({key, line, std::string(v)});
  }
  if (out.empty()) return std::nullopt;  // empty or only comments: not a mapping
  return out;
}

std::size_t utf8_valid_prefix(std::string_view s) {
  const auto bad = mc::first_invalid_utf8(s);
  return bad == std::string_view::npos ? s.size() : bad;
}

std::optional<YAML::Node> load_yaml(const std::string& file, std::string_view text,
                                    std::vector<problem>& problems) {
  // yaml-cpp takes any bytes as text, but what is not UTF-8 cannot be shown in a JSON answer
  // (/api/pools, problems quoting a value): said here, with the line, instead.
  if (const auto bad = mc::first_invalid_utf8(text); bad != std::string_view::npos) {
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + bad, '\n'));
    problems.push_back(
        {file, line, "",
         "not UTF-8 text (byte " + std::to_string(bad + 1) + "): save the file as UTF-8"});
    return std::nullopt;
  }
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    problems.push_back({file, e.mark.line + 1, "", "invalid YAML: " + e.msg});
    return std::nullopt;
  }
}

std::string too_many_values_text() {
  return "more than " + std::to_string(yaml_value_budget) +
         " values (YAML aliases are counted each time they are used)";
}

std::optional<boost::json::value> yaml_to_json(const YAML::Node& node, std::size_t& budget) {
  if (budget == 0) return std::nullopt;
  --budget;
  switch (node.Type()) {
    case YAML::NodeType::Sequence: {
      boost::json::array a;
      for (const auto& item : node) {
        auto j = yaml_to_json(item, budget);
        if (!j) return std::nullopt;
        a.push_back(std::move(*j));
      }
      return a;
    }
    case YAML::NodeType::Map: {
      boost::json::object o;
      for (auto it = node.begin(); it != node.end(); ++it) {
        auto j = yaml_to_json(it->second, budget);
        if (!j) return std::nullopt;
        o[it->first.IsScalar() ? it->first.Scalar() : "?"] = std::move(*j);
      }
      return o;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() == "!") return boost::json::value(s);  // quoted: always text
      if (s == "true") return true;
      if (s == "false") return false;
      if (auto w = parse_whole(s)) return *w;
      if (auto d = parse_decimal(s)) return *d;
      return boost::json::value(s);
    }
    default:
      return nullptr;
  }
}

}  // namespace mc::config
