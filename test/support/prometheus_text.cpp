#include "test/support/prometheus_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

namespace mc::test {

namespace {

bool name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

bool valid_metric_name(std::string_view n) {
  return !n.empty() && name_start(n[0]) && std::all_of(n.begin(), n.end(), name_char);
}

bool valid_label_name(std::string_view n) { return valid_metric_name(n) && n.find(':') == n.npos; }

bool ends_with(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

// Go's strconv.ParseFloat, which Prometheus uses: also NaN and [+-]Inf in any case.
std::optional<double> parse_float(std::string_view s) {
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (lower == "inf" || lower == "+inf" || lower == "infinity" || lower == "+infinity")
    return std::numeric_limits<double>::infinity();
  if (lower == "-inf" || lower == "-infinity") return -std::numeric_limits<double>::infinity();
  std::string_view body = s;
  if (!body.empty() && body[0] == '+') body.remove_prefix(1);
  if (body.empty() || body[0] == '+') return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
  if (ec != std::errc{} || end != body.data() + body.size()) return std::nullopt;
  return v;
}

std::string series_key(const std::string& name, const prom_labels& labels) {
  std::string k = name + "{";
  for (const auto& [n, v] : labels) k += n + "=" + v + "\x1f";
  return k + "}";
}

class parser {
 public:
  prom_document run(std::string_view text) {
    if (!text.empty() && text.back() != '\n') error("the text must end with a newline");
    std::size_t start = 0;
    while (start < text.size()) {
      auto end = text.find('\n', start);
      if (end == text.npos) end = text.size();
      ++line_;
      parse_line(text.substr(start, end - start));
      start = end + 1;
    }
    line_ = 0;
    for (const auto& f : doc_.families)
      if (f.type == "histogram") check_histogram(f);
    return std::move(doc_);
  }

 private:
  void error(const std::string& why) {
    doc_.errors.push_back((line_ ? "line " + std::to_string(line_) + ": " : std::string{}) + why);
  }

  void parse_line(std::string_view l) {
    if (l.find_first_not_of(" \t") == l.npos) return;  // blank lines are allowed
    if (l[0] == '#') return parse_comment(l);
    parse_sample(l);
  }

  // "# HELP name text", "# TYPE name type"; any other comment is ignored.
  void parse_comment(std::string_view l) {
    const bool help = l.starts_with("# HELP ");
    const bool type = l.starts_with("# TYPE ");
    if (!help && !type) return;
    auto rest = l.substr(7);
    const auto sp = rest.find(' ');
    const auto name = std::string(rest.substr(0, sp));
    const auto arg = sp == rest.npos ? std::string_view{} : rest.substr(sp + 1);
    if (!valid_metric_name(name)) return error("invalid metric name \"" + name + "\"");
    auto* f = family_for_header(name);
    if (!f) return;
    if (help) {
      if (!f->help.empty() || help_seen_.count(name)) return error("second HELP for " + name);
      help_seen_.insert(name);
      std::string text;
      for (std::size_t i = 0; i < arg.size(); ++i) {
        if (arg[i] != '\\') {
          text += arg[i];
          continue;
        }
        if (i + 1 < arg.size() && arg[i + 1] == '\\')
          text += '\\';
        else if (i + 1 < arg.size() && arg[i + 1] == 'n')
          text += '\n';
        else
          return error("invalid escape in HELP of " + name);
        ++i;
      }
      f->help = text;
      return;
    }
    static const std::set<std::string_view> types = {"counter", "gauge", "histogram", "summary",
                                                     "untyped"};
    if (!types.count(arg)) return error("unknown TYPE \"" + std::string(arg) + "\" for " + name);
    if (type_seen_.count(name)) return error("second TYPE for " + name);
    if (!f->samples.empty()) return error("TYPE for " + name + " after its samples");
    type_seen_.insert(name);
    f->type = std::string(arg);
  }

  // HELP and TYPE open a family, or continue the current one; a family cannot come back.
  prom_family* family_for_header(const std::string& name) {
    if (current_ && current_->name == name) return current_;
    if (index_.count(name)) {
      error("family " + name + " appears twice (interleaved with another)");
      return nullptr;
    }
    return open(name);
  }

  prom_family* open(const std::string& name) {
    doc_.families.push_back({name, "untyped", "", {}});
    index_.insert(name);
    // Pointers into families stay valid until the next push_back, which resets current_.
    current_ = &doc_.families.back();
    return current_;
  }

  void parse_sample(std::string_view l) {
    std::size_t i = 0;
    while (i < l.size() && name_char(l[i])) ++i;
    prom_sample s;
    s.name = std::string(l.substr(0, i));
    if (!valid_metric_name(s.name))
      return error("invalid metric name in \"" + std::string(l) + "\"");
    if (i < l.size() && l[i] == '{') {
      ++i;
      if (!parse_labels(l, i, s.labels)) return;
    }
    if (i >= l.size() || (l[i] != ' ' && l[i] != '\t'))
      return error("expected a blank before the value in \"" + std::string(l) + "\"");
    while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
    auto rest = l.substr(i);
    const auto sp = rest.find_first_of(" \t");
    const auto value = parse_float(rest.substr(0, sp));
    if (!value) return error("invalid value in \"" + std::string(l) + "\"");
    s.value = *value;
    if (sp != rest.npos) {
      auto ts = rest.substr(sp);
      ts.remove_prefix(ts.find_first_not_of(" \t") == ts.npos ? ts.size()
                                                              : ts.find_first_not_of(" \t"));
      std::int64_t t = 0;
      auto [end, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), t);
      if (ts.empty() || ec != std::errc{} || end != ts.data() + ts.size())
        return error("invalid timestamp in \"" + std::string(l) + "\"");
    }
    add(std::move(s));
  }

  bool parse_labels(std::string_view l, std::size_t& i, prom_labels& out) {
    auto skip_blanks = [&] {
      while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
    };
    for (;;) {
      skip_blanks();
      if (i < l.size() && l[i] == '}') {
        ++i;
        return true;
      }
      std::size_t start = i;
      while (i < l.size() && name_char(l[i])) ++i;
      const std::string name(l.substr(start, i - start));
      if (!valid_label_name(name) || name.starts_with("__")) {
        error("invalid label name \"" + name + "\"");
        return false;
      }
      skip_blanks();
      if (i + 1 >= l.size() || l[i] != '=' || l[i + 1] != '"') {
        error("expected =\" after label " + name);
        return false;
      }
      i += 2;
      std::string value;
      for (;;) {
        if (i >= l.size()) {
          error("unterminated value of label " + name);
          return false;
        }
        const char c = l[i++];
        if (c == '"') break;
        if (c != '\\') {
          value += c;
          continue;
        }
        const char e = i < l.size() ? l[i++] : '\0';
        if (e == '\\' || e == '"')
          value += e;
        else if (e == 'n')
          value += '\n';
        else {
          error("invalid escape \\" + std::string(1, e) + " in label " + name);
          return false;
        }
      }
      if (!out.emplace(name, value).second) {
        error("label " + name + " twice");
        return false;
      }
      skip_blanks();
      if (i < l.size() && l[i] == ',') {
        ++i;
        continue;
      }
      if (i < l.size() && l[i] == '}') {
        ++i;
        return true;
      }
      error("expected , or } after label " + name);
      return false;
    }
  }

  void add(prom_sample s) {
    prom_family* f = nullptr;
    std::string base = s.name;
    for (std::string_view suffix : {"_bucket", "_sum", "_count"})
      if (ends_with(s.name, suffix)) base = s.name.substr(0, s.name.size() - suffix.size());
    if (current_ && current_->name == s.name) {
      f = current_;
    } else if (current_ && base == current_->name &&
               (current_->type == "histogram" || current_->type == "summary")) {
      f = current_;
    } else if (index_.count(s.name) || index_.count(base)) {
      return error("sample " + s.name + " outside its family's group");
    } else {
      f = open(s.name);
    }
    if (f->type == "histogram" && s.name == f->name)
      return error("histogram " + f->name + " sample without _bucket, _sum or _count");
    if (f->type == "counter" && !(s.value >= 0))
      return error("counter " + s.name + " is negative or NaN");
    if (s.name == f->name + "_bucket") {
      auto le = s.labels.find("le");
      if (le == s.labels.end() || !parse_float(le->second))
        return error(s.name + " without a numeric le label");
    }
    if (!series_.insert(series_key(s.name, s.labels)).second)
      return error("duplicate series " + series_key(s.name, s.labels));
    f->samples.push_back(std::move(s));
  }

  void check_histogram(const prom_family& f) {
    struct group {
      std::vector<std::pair<double, double>> buckets;  // le, value
      std::optional<double> count, sum;
    };
    std::map<std::string, group> groups;  // by the labels other than le
    for (const auto& s : f.samples) {
      auto labels = s.labels;
      labels.erase("le");
      auto& g = groups[series_key("", labels)];
      if (s.name == f.name + "_bucket")
        g.buckets.emplace_back(*parse_float(s.labels.at("le")), s.value);
      else if (s.name == f.name + "_count")
        g.count = s.value;
      else
        g.sum = s.value;
    }
    for (auto& [key, g] : groups) {
      const std::string where = f.name + key;
      std::sort(g.buckets.begin(), g.buckets.end());
      if (g.buckets.empty() || !std::isinf(g.buckets.back().first))
        error(where + ": no le=\"+Inf\" bucket");
      for (std::size_t i = 1; i < g.buckets.size(); ++i)
        if (g.buckets[i].second < g.buckets[i - 1].second)
          error(where + ": buckets not cumulative at le=" + std::to_string(g.buckets[i].first));
      if (!g.count || !g.sum) error(where + ": _count or _sum missing");
      if (g.count && !g.buckets.empty() && g.buckets.back().second != *g.count)
        error(where + ": the +Inf bucket differs from _count");
    }
  }

  prom_document doc_;
  prom_family* current_ = nullptr;
  std::set<std::string> index_, help_seen_, type_seen_, series_;
  std::size_t line_ = 0;
};

bool includes(const prom_labels& labels, const prom_labels& match) {
  for (const auto& [k, v] : match) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

}  // namespace

std::vector<prom_sample> prom_document::samples(std::string_view name,
                                                const prom_labels& match) const {
  std::vector<prom_sample> out;
  for (const auto& f : families)
    for (const auto& s : f.samples)
      if (s.name == name && includes(s.labels, match)) out.push_back(s);
  return out;
}

std::optional<double> prom_document::value(std::string_view name, const prom_labels& match) const {
  auto found = samples(name, match);
  if (found.size() > 1)
    throw std::runtime_error(std::to_string(found.size()) + " samples of " + std::string(name) +
                             " match");
  if (found.empty()) return std::nullopt;
  return found.front().value;
}

double prom_document::at(std::string_view name, const prom_labels& match) const {
  auto v = value(name, match);
  if (!v) {
    std::string labels;
    for (const auto& [k, x] : match) labels += (labels.empty() ? "" : ",") + k + "=\"" + x + "\"";
    throw std::runtime_error("no sample " + std::string(name) + "{" + labels + "}");
  }
  return *v;
}

const prom_family* prom_document::family(std::string_view name) const {
  for (const auto& f : families)
    if (f.name == name) return &f;
  return nullptr;
}

prom_document parse_prometheus(std::string_view text) { return parser{}.run(text); }

}  // namespace mc::test
