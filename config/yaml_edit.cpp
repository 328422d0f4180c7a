#include "config/yaml_edit.hpp"

#include <cctype>
#include <regex>
#include <vector>

namespace mc::config {

namespace {

struct key_line {
  std::string key;
  std::size_t value_at = 0;  // offset of the first character after "key:"
};

bool indented_or_blank(std::string_view line) {
  return line.empty() || line == "\r" || line[0] == ' ' || line[0] == '\t';
}

bool comment_or_blank(std::string_view line) {
  const auto first = line.find_first_not_of(" \t\r");
  return first == std::string_view::npos || line[first] == '#';
}

// The key of a column-0 "key: value" line; nullopt for anything else.
std::optional<key_line> parse_key(std::string_view line) {
  if (line.empty()) return std::nullopt;
  key_line k;
  std::size_t i = 0;
  if (line[0] == '"' || line[0] == '\'') {
    const char q = line[0];
    for (i = 1; i < line.size() && line[i] != q; ++i) {
      if (line[i] == '\\' && q == '"') return std::nullopt;  // escapes: leave to a rewrite
      k.key += line[i];
    }
    if (i >= line.size()) return std::nullopt;
    ++i;
    if (i >= line.size() || line[i] != ':') return std::nullopt;
  } else {
    // Indicators that start flow style, lists, anchors, tags, complex keys or directives.
    if (std::string_view("{[-?&*!|>%@`#").find(line[0]) != std::string_view::npos)
      return std::nullopt;
    while (i < line.size() && !(line[i] == ':' && (i + 1 == line.size() || line[i + 1] == ' ' ||
                                                   line[i + 1] == '\t' || line[i + 1] == '\r')))
      ++i;
    if (i >= line.size()) return std::nullopt;
    k.key = std::string(line.substr(0, i));
    while (!k.key.empty() && (k.key.back() == ' ' || k.key.back() == '\t')) k.key.pop_back();
  }
  k.value_at = i + 1;
  return k;
}

// Where a trailing "# comment" starts in the value part (with the blanks before it), or npos.
std::size_t comment_start(std::string_view line, std::size_t from) {
  std::size_t i = line.find_first_not_of(" \t", from);
  if (i == std::string_view::npos) return std::string_view::npos;
  if (line[i] == '"' || line[i] == '\'') {
    const char q = line[i];
    for (++i; i < line.size(); ++i) {
      if (q == '"' && line[i] == '\\') {
        ++i;
      } else if (line[i] == q) {
        if (q == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
          ++i;
          continue;
        }
        break;
      }
    }
  }
  for (; i < line.size(); ++i) {
    if (line[i] == '#' && i > from && (line[i - 1] == ' ' || line[i - 1] == '\t')) {
      std::size_t start = i;
      while (start > from && (line[start - 1] == ' ' || line[start - 1] == '\t')) --start;
      return start;
    }
  }
  return std::string_view::npos;
}

struct document {
  std::vector<std::string> lines;  // without '\n'
  bool ends_with_newline = true;
};

std::optional<document> split(std::string_view text) {
  document d;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      d.lines.emplace_back(text.substr(pos));
      d.ends_with_newline = false;
      break;
    }
    d.lines.emplace_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  bool content_seen = false;
  for (const auto& line : d.lines) {
    if (comment_or_blank(line)) continue;
    if (line.rfind("---", 0) == 0) {
      if (content_seen) return std::nullopt;  // a second document
      if (line.find_first_not_of(" \t\r", 3) != std::string::npos) return std::nullopt;
      continue;
    }
    if (line.rfind("...", 0) == 0) return std::nullopt;
    if (indented_or_blank(line)) {
      if (!content_seen) return std::nullopt;  // the mapping does not start at column 0
      continue;
    }
    if (!parse_key(line)) return std::nullopt;
    content_seen = true;
  }
  // Anchors and aliases tie values together: an edit of one line could leave an alias
  // dangling, so such a file is rewritten from its parsed values instead.
  static const std::regex anchor{R"((^|[\s\[{,:-])[&*][A-Za-z0-9_-])"};
  for (const auto& line : d.lines)
    if (!comment_or_blank(line) && std::regex_search(line, anchor)) return std::nullopt;
  return d;
}

std::string join(const document& d) {
  std::string out;
  for (std::size_t i = 0; i < d.lines.size(); ++i) {
    out += d.lines[i];
    if (i + 1 < d.lines.size() || d.ends_with_newline) out += '\n';
  }
  return out;
}

// [first, last) lines of `key`: its line and the indented lines that continue its value.
std::optional<std::pair<std::size_t, std::size_t>> find_key(const document& d,
                                                            std::string_view key) {
  for (std::size_t i = 0; i < d.lines.size(); ++i) {
    if (indented_or_blank(d.lines[i]) || comment_or_blank(d.lines[i])) continue;
    auto k = parse_key(d.lines[i]);
    if (!k || k->key != key) continue;
    // A comment, even at column 0 (an editor's "toggle comment"), does not end the value;
    // comments after its last line stay with what follows.
    std::size_t end = i + 1;
    for (std::size_t j = i + 1; j < d.lines.size(); ++j) {
      if (comment_or_blank(d.lines[j])) continue;
      if (!indented_or_blank(d.lines[j])) break;
      end = j + 1;
    }
    return std::pair{i, end};
  }
  return std::nullopt;
}

std::string key_text(std::string_view key) {
  for (char c : key)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
      return "\"" + std::string(key) + "\"";  // keys come from validated field names
  return std::string(key);
}

constexpr std::string_view bom = "\xEF\xBB\xBF";

// A byte order mark (Windows editors) is kept but not read as part of the first key.
std::optional<std::string> keep_bom(std::string_view text,
                                    std::optional<std::string> (*edit)(std::string_view,
                                                                       std::string_view,
                                                                       std::string_view),
                                    std::string_view key, std::string_view value) {
  if (!text.starts_with(bom)) return std::nullopt;
  auto out = edit(text.substr(bom.size()), key, value);
  if (out) out->insert(0, bom);
  return out;
}

std::optional<std::string> set_key(std::string_view text, std::string_view key,
                                   std::string_view value_yaml);
std::optional<std::string> remove_key(std::string_view text, std::string_view key,
                                      std::string_view);

}  // namespace

std::optional<std::string> set_top_level_key(std::string_view text, std::string_view key,
                                             std::string_view value_yaml) {
  if (text.starts_with(bom)) return keep_bom(text, set_key, key, value_yaml);
  return set_key(text, key, value_yaml);
}

std::optional<std::string> remove_top_level_key(std::string_view text, std::string_view key) {
  if (text.starts_with(bom)) return keep_bom(text, remove_key, key, {});
  return remove_key(text, key, {});
}

namespace {

std::optional<std::string> set_key(std::string_view text, std::string_view key,
                                   std::string_view value_yaml) {
  auto d = split(text);
  if (!d) return std::nullopt;
  if (auto at = find_key(*d, key)) {
    const std::string& line = d->lines[at->first];
    const auto k = parse_key(line);
    const auto c = comment_start(line, k->value_at);
    std::string tail = c == std::string::npos ? "" : line.substr(c);
    if (!tail.empty() && tail.back() == '\r') tail.pop_back();
    const bool crlf = !line.empty() && line.back() == '\r';
    std::string replaced = line.substr(0, k->value_at) + " " + std::string(value_yaml) + tail;
    if (crlf) replaced += '\r';
    d->lines.erase(d->lines.begin() + static_cast<long>(at->first) + 1,
                   d->lines.begin() + static_cast<long>(at->second));
    d->lines[at->first] = std::move(replaced);
  } else {
    if (!d->ends_with_newline && !d->lines.empty()) d->ends_with_newline = true;
    d->lines.push_back(key_text(key) + ": " + std::string(value_yaml));
    d->ends_with_newline = true;
  }
  return join(*d);
}

std::optional<std::string> remove_key(std::string_view text, std::string_view key,
                                      std::string_view) {
  auto d = split(text);
  if (!d) return std::nullopt;
  if (auto at = find_key(*d, key))
    d->lines.erase(d->lines.begin() + static_cast<long>(at->first),
                   d->lines.begin() + static_cast<long>(at->second));
  return join(*d);
}

}  // namespace

}  // namespace mc::config
