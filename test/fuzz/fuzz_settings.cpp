// config.yaml: any text gives settings or problems, and what GET /api/settings shows of it
// never holds a secret in the clear.
#include <boost/json.hpp>
#include <miner_controller/utf8.hpp>

#include "config/settings.hpp"
#include "config/settings_edit.hpp"
#include "test/fuzz/fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using mc::fuzz::require;
  const auto r = mc::config::parse_settings("config.yaml", mc::fuzz::as_text(data, size));
  for (const auto& p : r.problems) require(!p.reason.empty(), "every problem says what is wrong");
  if (r.readable)
    require(mc::first_invalid_utf8(mc::fuzz::as_text(data, size)) == std::string_view::npos,
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
  // quote its value, which can contain a secret's text by chance).
  for (const auto& p : r.problems) {
    if (!p.field.starts_with("api_keys") && p.field != "server.api_token") continue;
    for (const auto& [driver, secret] : r.value.api_keys)
      if (secret.size() >= 4)
        require(p.reason.find(secret) == std::string::npos, "problems never quote a secret");
  }
  return 0;
}
