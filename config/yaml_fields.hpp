// Typed reads of YAML mapping fields that record a problem (with the field's line) instead of
// throwing or silently substituting a default, as yaml-cpp's as<T>(fallback) would.
#pragma once

#include <yaml-cpp/yaml.h>

#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/problem.hpp"

namespace mc::config {

/// One `key: value` line of a flat file.
struct flat_field {
  std::string key;
  int line = 0;  // 1-based
  std::string value;
};

/// The quick way through the files nearly everyone has (generated ones, the examples): one
/// `key: value` per line, plain ASCII values, comments and blank lines. yaml-cpp's scanner is
/// most of the cost of 10 000 pool files at start-up. Anything else (indentation, quotes,
/// lists, tags, anchors, empty or null values, a '#' in a value, duplicate keys, tabs, CR,
/// non-ASCII, document markers) is nullopt, and the caller takes load_yaml: every problem
/// text then comes from the one path that has always made it. Where this accepts a text,
/// yaml-cpp reads the same keys, lines and values (test/config/flat_yaml_test, fuzz_pool_config).
std::optional<std::vector<flat_field>> parse_flat_yaml(std::string_view text);

class yaml_fields {
 public:
  /// Reads the top-level mapping; duplicate and non-scalar keys become problems.
  yaml_fields(const YAML::Node& map, std::string file, std::vector<problem>& problems);
  /// The same for a mapping parse_flat_yaml read (no duplicates, only text values).
  yaml_fields(const std::vector<flat_field>& map, std::string file, std::vector<problem>& problems);

  bool has(const std::string& key) const { return fields_.count(key) > 0; }
  int line(const std::string& key) const;
  const std::map<std::string, int>& lines() const { return lines_; }

  std::optional<std::string> text(const std::string& key, bool required);
  std::optional<long long> whole(const std::string& key, bool required, long long lo, long long hi);
  std::optional<double> number(const std::string& key, double lo, double hi);
  std::optional<bool> flag(const std::string& key);
  /// Every key not read by the calls above, as JSON. Past yaml_value_budget values in all
  /// (an alias bomb), the remaining keys are reported instead.
  std::map<std::string, boost::json::value> rest();

  void report(const std::string& key, std::string reason);

 private:
  const YAML::Node* scalar(const std::string& key, bool required, const char* what);

  std::string file_;
  std::vector<problem>& problems_;
  std::map<std::string, YAML::Node> fields_;
  std::map<std::string, int> lines_;
  std::map<std::string, bool> used_;
  int map_line_ = 1;
};

/// The length of the longest prefix of `s` that is valid UTF-8 (s.size() when all of it is).
std::size_t utf8_valid_prefix(std::string_view s);

/// Parses a YAML document; a syntax error or bytes that are not UTF-8 become a problem with
/// its line and nullopt.
std::optional<YAML::Node> load_yaml(const std::string& file, std::string_view text,
                                    std::vector<problem>& problems);

/// Values yaml_to_json converts at most per document. YAML aliases share one node in memory
/// but are copied out each time they are used: nine nested levels of ten aliases each ("billion
/// laughs") are a few hundred bytes of YAML and 10^9 JSON values. Pool files hold a few dozen.
inline constexpr std::size_t yaml_value_budget = 10000;

/// A YAML node as JSON: true/false, whole numbers and decimals by their look, else strings.
/// Every converted node (each use of an alias again) takes one from `budget`; nullopt once it
/// is used up, so callers share one budget across a document.
std::optional<boost::json::value> yaml_to_json(const YAML::Node& node, std::size_t& budget);

/// The problem text for a document past yaml_value_budget.
std::string too_many_values_text();

}  // namespace mc::config
