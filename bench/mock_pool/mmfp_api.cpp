#include "bench/mock_pool/mmfp_api.hpp"

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

#include "bench/mock_pool/synthetic.hpp"

namespace mc::mock_pool {
namespace {

namespace json = boost::json;

constexpr std::int64_t day = 86400;
constexpr double two_pow_32 = 4294967296.0;
constexpr std::string_view version = "1.6.2";

struct route {
  std::string_view instance;
  std::string_view coin;      // upper case as in the path; empty for health
  std::string_view endpoint;  // health, pool, miners
};

// Matches "/api/v1/..." exactly; the instance prefix is tried by the caller.
std::optional<route> match(std::string_view rest) {
  if (next_segment(rest) != "api" || next_segment(rest) != "v1") return std::nullopt;
  const auto first = next_segment(rest);
  if (first == "health" && rest.empty()) return route{{}, {}, "health"};
  if (first.empty() || next_segment(rest) != "metrics") return std::nullopt;
  const auto kind = next_segment(rest);
  if (!rest.empty()) return std::nullopt;
  if (kind == "pool") return route{{}, first, "pool"};
  if (kind == "miners") return route{{}, first, "miners"};
  return std::nullopt;
}

const coin_model* upper_case_coin(std::string_view coin) {
  std::string lower;
  for (char c : coin) {
    if (c >= 'a' && c <= 'z') return nullptr;
    lower += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return find_coin(lower);
}

// The pool process started before any of its miners (those start up to 30 days back).
std::int64_t pool_start(std::uint64_t seed) {
  return reference_time - 30 * day -
         3600 * static_cast<std::int64_t>(1 + hash_string("mmfp-start", seed) % 48);
}

std::string iso_time(std::int64_t t) {
  using namespace std::chrono;
  const sys_seconds at{seconds{t}};
  const auto date = floor<days>(at);
  const year_month_day ymd{date};
  const hh_mm_ss clock{at - date};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return text;
}

// A payout address in the coin's usual form, stable per pool.
std::string address(const coin_model& coin, std::uint64_t h) {
  static constexpr std::string_view bech32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  std::string out = coin.symbol == "bch" ? "qz" : coin.symbol == "dgb" ? "dgb1q" : "bc1q";
  const std::size_t length = coin.symbol == "bch" ? 40 : 38;
  for (std::size_t i = 0; i < length; ++i) out += bech32[mix(h, i) % bech32.size()];
  return out;
}

std::string_view user_agent(const worker_profile& w) {
  return w.name.starts_with("bitaxe") ? "bitaxe/BM1370/v2.5.0" : "NerdQAxe++/BM1370/v1.0.30";
}

std::string time_to_block(double seconds) {
  struct unit {
    double seconds;
    const char* name;
  };
  static constexpr std::array<unit, 4> units{
      {{365.25 * day, "years"}, {day, "days"}, {3600, "hours"}, {60, "minutes"}}};
  char text[48];
  for (const auto& u : units) {
    if (seconds >= u.seconds) {
      std::snprintf(text, sizeof text, "%.1f %s", seconds / u.seconds, u.name);
      return text;
    }
  }
  std::snprintf(text, sizeof text, "%.0f seconds", seconds);
  return text;
}

double window_hashrate(const wallet_profile& p, std::int64_t now, std::int64_t window) {
  double sum = 0;
  for (const auto& w : p.workers) sum += average_hashrate(w, now - window, now);
  return std::round(sum);
}

std::string health(std::uint64_t seed, std::int64_t now, json::storage_ptr sp) {
  json::object o(sp);
  o["status"] = "ok";
  o["version"] = version;
  o["uptime"] = std::max<std::int64_t>(0, now - pool_start(seed));
  return json::serialize(o);
}

std::string pool(const coin_model& coin, std::string_view symbol, const wallet_profile& p,
                 const api_request& r, json::storage_ptr sp) {
  const std::int64_t now = r.now_ms / 1000;
  json::object rates(sp);
  rates["1m"] = window_hashrate(p, now, 60);
  rates["5m"] = window_hashrate(p, now, 300);
  rates["15m"] = window_hashrate(p, now, 900);
  rates["1h"] = window_hashrate(p, now, 3600);
  const double pool_hs = rates["5m"].as_double();
  int active = 0;
  std::uint64_t valid = 0, invalid = 0, stale = 0;
  std::uint64_t valid_1m = 0, invalid_1m = 0, valid_5m = 0, invalid_5m = 0;
  for (const auto& w : p.workers) {
    active += !w.offline;
    const auto s = worker_at(w, now);
    const auto m1 = worker_at(w, now - 60);
    const auto m5 = worker_at(w, now - 300);
    valid += s.shares_valid;
    invalid += s.shares_invalid;
    stale += s.shares_stale;
    valid_1m += s.shares_valid - m1.shares_valid;
    invalid_1m += s.shares_invalid - m1.shares_invalid;
    valid_5m += s.shares_valid - m5.shares_valid;
    invalid_5m += s.shares_invalid - m5.shares_invalid;
  }
  json::object shares(sp);
  shares["valid"] = valid;
  shares["invalid"] = invalid;
  shares["stale"] = stale;
  shares["total"] = valid + invalid + stale;
  shares["1m"] = json::object({{"valid", valid_1m}, {"invalid", invalid_1m}}, sp);
  shares["5m"] = json::object({{"valid", valid_5m}, {"invalid", invalid_5m}}, sp);
  // The network is the same for every pool instance: only the mock's seed moves it.
  const auto net = network_at(coin, r.seed, now);
  json::object network(sp);
  network["network_difficulty"] = std::round(net.difficulty);
  network["network_hashrate"] = std::round(net.hashrate_hs);
  network["pool_percentage"] = pool_hs / net.hashrate_hs * 100.0;
  network["estimated_time_to_block"] =
      pool_hs > 0 ? time_to_block(net.difficulty * two_pow_32 / pool_hs) : "never";
  json::object o(sp);
  o["coin"] = symbol;
  o["hashrate"] = std::move(rates);
  o["active_miners"] = active;
  o["blocks_found"] = p.blocks_found;
  o["shares"] = std::move(shares);
  o["network_comparison"] = std::move(network);
  return json::serialize(o);
}

std::string miners(const coin_model& coin, const wallet_profile& p, const api_request& r,
                   std::uint64_t seed, json::storage_ptr sp) {
  const std::int64_t now = r.now_ms / 1000;
  const std::string payout = address(coin, hash_string(coin.symbol, mix(seed, 0xadd7)));
  json::array list(sp);
  for (const auto& w : p.workers) {
    const auto s = worker_at(w, now);
    // The best of n shares at difficulty d is about n * d; it only grows with n.
    const double share_difficulty = w.base_hs * w.share_interval_s / two_pow_32;
    const double luck = 0.5 + 1.5 * unit(mix(w.hash, 50));
    const std::int64_t best_at =
        w.offline ? w.last_seen
                  : w.since + static_cast<std::int64_t>(
                                  static_cast<double>(std::max<std::int64_t>(0, now - w.since)) *
                                  unit(mix(w.hash, 51)));
    const auto net_then = network_at(coin, r.seed, best_at);
    json::object o(sp);
    o["worker_name"] = payout + "." + w.name;
    o["is_active"] = !w.offline;
    o["current_user_agent"] = user_agent(w);
    o["current_hashrate"] = std::round(s.hashrate_hs);
    o["current_valid_shares"] = s.shares_valid;
    o["current_invalid_shares"] = s.shares_invalid;
    o["best_share_difficulty"] =
        std::round(share_difficulty * static_cast<double>(s.shares_valid) * luck);
    o["best_share_network_difficulty"] = std::round(net_then.difficulty);
    o["best_share_block_height"] = net_then.height;
    o["last_seen_at"] = iso_time(s.last_beat);
    list.push_back(std::move(o));
  }
  json::object o(sp);
  o["workers"] = std::move(list);
  return json::serialize(o);
}

}  // namespace

api_reply mmfp_api::handle(const api_request& r) const {
  auto found = match(r.path);
  if (!found) {
    std::string_view rest = r.path;
    const auto instance = next_segment(rest);
    if (!instance.empty()) found = match(rest);
    if (found) found->instance = instance;
  }
  if (!found) return {404, error_body("not found"), {}};
  const std::uint64_t seed = instance_seed(found->instance, r.seed);
  std::array<unsigned char, 8192> buffer;
  json::monotonic_resource resource(buffer.data(), buffer.size());
  json::storage_ptr sp(&resource);
  if (found->endpoint == "health") return {200, health(seed, r.now_ms / 1000, sp), "health"};

  const coin_model* coin = upper_case_coin(found->coin);
  if (coin == nullptr) return {404, error_body("unknown coin"), {}};
  const auto miners_of_pool = profile_for(seed, coin->symbol, "mmfp-local-pool");
  if (found->endpoint == "pool") {
    return {200, pool(*coin, found->coin, miners_of_pool, r, sp), "pool"};
  }
  return {200, miners(*coin, miners_of_pool, r, seed, sp), "miners"};
}

}  // namespace mc::mock_pool
