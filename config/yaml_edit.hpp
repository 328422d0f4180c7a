// Edits top-level keys of a hand-written YAML mapping in place, so an API update of a pool file
// keeps the user's comments, order and layout everywhere it does not touch.
//
//   auto text = set_top_level_key(text, "port", "3334");  // "port: 3333  # EU" -> "port: 3334  #
//   EU" text = remove_top_level_key(*text, "region");
//
// A value is written as JSON, which is valid YAML flow syntax ("text" quoted and escaped).
// Returns nullopt when the file is not a plain block mapping at column 0 (flow style, several
// documents, anchors): the caller then writes the file anew. The caller must re-parse the result
// and check it, as the edit works on lines, not on a YAML tree.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mc::config {

/// Replaces the value of `key` (its line and any more-indented continuation lines) by
/// `value_yaml`, keeping a trailing comment on the key's line; appends `key: value` when absent.
std::optional<std::string> set_top_level_key(std::string_view text, std::string_view key,
                                             std::string_view value_yaml);

/// Removes `key` with its continuation lines; the text unchanged when the key is absent.
std::optional<std::string> remove_top_level_key(std::string_view text, std::string_view key);

}  // namespace mc::config
