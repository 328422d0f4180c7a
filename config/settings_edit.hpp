// GET and PUT /api/settings: config.yaml as the API shows it (every wallet and secret masked)
// and a JSON merge patch applied to its text. Only the sections a request touches (wallets,
// api_keys, server) are rewritten, in flow style; every other line and comment stays.
//
//   PUT {"wallets": {"DGB": "dgb1...", "BCH": null}, "api_keys": {"braiins": "..."},
//        "server": {"api_token": "..."}}
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "config/pool_edit.hpp"
#include "config/settings.hpp"

namespace mc::config {

/// {"wallets": {COIN: "***abcd"}, "api_keys": {driver: "***abcd"},
///  "server": {"listen": "...", "api_token": "***abcd" | null, "api_token_set": bool},
///  "problems": [...]}
boost::json::object settings_json(const settings_result& s);

struct settings_text {
  std::string text;
  settings value;  // what the text holds
  std::vector<field_problem> problems;
};

/// `text` is config.yaml ("" when absent), `current` what it holds. Values sent back masked
/// ("***abcd") mean "unchanged"; null or "" removes an entry. The read-only fields of
/// settings_json (problems, server.api_token_set) are ignored, so a client may PUT what it got.
settings_text patch_settings_text(std::string_view text, const settings& current,
                                  const boost::json::object& patch);

}  // namespace mc::config
