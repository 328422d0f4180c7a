#include "bench/mock_pool/ckpool_api.hpp"

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstdio>
#include <optional>

#include "bench/mock_pool/synthetic.hpp"

namespace mc::mock_pool {
namespace {

namespace json = boost::json;

constexpr std::int64_t day = 86400;
constexpr double two_pow_32 = 4294967296.0;

struct route {
  std::string_view endpoint;  // status, user
  std::string_view wallet;
  std::string_view instance;
};

// Matches the paths without the instance prefix; the caller tries that next.
std::optional<route> match(std::string_view rest) {
  const auto first = next_segment(rest);
  if (first == "pool") {
    if (next_segment(rest) == "pool.status" && rest.empty()) return route{"status", {}, {}};
    return std::nullopt;
  }
  if (first == "users") {
    const auto wallet = next_segment(rest);
    if (!wallet.empty() && rest.empty()) return route{"user", wallet, {}};
  }
  return std::nullopt;
}

// ckpool's suffix_string with three significant digits, except that a value rounding up to
// 1000 takes the next suffix: ckpool would print "1e+03G" there.
std::string si(double hs) {
  static constexpr std::array<const char*, 8> suffixes{"", "K", "M", "G", "T", "P", "E", "Z"};
  std::size_t i = 0;
  while (hs >= 999.5 && i + 1 < suffixes.size()) {
    hs /= 1000.0;
    ++i;
  }
  char text[32];
  if (i == 0) {
    std::snprintf(text, sizeof text, "%d", static_cast<int>(std::max(0.0, hs)));
  } else {
    std::snprintf(text, sizeof text, "%.3g%s", hs, suffixes[i]);
  }
  return text;
}

// Dividing last gives the double nearest to the decimal, so it prints short.
double round_to(double v, double per_unit) { return std::round(v * per_unit) / per_unit; }

// The last restart of the ckpool process; users and their counters survive it (ckpool
// reloads them), the pool-wide counters start again.
std::int64_t pool_start(std::uint64_t seed) {
  return reference_time - 2 * day -
         3600 * static_cast<std::int64_t>(1 + hash_string("ckpool-start", seed) % 48);
}

// vardiff settles where a worker sends one share per share_interval_s.
double share_difficulty(const worker_profile& w) {
  return w.base_hs * w.share_interval_s / two_pow_32;
}

struct worker_numbers {
  std::array<double, 7> hashrate{};  // H/s over the windows below
  std::int64_t last_share = 0;
  double shares = 0;     // difficulty-weighted, since the worker's start
  double accepted = 0;   // difficulty-weighted, since the pool's restart
  double rejected = 0;   // same
  double bestshare = 0;  // since the pool's restart
  double bestever = 0;
  double sps[4] = {};  // shares per second over 1m, 5m, 15m, 1h
};

constexpr std::array<std::int64_t, 7> windows{60, 300, 900, 3600, 6 * 3600, day, 7 * day};

worker_numbers numbers(const worker_profile& w, std::int64_t now, std::int64_t restart) {
  worker_numbers n;
  const auto s = worker_at(w, now);
  const auto r = worker_at(w, std::min(now, restart));
  const double d = share_difficulty(w);
  for (std::size_t i = 0; i < windows.size(); ++i) {
    n.hashrate[i] = average_hashrate(w, now - windows[i], now);
  }
  for (std::size_t i = 0; i < 4; ++i) n.sps[i] = n.hashrate[i] / (d * two_pow_32);
  n.last_share = s.last_beat;
  n.shares = std::round(d * static_cast<double>(s.shares_valid));
  n.accepted = std::round(d * static_cast<double>(s.shares_valid - r.shares_valid));
  n.rejected = std::round(d * static_cast<double>(s.shares_invalid - r.shares_invalid));
  // The best of n shares at difficulty d is about n * d, so both only grow with n.
  const double luck = 0.5 + 1.5 * unit(mix(w.hash, 60));
  n.bestshare = round_to(d * static_cast<double>(s.shares_valid - r.shares_valid) * luck, 10);
  n.bestever = std::round(d * static_cast<double>(s.shares_valid) * luck);
  return n;
}

std::string user(std::string_view wallet, std::uint64_t seed, std::int64_t now,
                 json::storage_ptr sp) {
  const auto profile = profile_for(seed, "ckpool", wallet);
  const std::int64_t restart = pool_start(seed);
  worker_numbers sum;
  std::int64_t authorised = now;
  int count = 0;
  json::array list(sp);
  for (const auto& w : profile.workers) {
    if (w.offline) continue;  // ckpool drops a worker from the user file once it disconnects
    const auto n = numbers(w, now, restart);
    json::object o(sp);
    o["workername"] = std::string(wallet) + "." + w.name;
    o["hashrate1m"] = si(n.hashrate[0]);
    o["hashrate5m"] = si(n.hashrate[1]);
    o["hashrate1hr"] = si(n.hashrate[3]);
    o["hashrate1d"] = si(n.hashrate[5]);
    o["hashrate7d"] = si(n.hashrate[6]);
    o["lastshare"] = n.last_share;
    o["shares"] = static_cast<std::int64_t>(n.shares);
    o["bestshare"] = n.bestshare;
    o["bestever"] = static_cast<std::int64_t>(n.bestever);
    list.push_back(std::move(o));
    for (std::size_t i = 0; i < windows.size(); ++i) sum.hashrate[i] += n.hashrate[i];
    sum.last_share = std::max(sum.last_share, n.last_share);
    sum.shares += n.shares;
    sum.bestshare = std::max(sum.bestshare, n.bestshare);
    sum.bestever = std::max(sum.bestever, n.bestever);
    authorised = std::min(authorised, w.since);
    ++count;
  }
  json::object o(sp);
  o["hashrate1m"] = si(sum.hashrate[0]);
  o["hashrate5m"] = si(sum.hashrate[1]);
  o["hashrate1hr"] = si(sum.hashrate[3]);
  o["hashrate1d"] = si(sum.hashrate[5]);
  o["hashrate7d"] = si(sum.hashrate[6]);
  o["lastshare"] = sum.last_share;
  o["workers"] = count;
  o["shares"] = static_cast<std::int64_t>(sum.shares);
  o["bestshare"] = sum.bestshare;
  o["bestever"] = static_cast<std::int64_t>(sum.bestever);
  o["authorised"] = authorised;
  o["worker"] = std::move(list);
  return json::serialize(o);
}

// The pool's users are wallets "pool-user-0".."pool-user-2" (1-3 of them), so
// /users/pool-user-0 shows one of the users counted here.
std::string status(std::uint64_t seed, std::int64_t now, json::storage_ptr sp) {
  const std::int64_t restart = pool_start(seed);
  const int users = 1 + static_cast<int>(hash_string("ckpool-users", seed) % 3);
  worker_numbers sum;
  int workers = 0, idle = 0;
  double difficulty_sum = 0;
  for (int u = 0; u < users; ++u) {
    const auto profile = profile_for(seed, "ckpool", "pool-user-" + std::to_string(u));
    for (const auto& w : profile.workers) {
      ++workers;
      if (w.offline) {
        ++idle;
        continue;
      }
      const auto n = numbers(w, now, restart);
      for (std::size_t i = 0; i < windows.size(); ++i) sum.hashrate[i] += n.hashrate[i];
      for (std::size_t i = 0; i < 4; ++i) sum.sps[i] += n.sps[i];
      sum.accepted += n.accepted;
      sum.rejected += n.rejected;
      sum.bestshare = std::max(sum.bestshare, n.bestshare);
      difficulty_sum += share_difficulty(w);
    }
  }
  json::object counts(sp);
  counts["runtime"] = std::max<std::int64_t>(0, now - restart);
  counts["lastupdate"] = now - now % 60;  // rewritten once a minute
  counts["Users"] = users;
  counts["Workers"] = workers;
  counts["Idle"] = idle;
  counts["Disconnected"] = 0;
  static constexpr std::array<const char*, 7> rate_keys{"hashrate1m",  "hashrate5m",  "hashrate15m",
                                                        "hashrate1hr", "hashrate6hr", "hashrate1d",
                                                        "hashrate7d"};
  json::object rates(sp);
  for (std::size_t i = 0; i < windows.size(); ++i) rates[rate_keys[i]] = si(sum.hashrate[i]);
  json::object shares(sp);
  // The mean share difficulty: small, and never to be mistaken for the network's.
  shares["diff"] = round_to(difficulty_sum / std::max(1, workers - idle), 10);
  shares["accepted"] = static_cast<std::int64_t>(sum.accepted);
  shares["rejected"] = static_cast<std::int64_t>(sum.rejected);
  shares["bestshare"] = sum.bestshare;
  shares["SPS1m"] = round_to(sum.sps[0], 1000);
  shares["SPS5m"] = round_to(sum.sps[1], 1000);
  shares["SPS15m"] = round_to(sum.sps[2], 1000);
  shares["SPS1h"] = round_to(sum.sps[3], 1000);
  std::string text = json::serialize(counts);
  text += '\n';
  text += json::serialize(rates);
  text += '\n';
  text += json::serialize(shares);
  text += '\n';
  return text;
}

}  // namespace

api_reply ckpool_api::handle(const api_request& r) const {
  auto found = match(r.path);
  if (!found) {
    std::string_view rest = r.path;
    const auto instance = next_segment(rest);
    if (!instance.empty()) found = match(rest);
    if (found) found->instance = instance;
  }
  if (!found) return {404, error_body("not found"), {}};
  const std::uint64_t seed = instance_seed(found->instance, r.seed);
  const std::int64_t now = r.now_ms / 1000;
  std::array<unsigned char, 8192> buffer;
  json::monotonic_resource resource(buffer.data(), buffer.size());
  json::storage_ptr sp(&resource);
  if (found->endpoint == "status") return {200, status(seed, now, sp), "status", text_type};
  if (found->wallet.starts_with("unknown")) return {404, error_body("not found"), "user"};
  return {200, user(found->wallet, seed, now, sp), "user"};
}

}  // namespace mc::mock_pool
