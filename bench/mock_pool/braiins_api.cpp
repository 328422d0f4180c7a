#include "bench/mock_pool/braiins_api.hpp"

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstdio>

#include "bench/mock_pool/synthetic.hpp"

namespace mc::mock_pool {
namespace {

namespace json = boost::json;

constexpr std::int64_t day = 86400;
constexpr double two_pow_32 = 4294967296.0;
// Braiins counts shares of one fixed difficulty, so the share counts follow the hash rate.
constexpr double share_difficulty = 128.0;
// A "low" worker delivers this fraction of its nominal rate (throttled, or chips dead).
constexpr double low_factor = 0.25;
constexpr std::int64_t payout_threshold_sats = 100000;
constexpr std::size_t max_daily_rewards = 30;
// FPPS: subsidy plus ~3 % fees, minus the pool's 2.5 % fee, at the mean BTC difficulty. A
// fixed price keeps every amount monotonic in time, across difficulty retargets too.
constexpr double fpps_factor = 1.03 * 0.975;

struct worker {
  std::size_t index;       // into account::profile.workers
  std::string_view state;  // ok, low, off, dis
  double factor;           // fraction of the profile's hash rate that reaches the pool
};

struct account {
  std::string username;
  wallet_profile profile;
  std::vector<worker> workers;
  bool bos_plus = false;
  std::int64_t since = 0;  // the earliest worker's first share
};

account account_for(std::string_view token, std::uint64_t seed) {
  static constexpr std::array<std::string_view, 5> names{"homeminer", "satstacker", "garage",
                                                         "heater", "solarminer"};
  const std::uint64_t h = hash_string(token, mix(seed, 0xb7a1125));
  account a;
  a.username = std::string(names[h % names.size()]) + std::to_string(1 + (h >> 8) % 900);
  a.profile = profile_for(seed, "braiins", token);
  a.bos_plus = (h >> 20) % 3 == 0;
  a.since = a.profile.workers.front().since;
  for (std::size_t i = 0; i < a.profile.workers.size(); ++i) {
    const auto& w = a.profile.workers[i];
    a.since = std::min(a.since, w.since);
    if (w.offline) {
      a.workers.push_back({i, mix(w.hash, 41) % 3 == 0 ? "dis" : "off", 0.0});
    } else if (mix(w.hash, 40) % 5 == 0) {
      a.workers.push_back({i, "low", low_factor});
    } else {
      a.workers.push_back({i, "ok", 1.0});
    }
  }
  return a;
}

double rate_hs(const account& a, const worker& w, std::int64_t from, std::int64_t to) {
  return w.factor * average_hashrate(a.profile.workers[w.index], from, to);
}

// Work over nested windows only grows, so shares_5m <= shares_60m <= shares_24h.
std::int64_t shares(const account& a, const worker& w, std::int64_t from, std::int64_t to) {
  const double hashes = rate_hs(a, w, from, to) * static_cast<double>(to - from);
  return static_cast<std::int64_t>(hashes / (share_difficulty * two_pow_32));
}

double btc_per_hash() {
  const coin_model& btc = *find_coin("btc");
  return static_cast<double>(btc.reward_sats) * fpps_factor / (btc.difficulty * two_pow_32);
}

double reward_sats(const account& a, std::int64_t from, std::int64_t to) {
  double hashes = 0;
  for (const auto& w : a.workers)
    hashes += rate_hs(a, w, from, to) * static_cast<double>(to - from);
  return hashes * btc_per_hash();
}

std::string btc_amount(double sats) {
  const long long whole = std::max(0LL, std::llround(sats));
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%08lld", whole / 100000000, whole % 100000000);
  return text;
}

double ghs(double hs) { return std::round(hs / 1e8) / 10.0; }  // Gh/s, one decimal

struct worker_numbers {
  double scoring = 0, r5m = 0, r60m = 0, r24h = 0, yesterday = 0;  // Gh/s
  std::int64_t s5m = 0, s60m = 0, s24h = 0, s_yesterday = 0;
  std::int64_t last_share = 0;
};

worker_numbers numbers(const account& a, const worker& w, std::int64_t now) {
  const auto& p = a.profile.workers[w.index];
  worker_numbers n;
  n.last_share = worker_at(p, now).last_beat;
  const std::int64_t today = now - now % day;
  n.scoring = ghs(rate_hs(a, w, now - 1800, now));
  n.r5m = ghs(rate_hs(a, w, now - 300, now));
  n.r60m = ghs(rate_hs(a, w, now - 3600, now));
  n.r24h = ghs(rate_hs(a, w, now - day, now));
  n.yesterday = ghs(rate_hs(a, w, today - day, today));
  n.s5m = shares(a, w, now - 300, now);
  n.s60m = shares(a, w, now - 3600, now);
  n.s24h = shares(a, w, now - day, now);
  n.s_yesterday = shares(a, w, today - day, today);
  return n;
}

std::string profile(const account& a, std::int64_t now, json::storage_ptr sp) {
  worker_numbers sum;
  int ok = 0, low = 0, off = 0, dis = 0;
  for (const auto& w : a.workers) {
    const auto n = numbers(a, w, now);
    sum.r5m += n.r5m;
    sum.r60m += n.r60m;
    sum.r24h += n.r24h;
    sum.yesterday += n.yesterday;
    sum.s5m += n.s5m;
    sum.s60m += n.s60m;
    sum.s24h += n.s24h;
    sum.s_yesterday += n.s_yesterday;
    ok += w.state == "ok";
    low += w.state == "low";
    off += w.state == "off";
    dis += w.state == "dis";
  }
  // Rewards are booked hourly, so "today" ends at the last full hour.
  const std::int64_t booked = now - now % 3600;
  const double all_time = reward_sats(a, a.since, booked);
  json::object btc(sp);
  btc["all_time_reward"] = btc_amount(all_time);
  btc["hash_rate_unit"] = "Gh/s";
  // Re-rounded: the sum of one-decimal values picks up binary noise.
  btc["hash_rate_5m"] = std::round(sum.r5m * 10.0) / 10.0;
  btc["hash_rate_60m"] = std::round(sum.r60m * 10.0) / 10.0;
  btc["hash_rate_24h"] = std::round(sum.r24h * 10.0) / 10.0;
  btc["hash_rate_yesterday"] = std::round(sum.yesterday * 10.0) / 10.0;
  btc["low_workers"] = low;
  btc["off_workers"] = off;
  btc["ok_workers"] = ok;
  btc["dis_workers"] = dis;
  btc["current_balance"] = btc_amount(std::fmod(std::round(all_time), payout_threshold_sats));
  btc["today_reward"] = btc_amount(reward_sats(a, now - now % day, booked));
  btc["estimated_reward"] = btc_amount(sum.r24h * 1e9 * day * btc_per_hash());
  btc["shares_5m"] = sum.s5m;
  btc["shares_60m"] = sum.s60m;
  btc["shares_24h"] = sum.s24h;
  btc["shares_yesterday"] = sum.s_yesterday;
  json::object o(sp);
  o["username"] = a.username;
  o["btc"] = std::move(btc);
  return json::serialize(o);
}

std::string workers(const account& a, std::int64_t now, json::storage_ptr sp) {
  json::object list(sp);
  for (const auto& w : a.workers) {
    const auto n = numbers(a, w, now);
    json::object o(sp);
    o["state"] = w.state;
    o["last_share"] = n.last_share;
    o["hash_rate_unit"] = "Gh/s";
    o["hash_rate_scoring"] = n.scoring;
    o["hash_rate_5m"] = n.r5m;
    o["hash_rate_60m"] = n.r60m;
    o["hash_rate_24h"] = n.r24h;
    o["shares_5m"] = n.s5m;
    o["shares_60m"] = n.s60m;
    o["shares_24h"] = n.s24h;
    list[a.username + "." + a.profile.workers[w.index].name] = std::move(o);
  }
  json::object btc(sp);
  btc["workers"] = std::move(list);
  json::object o(sp);
  o["btc"] = std::move(btc);
  return json::serialize(o);
}

// One entry per UTC day since the account's first share, newest first; today's entry runs
// up to the last booked hour, as the live API's does.
std::string rewards(const account& a, std::int64_t now, json::storage_ptr sp) {
  const std::int64_t booked = now - now % 3600;
  const std::int64_t first_day = a.since - a.since % day;
  json::array days(sp);
  for (std::int64_t d = now - now % day; d >= first_day && days.size() < max_daily_rewards;
       d -= day) {
    const std::int64_t end = std::min(d + day, booked);
    if (end <= d) continue;
    const long long total = std::llround(reward_sats(a, d, end));
    // BOS+ firmware gets a fee rebate, shown apart from the mining reward.
    const long long bos = a.bos_plus ? std::llround(static_cast<double>(total) * 0.0114) : 0;
    json::object o(sp);
    o["date"] = d;
    o["total_reward"] = btc_amount(static_cast<double>(total));
    o["mining_reward"] = btc_amount(static_cast<double>(total - bos));
    o["bos_plus_reward"] = bos == 0 ? "0" : btc_amount(static_cast<double>(bos));
    o["referral_bonus"] = "0";
    o["referral_reward"] = "0";
    o["calculation_date"] = end;
    days.push_back(std::move(o));
  }
  json::object btc(sp);
  btc["daily_rewards"] = std::move(days);
  json::object o(sp);
  o["btc"] = std::move(btc);
  return json::serialize(o);
}

}  // namespace

api_reply braiins_api::handle(const api_request& r) const {
  std::string_view rest = r.path;
  const bool accounts = next_segment(rest) == "accounts";
  const auto kind = next_segment(rest);
  if (!accounts || next_segment(rest) != "json" || next_segment(rest) != "btc" ||
      !(rest.empty() || rest == "/")) {
    return {404, error_body("not found"), {}};
  }
  std::string_view endpoint;
  if (kind == "profile") endpoint = "profile";
  if (kind == "workers") endpoint = "workers";
  if (kind == "rewards") endpoint = "rewards";
  if (endpoint.empty()) return {404, error_body("not found"), {}};

  auto token = r.header("Pool-Auth-Token");
  if (token.empty()) token = r.header("SlushPool-Auth-Token");
  if (token.empty()) {
    return {401, "Authentication credentials were not provided.", endpoint, text_type};
  }
  if (token.starts_with("bad")) return {403, "Invalid Access Profile token", endpoint, text_type};

  const account a = account_for(token, r.seed);
  const std::int64_t now = r.now_ms / 1000;
  std::array<unsigned char, 8192> buffer;
  json::monotonic_resource resource(buffer.data(), buffer.size());
  json::storage_ptr sp(&resource);
  if (endpoint == "profile") return {200, profile(a, now, sp), endpoint};
  if (endpoint == "workers") return {200, workers(a, now, sp), endpoint};
  return {200, rewards(a, now, sp), endpoint};
}

}  // namespace mc::mock_pool
