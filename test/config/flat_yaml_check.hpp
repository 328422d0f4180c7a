// Where parse_flat_yaml takes a text, yaml-cpp must read the same mapping from it: the same
// keys in the same order, on the same lines, with the same text values and the mapping's line.
// Shared by the unit test (random texts) and fuzz_pool_config (the fuzzer's texts).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "config/yaml_fields.hpp"

namespace mc::test {

/// Empty when both agree or the quick path declines the text; else what differs.
inline std::string flat_yaml_mismatch(std::string_view text) {
  const auto flat = mc::config::parse_flat_yaml(text);
  if (!flat) return "";
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return "yaml-cpp refuses a text the quick path took: " + e.msg;
  }
  if (!root.IsMap()) return "yaml-cpp reads no mapping";
  if (root.size() != flat->size()) return "yaml-cpp reads " + std::to_string(root.size()) + " keys";
  if (root.Mark().line + 1 != flat->front().line) return "the mapping's line differs";
  std::size_t i = 0;
  for (auto it = root.begin(); it != root.end(); ++it, ++i) {
    const auto& f = (*flat)[i];
    if (!it->first.IsScalar() || it->first.Scalar() != f.key) return "key " + f.key + " differs";
    if (it->first.Mark().line + 1 != f.line) return "line of " + f.key + " differs";
    if (!it->second.IsScalar() || it->second.Scalar() != f.value || it->second.Tag() == "!")
      return "value of " + f.key + " differs: \"" + f.value + "\"";
  }
  return "";
}

}  // namespace mc::test
