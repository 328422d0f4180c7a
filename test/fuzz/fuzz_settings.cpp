// config.yaml: any text gives settings or problems, and what GET /api/settings shows of it
// never holds a secret in the clear.
#include <algorithm>
#include <boost/json.hpp>
#include <miner_controller/utf8.hpp>
#include <string>

#include "config/settings.hpp"
#include "config/settings_edit.hpp"
#include "test/fuzz/fuzz_target.hpp"

namespace {

// `text` with every occurrence of `secret` replaced by as many letters that are not in it.
std::string replaced(std::string_view text, const std::string& secret) {
  const char letter = secret.find('Q') == std::string::npos ? 'Q' : 'Z';
  std::string out{text};
  for (auto at = out.find(secret); at != std::string::npos;
       at = out.find(secret, at + secret.size()))
    out.replace(at, secret.size(), secret.size(), letter);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using mc::fuzz::require;
  const auto text = mc::fuzz::as_text(data, size);
  const auto r = mc::config::parse_settings("config.yaml", text);
  for (const auto& p : r.problems) require(!p.reason.empty(), "every problem says what is wrong");
  if (r.readable)
    require(mc::first_invalid_utf8(text) == std::string_view::npos,
            "a readable config.yaml is UTF-8 (its values reach JSON answers)");
  const auto shown = mc::config::settings_json(r);
  const auto& keys = shown.at("api_keys").as_object();
  for (const auto& [driver, secret] : r.value.api_keys) {
    const auto* v = keys.if_contains(driver);
    require(v && v->is_string() && v->as_string() == mc::config::mask_secret(secret),
            "every api key is shown masked");
  }
  const auto& token = shown.at("server").as_object().at("api_token");
  require(r.value.api_token.empty() ? token.is_null()
                                    : token == mc::config::mask_secret(r.value.api_token).c_str(),
          "server.api_token is shown masked");
  // A problem about a secret's own field never quotes the value (another field's problem may
  // quote its value, which can contain a secret's text by chance). A short secret can also be
  // part of a problem's fixed wording ("y (ke" in "duplicate key (keys ignore case)"): so the
  // text is parsed again with the secret replaced by letters of the same length, and as many
  // reasons must still hold the secret's text: a reason that quoted it no longer would.
  const auto quoting = [](const mc::config::settings_result& s, const std::string& secret) {
    return std::count_if(s.problems.begin(), s.problems.end(), [&](const auto& p) {
      return (p.field.starts_with("api_keys") || p.field == "server.api_token") &&
             p.reason.find(secret) != std::string::npos;
    });
  };
  for (const auto& [driver, secret] : r.value.api_keys) {
    if (secret.size() < 4) continue;
    const auto n = quoting(r, secret);
    if (n == 0) continue;
    const auto other = mc::config::parse_settings("config.yaml", replaced(text, secret));
    // When the replacement changes which problems there are (the secret's text was part of
    // the structure too), the two cannot be compared and the input proves nothing.
    const auto same_place = [](const auto& a, const auto& b) {
      return a.line == b.line && a.field == b.field;
    };
    if (!std::equal(r.problems.begin(), r.problems.end(), other.problems.begin(),
                    other.problems.end(), same_place))
      continue;
    require(quoting(other, secret) == n, "problems never quote a secret");
  }
  return 0;
}
