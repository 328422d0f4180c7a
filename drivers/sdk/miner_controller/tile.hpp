// What a driver's parse returns: the facts a pool reported, in typed units. Unknown is nullopt,
// never 0. Derived fields (TH/s, time to block, share of network, reject rate) are computed from
// these in one place, http/tile_json, so every driver gets the same formulas.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hash_rate.hpp"

namespace mc {

struct tile {
  // -- tile 1: health ---------------------------------------------------------
  bool health_status = false;
  std::string health_message;
  std::optional<double> latency_ms;  // filled by the host: wall time of the poll's requests

  // -- tile 2: network --------------------------------------------------------
  std::optional<double> network_difficulty;
  std::optional<hash_rate> user_hashrate;     // the user's hash rate (tile: pool_hashrate)
  std::optional<hash_rate> network_hashrate;  // for pool_percentage
  std::optional<std::int64_t> active_workers;

  // -- tile 3: shares ---------------------------------------------------------
  std::optional<std::int64_t> shares_valid;
  std::optional<std::int64_t> shares_invalid;
  std::optional<std::int64_t> shares_stale;
  std::optional<double> accepted_difficulty;  // difficulty-weighted work (ckpool)

  // -- tile 4: blocks and earnings --------------------------------------------
  std::optional<std::int64_t> blocks_found_24h;
  std::optional<std::int64_t> last_block_found;  // unix seconds, UTC
  std::string currency;
  std::optional<double> confirmed_balance;
  std::optional<double> pending_balance;
  std::optional<double> estimated_earnings_24h;
  std::optional<double> best_share;
};

}  // namespace mc
