// The text of a pool file written through the API (POST/PUT /api/pools): a JSON merge patch
// applied to the file's YAML (null removes a key, any other value sets it). Untouched lines and
// comments stay as the user wrote them; a file that is not a plain block mapping is written
// anew in the canonical order (the answer then says `normalised`). The result is not validated
// here: the caller parses it with the same code as a file.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace mc::config {

struct field_problem {
  std::string field;  // "port", "" for the whole request
  std::string message;
};

struct pool_text {
  std::string text;
  bool normalised = false;  // comments and layout were not kept
  std::vector<field_problem> problems;
};

/// Applies `patch` to `text`. Keys of the request, not of the file (pool_id, from_template) are
/// skipped; so is an api_token sent back masked ("***1234"), which means "unchanged".
pool_text patch_pool_text(std::string_view text, const boost::json::object& patch);

/// Problems with the names of `fields` (they become YAML keys as they are).
std::vector<field_problem> field_name_problems(const boost::json::object& fields);

/// A new file from fields, in DESIGN §1 order, under `header` (comment lines without '#').
std::string new_pool_text(const boost::json::object& fields, std::string_view header);

/// The leading comment block of a file removed: a template's "rename this file" notes do not
/// belong in the pool made from it.
std::string without_leading_comments(std::string_view text);

}  // namespace mc::config
