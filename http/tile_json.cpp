#include "http/tile_json.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <miner_controller/utf8.hpp>

namespace mc::codec {
namespace {

namespace js = boost::json;

template <class T>
js::value opt(const std::optional<T>& v) {
  if (!v) return nullptr;
  return js::value(*v);
}

// A driver is outside code: a number it could not know is unknown (null), never inf or NaN,
// which JSON cannot carry.
js::value opt(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return js::value(*v);
}

js::value text(const std::string& s) { return js::value(mc::valid_utf8(s)); }

js::value opt_time(const std::optional<std::int64_t>& v) {
  if (!v) return nullptr;
  return js::value(iso8601(*v));
}

constexpr double two_pow_32 = 4294967296.0;

}  // namespace

std::string format_time_to_block(double seconds) {
  constexpr double hour = 3600, day = 86'400, year = 365 * day;
  auto whole = [](double v, const char* unit) {
    return std::to_string(static_cast<long long>(std::floor(v))) + " " + unit;
  };
  if (seconds < hour) return whole(seconds / 60, "minutes");
  if (seconds < day) return whole(seconds / hour, "hours");
  if (seconds < year) return whole(seconds / day, "days");
  // Truncate, not round: 18.69 years is "18.6 years", never an optimistic "18.7".
  double tenths = std::floor(seconds / year * 10);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f years", tenths / 10);
  return buf;
}

std::string iso8601(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

derived_fields derive(const tile& t) {
  derived_fields d;
  const double user_hs = t.user_hashrate ? t.user_hashrate->hs() : 0;
  // Only finite, non-negative inputs give a derived field: a pool's nonsense (a negative
  // difficulty, a rate of 1e-300 H/s) must not become inf, NaN or an overflowing cast.
  if (t.network_difficulty && *t.network_difficulty > 0 && t.user_hashrate && user_hs > 0) {
    const double seconds = *t.network_difficulty * two_pow_32 / user_hs;
    if (std::isfinite(seconds)) {
      d.seconds_to_block = seconds;
      d.time_to_block = format_time_to_block(seconds);
    }
  }
  if (t.user_hashrate && t.network_hashrate && t.network_hashrate->hs() > 0) {
    const double percent = 100 * user_hs / t.network_hashrate->hs();
    if (std::isfinite(percent) && percent >= 0) d.pool_percentage = percent;
  }
  if (t.shares_valid) {
    // In double: counts come from drivers and may be anything up to INT64_MAX.
    const double bad = static_cast<double>(t.shares_invalid.value_or(0)) +
                       static_cast<double>(t.shares_stale.value_or(0));
    const double sum = static_cast<double>(*t.shares_valid) + bad;
    // Invalid unknown means the rate is unknown, not 0 %; stale alone may be missing.
    if (sum > 0 && bad >= 0 && t.shares_invalid) d.reject_rate = 100.0 * bad / sum;
  }
  return d;
}

js::object tile_fields(const tile& t) {
  const auto d = derive(t);
  js::object o;
  o["health_status"] = t.health_status;
  o["health_message"] = text(t.health_message);
  o["latency_ms"] = opt(t.latency_ms);
  o["network_difficulty"] = opt(t.network_difficulty);
  o["pool_hashrate"] = opt(t.user_hashrate ? std::optional(t.user_hashrate->ths()) : std::nullopt);
  o["pool_hashrate_hs"] =
      opt(t.user_hashrate ? std::optional(t.user_hashrate->hs()) : std::nullopt);
  o["estimated_seconds_to_block"] = opt(d.seconds_to_block);
  o["estimated_time_to_block"] = opt(d.time_to_block);
  o["pool_percentage"] = opt(d.pool_percentage);
  o["active_workers"] = opt(t.active_workers);
  o["shares_valid"] = opt(t.shares_valid);
  o["shares_invalid"] = opt(t.shares_invalid);
  o["shares_stale"] = opt(t.shares_stale);
  o["reject_rate"] = opt(d.reject_rate);
  o["accepted_difficulty"] = opt(t.accepted_difficulty);
  o["blocks_found_24h"] = opt(t.blocks_found_24h);
  o["last_block_found"] = opt_time(t.last_block_found);
  o["currency"] = t.currency.empty() ? js::value(nullptr) : text(t.currency);
  o["confirmed_balance"] = opt(t.confirmed_balance);
  o["pending_balance"] = opt(t.pending_balance);
  o["estimated_earnings_24h"] = opt(t.estimated_earnings_24h);
  o["best_share"] = opt(t.best_share);
  return o;
}

js::object tile_groups(const tile& t) {
  js::object flat = tile_fields(t);
  auto pick = [&](std::initializer_list<const char*> keys) {
    js::object g;
    for (const char* k : keys) g[k] = flat[k];
    return g;
  };
  js::object o;
  o["tile_1_health"] = pick({"health_status", "health_message", "latency_ms"});
  o["tile_2_network"] =
      pick({"network_difficulty", "pool_hashrate", "pool_hashrate_hs", "estimated_seconds_to_block",
            "estimated_time_to_block", "pool_percentage", "active_workers"});
  o["tile_3_shares"] = pick(
      {"shares_valid", "shares_invalid", "shares_stale", "reject_rate", "accepted_difficulty"});
  o["tile_4_blocks"] =
      pick({"blocks_found_24h", "last_block_found", "currency", "confirmed_balance",
            "pending_balance", "estimated_earnings_24h", "best_share"});
  return o;
}

}  // namespace mc::codec
