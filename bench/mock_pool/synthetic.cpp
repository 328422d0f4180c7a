#include "bench/mock_pool/synthetic.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace mc::mock_pool {
namespace {

constexpr double two_pow_32 = 4294967296.0;
constexpr double two_pi = 2.0 * std::numbers::pi;
constexpr std::int64_t day = 86400;
constexpr std::int64_t pool_launch = reference_time - 400 * day;

// Ballpark values of late 2025. The pool figures are chosen so that the demo shows blocks:
// several a day on DGB and BC2, about one every two days on BCH, rarely one on BTC.
constexpr std::array<coin_model, 4> coins{{
    {"dgb", 75.0, 15.0, 15.0, 2.0e9, 21934455, 27712000000, 3 * 3600, 2 * 3600, 412},
    {"bch", 600.0, 600.0, 600.0, 5.6e11, 924500, 312500000, 2 * day, 17 * 3600, 95},
    {"btc", 600.0, 600.0, 1209600.0, 1.5e14, 925000, 312500000, 10 * day, 17 * 3600, 2600},
    {"bc2", 600.0, 600.0, 1209600.0, 2.8e9, 52000, 5000000000, 8 * 3600, 17 * 3600, 60},
}};

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

double wave(double t, double period_s, double phase) {
  return std::sin(two_pi * t / period_s + phase);
}

std::uint64_t coin_hash(const coin_model& coin, std::uint64_t seed) {
  return hash_string(coin.symbol, seed);
}

double difficulty_at(const coin_model& coin, std::uint64_t h, std::int64_t t) {
  const double epoch_start = std::floor(static_cast<double>(t) / coin.retarget_s) * coin.retarget_s;
  return coin.difficulty * (1.0 + 0.05 * wave(epoch_start, 45.0 * day, unit(mix(h, 1)) * two_pi));
}

std::int64_t height_at(const coin_model& coin, std::int64_t t) {
  return coin.height_at_reference +
         static_cast<std::int64_t>(
             std::floor(static_cast<double>(t - reference_time) / coin.chain_block_time_s));
}

std::string hex_hash(std::uint64_t h, double difficulty) {
  // A block hash below the target starts with about log16(difficulty * 2^32) zero digits.
  const int zeros = std::clamp(static_cast<int>((std::log2(difficulty) + 32.0) / 4.0), 8, 24);
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(64, '0');
  std::uint64_t bits = 0;
  for (int i = zeros; i < 64; ++i) {
    if ((i - zeros) % 16 == 0) bits = mix(h, static_cast<std::uint64_t>(i));
    out[static_cast<std::size_t>(i)] = digits[bits & 15u];
    bits >>= 4;
  }
  if (out[static_cast<std::size_t>(zeros)] == '0') out[static_cast<std::size_t>(zeros)] = '1';
  return out;
}

std::string worker_name(std::uint64_t h) {
  static constexpr std::array<std::string_view, 4> kinds{"bitaxe", "nerdqaxe", "avalon", "rig"};
  std::string name{kinds[h % kinds.size()]};
  name += '-';
  name += std::to_string(1 + (h >> 8) % 40);
  return name;
}

std::int64_t block_time(const coin_model& coin, std::uint64_t h, std::int64_t slot) {
  const std::int64_t every = coin.pool_block_every_s;
  return slot * every + static_cast<std::int64_t>(mix(h, static_cast<std::uint64_t>(slot)) %
                                                  static_cast<std::uint64_t>(every));
}

pool_block make_block(const coin_model& coin, std::uint64_t h, std::int64_t slot, std::int64_t t) {
  const std::uint64_t bh = mix(h, static_cast<std::uint64_t>(slot) ^ 0x9e3779b97f4a7c15ull);
  const double difficulty = difficulty_at(coin, h, t);
  const double u = unit(mix(bh, 3));
  return {height_at(coin, t),
          t,
          difficulty,
          difficulty * (1.0 + 3.0 * u * u),
          hex_hash(bh, difficulty),
          worker_name(mix(bh, 5))};
}

constexpr double wave_amplitude = 0.06;

// Seconds of work at base_hs done since w.since: the integral of 1 + amplitude * sin.
double work_since_start(const worker_profile& w, double t) {
  const double since = static_cast<double>(w.since);
  if (t <= since) return 0.0;
  const double omega = two_pi / w.wave_period_s;
  return (t - since) + wave_amplitude / omega *
                           (std::cos(omega * since + w.phase) - std::cos(omega * t + w.phase));
}

}  // namespace

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  // splitmix64 finaliser over both inputs: cheap and well spread.
  std::uint64_t z = a + 0x9e3779b97f4a7c15ull * (b + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::uint64_t hash_string(std::string_view text, std::uint64_t seed) {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a: stable across runs and platforms
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return mix(h, seed);
}

double unit(std::uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

const coin_model* find_coin(std::string_view symbol) {
  for (const auto& c : coins) {
    if (c.symbol == symbol) return &c;
  }
  return nullptr;
}

network_state network_at(const coin_model& coin, std::uint64_t seed, std::int64_t now) {
  const std::uint64_t h = coin_hash(coin, seed);
  const double t = static_cast<double>(now);
  const double difficulty = difficulty_at(coin, h, now);
  const double hashrate = difficulty * two_pow_32 / coin.algo_block_time_s *
                          (1.0 + 0.06 * wave(t, 6.0 * 3600, unit(mix(h, 2)) * two_pi));
  const double pool_hashrate = hashrate * coin.algo_block_time_s /
                               static_cast<double>(coin.pool_block_every_s) *
                               (1.0 + 0.1 * wave(t, 2.0 * 3600, unit(mix(h, 3)) * two_pi));
  const int miners =
      static_cast<int>(coin.pool_miners *
                       (1.0 + 0.05 * wave(t, static_cast<double>(day), unit(mix(h, 4)) * two_pi)));
  return {difficulty, hashrate, height_at(coin, now), pool_hashrate, miners};
}

pool_blocks blocks_at(const coin_model& coin, std::uint64_t seed, std::int64_t now,
                      std::size_t max_matured) {
  pool_blocks out;
  const std::uint64_t h = coin_hash(coin, seed);
  const std::int64_t every = coin.pool_block_every_s;
  const std::int64_t first_slot = floor_div(pool_launch, every);
  const std::int64_t now_slot = floor_div(now, every);
  if (now_slot < first_slot) return out;

  const std::int64_t found = now_slot - first_slot + (block_time(coin, h, now_slot) <= now ? 1 : 0);
  for (std::int64_t slot = now_slot; slot >= first_slot; --slot) {
    const std::int64_t t = block_time(coin, h, slot);
    if (t > now) continue;
    if (out.last_found == 0) out.last_found = t;
    if (now - t < coin.maturity_s) {
      out.immature.push_back(make_block(coin, h, slot, t));
    } else if (out.matured.size() < max_matured) {
      out.matured.push_back(make_block(coin, h, slot, t));
    } else {
      break;
    }
  }
  out.immature_total = static_cast<std::int64_t>(out.immature.size());
  out.matured_total = found - out.immature_total;
  return out;
}

wallet_profile profile_for(std::uint64_t seed, std::string_view coin, std::string_view wallet) {
  const std::uint64_t h = hash_string(wallet, hash_string(coin, seed));
  wallet_profile profile;
  const int online = 1 + static_cast<int>(h % 3);
  const bool with_offline = (h >> 8) % 4 == 0;
  profile.workers.reserve(static_cast<std::size_t>(online) + 1);
  int bitaxes = 0;
  int nerdqaxes = 0;
  for (int i = 0; i <= online; ++i) {
    const bool offline = i == online;
    if (offline && !with_offline) break;
    const std::uint64_t wh = mix(h, static_cast<std::uint64_t>(i) + 1);
    const bool bitaxe = unit(mix(wh, 1)) < 0.6;
    worker_profile w;
    w.name =
        bitaxe ? "bitaxe-" + std::to_string(++bitaxes) : "nerdqaxe-" + std::to_string(++nerdqaxes);
    w.base_hs = bitaxe ? 0.3e12 + 0.9e12 * unit(mix(wh, 2)) : 1.5e12 + 1.3e12 * unit(mix(wh, 2));
    w.wave_period_s = 1200.0 + 2400.0 * unit(mix(wh, 3));
    w.phase = two_pi * unit(mix(wh, 4));
    w.share_interval_s = 4.0 + 8.0 * unit(mix(wh, 5));
    w.since = reference_time - 30 * day + static_cast<std::int64_t>(20.0 * day * unit(mix(wh, 6)));
    w.invalid_ratio = 0.0005 + 0.0035 * unit(mix(wh, 7));
    w.stale_ratio = 0.002 * unit(mix(wh, 8));
    w.offline = offline;
    w.last_seen = reference_time - day - static_cast<std::int64_t>(2.0 * day * unit(mix(wh, 9)));
    w.hash = wh;
    profile.workers.push_back(std::move(w));
  }
  profile.blocks_found = (h >> 16) % 6 == 0 ? 1 + static_cast<int>((h >> 20) % 2) : 0;
  return profile;
}

worker_state worker_at(const worker_profile& w, std::int64_t now) {
  if (w.offline) return {0.0, 0.0, w.last_seen, 0, 0, 0};
  const double t = static_cast<double>(now);
  const double omega = two_pi / w.wave_period_s;
  worker_state s{};
  s.hashrate_hs = w.base_hs * (1.0 + wave_amplitude * std::sin(omega * t + w.phase) +
                               0.02 * wave(t, 53.0, w.phase));
  s.hashrate_long_hs = w.base_hs * (1.0 + 0.02 * std::sin(omega * t / 3.0 + w.phase));
  if (now <= w.since) {
    s.last_beat = now;
    return s;
  }
  // Accepted work is the integral of the slow wave, so the counters only ever grow.
  s.shares_valid = static_cast<std::uint64_t>(work_since_start(w, t) / w.share_interval_s);
  s.shares_invalid =
      static_cast<std::uint64_t>(static_cast<double>(s.shares_valid) * w.invalid_ratio);
  s.shares_stale = static_cast<std::uint64_t>(static_cast<double>(s.shares_valid) * w.stale_ratio);
  const auto step = std::max<std::int64_t>(1, std::llround(w.share_interval_s));
  s.last_beat = w.since + (now - w.since) / step * step;
  return s;
}

double average_hashrate(const worker_profile& w, std::int64_t from, std::int64_t to) {
  if (w.offline || to <= from) return 0.0;
  const double work =
      work_since_start(w, static_cast<double>(to)) - work_since_start(w, static_cast<double>(from));
  return w.base_hs * work / static_cast<double>(to - from);
}

}  // namespace mc::mock_pool
