// Deterministic, slowly changing numbers for synthetic coins, pools and wallets.
//
// Everything here is a pure function of (seed, coin, wallet, time): the same inputs give the
// same numbers, in any process, so a test can reproduce an answer by asking the mock again
// under the same --frozen-clock. Nothing here knows a pool API's JSON shape; every API file
// (solopool, braiins, mmfp, ckpool) formats these numbers its own way.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mc::mock_pool {

// Anchor of the synthetic chains: 2025-11-24T16:00:00Z, the clock of the shared fixtures.
inline constexpr std::int64_t reference_time = 1764000000;

std::uint64_t hash_string(std::string_view text, std::uint64_t seed);
std::uint64_t mix(std::uint64_t a, std::uint64_t b);
// Uniform in [0, 1), from a hash.
double unit(std::uint64_t h);

// One chain as a SHA-256 home miner sees it: DGB means DigiByte's sha256d algorithm.
struct coin_model {
  std::string_view symbol;    // lower-case, as in pool URLs
  double algo_block_time_s;   // spacing of this algorithm's blocks (difficulty target)
  double chain_block_time_s;  // spacing of all blocks (height growth)
  double retarget_s;          // difficulty is constant within such a period
  double difficulty;          // mean network difficulty
  std::int64_t height_at_reference;
  std::int64_t reward_sats;         // block subsidy in 1e-8 coins
  std::int64_t pool_block_every_s;  // mean time between the pool's solo blocks
  std::int64_t maturity_s;          // a pool block stays immature this long
  int pool_miners;
};

// nullptr for a coin the mock does not simulate.
const coin_model* find_coin(std::string_view symbol);

struct network_state {
  double difficulty;
  double hashrate_hs;
  std::int64_t height;
  double pool_hashrate_hs;  // everyone mining on the simulated pool
  int pool_miners;
};
network_state network_at(const coin_model& coin, std::uint64_t seed, std::int64_t now);

struct pool_block {
  std::int64_t height;
  std::int64_t timestamp;
  double difficulty;
  double share_difficulty;
  std::string hash;  // 64 hex digits
  std::string worker;
};

// The simulated pool finds exactly one block per slot of pool_block_every_s, at a hashed
// offset inside the slot; slots start at launch, 400 days before the reference time.
struct pool_blocks {
  std::vector<pool_block> immature;  // newest first, found within maturity_s before now
  std::vector<pool_block> matured;   // newest first, at most max_matured of them
  std::int64_t immature_total = 0;
  std::int64_t matured_total = 0;
  std::int64_t last_found = 0;  // 0 when none yet
};
pool_blocks blocks_at(const coin_model& coin, std::uint64_t seed, std::int64_t now,
                      std::size_t max_matured);

// A home miner: Bitaxe (0.3-1.2 TH/s) or NerdQAxe (1.5-2.8 TH/s), +-8 % over minutes.
struct worker_profile {
  std::string name;
  double base_hs;
  double wave_period_s;
  double phase;
  double share_interval_s;  // mean time between accepted shares
  std::int64_t since;       // share counters start here
  double invalid_ratio;
  double stale_ratio;
  bool offline;
  std::int64_t last_seen;  // only for offline workers
  std::uint64_t hash;
};

struct wallet_profile {
  std::vector<worker_profile> workers;  // 1-3 online, sometimes one offline more
  int blocks_found = 0;
};
wallet_profile profile_for(std::uint64_t seed, std::string_view coin, std::string_view wallet);

struct worker_state {
  double hashrate_hs;       // short average, wobbles over minutes
  double hashrate_long_hs;  // long average, smoother
  std::int64_t last_beat;
  std::uint64_t shares_valid;
  std::uint64_t shares_invalid;
  std::uint64_t shares_stale;
};
// Counters never decrease as now grows.
worker_state worker_at(const worker_profile& worker, std::int64_t now);

// Mean hash rate over [from, to] (to > from): the slow wave's integral, so windows of any
// length agree with the share counters; 0 for offline workers and before `since`.
double average_hashrate(const worker_profile& worker, std::int64_t from, std::int64_t to);

}  // namespace mc::mock_pool
