#include "actors/pool_record.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "http/api_json.hpp"

namespace mc::actors {

// Exact size: serialize() leaves up to half of its string unused, and a part keeps its entry
// for as long as the pool does not change.
std::string pool_record::encode_dashboard() const {
  codec::pool_view view;
  view.tile = facts_.shown.get();
  view.last_updated = facts_.last_updated;
  view.last_success = facts_.last_success;
  view.stale = facts_.stale;
  view.status = facts_.runtime_status;
  view.runtime_message = facts_.runtime_message;
  auto text = boost::json::serialize(codec::dashboard_entry(*facts_.entry, view));
  text.shrink_to_fit();
  return text;
}

// A pool's series. Its numbers only while it is up: old numbers never pass for current ones.
// A disabled pool is never polled: it has no series.
std::optional<http::metrics::pool_lines> pool_record::encode_metrics() const {
  const auto& f = facts_;
  if (!f.entry->config.enabled) return std::nullopt;
  http::metrics::pool_sample m;
  m.pool_id = f.entry->pool_id;
  m.driver = f.entry->config.driver;
  m.coin = f.entry->config.coin;
  m.up = f.shown && f.shown->health_status && !f.stale;
  if (m.up) {
    if (f.shown->user_hashrate) m.hashrate_hs = f.shown->user_hashrate->hs();
    m.workers = f.shown->active_workers;
    m.shares_valid = f.shown->shares_valid;
    m.shares_invalid = f.shown->shares_invalid;
    m.shares_stale = f.shown->shares_stale;
  }
  // Whole microseconds: "0.001876", not the "0.0018759999999999998" of a plain division.
  if (f.shown && f.shown->latency_ms)
    m.poll_latency_s = std::round(*f.shown->latency_ms * 1000.0) / 1e6;
  m.last_success = f.last_success;
  m.polls = f.polls;
  if (f.poll_errors) m.errors = *f.poll_errors;
  return http::metrics::render_pool(m);
}

}  // namespace mc::actors
