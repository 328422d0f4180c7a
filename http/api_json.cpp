#include "http/api_json.hpp"

#include <boost/json.hpp>

#include "config/settings.hpp"
#include "http/tile_json.hpp"

namespace mc::codec {
namespace {

namespace js = boost::json;

js::array strings(const std::vector<std::string>& v) {
  js::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

js::value opt_time(const std::optional<std::int64_t>& t) {
  return t ? js::value(iso8601(*t)) : js::value(nullptr);
}

js::value opt_text(const std::string& s) { return s.empty() ? js::value(nullptr) : js::value(s); }

}  // namespace

js::object template_json(const config::pool_entry& pool) {
  const auto& c = pool.config;
  js::object o;
  o["pool_type"] = c.driver;
  o["pool_display_name"] = pool.driver_display_name;
  o["template_id"] = pool.pool_id;
  // An example file (pools/<id>.yaml.example) is a template only; a pool file also runs.
  o["example"] = pool.file.ends_with(".example");
  o["display_name"] = c.display_name;
  o["url"] = c.url;
  o["port"] = c.port;
  o["coin"] = c.coin;
  o["mining_model"] = c.mining_model;
  o["region"] = opt_text(c.region);
  o["requires_auth"] = c.requires_auth;
  o["supports_shares"] = c.supports_shares;
  o["supports_earnings"] = c.supports_earnings;
  o["supports_balance"] = c.supports_balance;
  o["description"] = c.description;
  o["fee_percent"] = c.fee_percent ? js::value(*c.fee_percent) : js::value(nullptr);
  return o;
}

js::object pool_json(const config::pool_entry& pool) {
  js::object o = template_json(pool);
  o.erase("template_id");
  o.erase("example");
  o.erase("pool_type");
  o.erase("pool_display_name");
  const auto& c = pool.config;
  o["pool_id"] = pool.pool_id;
  o["file"] = pool.file;
  o["status"] = config::to_string(pool.status);
  o["reasons"] = strings(pool.reasons);
  o["warnings"] = strings(pool.warnings);
  o["driver"] = c.driver;
  o["driver_display_name"] = opt_text(pool.driver_display_name);
  o["enabled"] = c.enabled;
  o["poll_interval_s"] = c.poll_interval_s;
  o["api_base_url"] = opt_text(c.api_base_url);
  o["wallet"] = opt_text(c.wallet);
  o["username"] = opt_text(c.username);
  o["api_token"] = opt_text(config::mask_secret(c.api_token));
  o["extra"] = c.extra;
  return o;
}

js::object drivers_json(const config::catalog& catalog) {
  js::array loaded;
  for (const auto& d : catalog.drivers) {
    js::object o;
    o["type"] = d.info.type;
    o["display_name"] = d.info.display_name;
    o["version"] = d.info.version;
    o["file"] = d.file;
    o["coins"] = strings(d.info.supported_coins);
    loaded.emplace_back(std::move(o));
  }
  js::array rejected;
  for (const auto& r : catalog.rejected_drivers)
    rejected.emplace_back(js::object{{"file", r.file}, {"reasons", strings(r.reasons)}});
  return {{"loaded", std::move(loaded)},
          {"rejected", std::move(rejected)},
          {"problems", strings(catalog.problems)}};
}

js::object dashboard_entry(const config::pool_entry& pool, const pool_view& view) {
  const auto& c = pool.config;
  mc::tile placeholder;
  placeholder.currency = c.coin;
  if (!view.runtime_message.empty())
    placeholder.health_message = view.runtime_message;
  else if (view.status == config::pool_status::disabled)
    placeholder.health_message = "disabled: not polled";
  else
    placeholder.health_message = "waiting for the first poll";

  mc::tile shown = view.tile ? *view.tile : placeholder;
  // A crash notice outranks the last poll's message: the numbers may be old, the notice is not.
  if (view.tile && !view.runtime_message.empty()) {
    shown.health_status = false;
    shown.health_message = view.runtime_message;
  }

  js::object o;
  o["pool_id"] = pool.pool_id;
  o["display_name"] = c.display_name;
  o["pool_type"] = c.driver;
  o["coin"] = c.coin;
  o["enabled"] = c.enabled;
  o["status"] = config::to_string(view.status);
  o["warnings"] = strings(pool.warnings);
  for (auto& [k, v] : tile_groups(shown)) o[k] = std::move(v);
  o["last_updated"] = opt_time(view.last_updated);
  o["last_success"] = opt_time(view.last_success);
  o["stale"] = view.stale;
  return o;
}

}  // namespace mc::codec
