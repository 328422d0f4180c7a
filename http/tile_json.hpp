// The tile edge: where a driver's typed facts become the JSON fields of DESIGN §3. The derived
// fields (TH/s, time to block, share of the network, reject rate) are computed here and only
// here, so every driver gets the same formulas.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <miner_controller/tile.hpp>
#include <optional>
#include <string>

namespace mc::codec {

struct derived_fields {
  std::optional<double> seconds_to_block;    // network_difficulty × 2^32 / user H/s
  std::optional<std::string> time_to_block;  // "N minutes" / "N hours" / "N days" / "N.N years"
  std::optional<double> pool_percentage;     // 100 × user H/s / network H/s
  std::optional<double> reject_rate;         // 100 × (invalid + stale) / (valid + invalid + stale)
};

derived_fields derive(const tile& t);

/// "N minutes" below 1 h, "N hours" below 1 day, "N days" below 365 days (N floored), else
/// "N.N years" truncated to one decimal.
std::string format_time_to_block(double seconds);

/// 2025-11-24T16:00:00Z
std::string iso8601(std::int64_t unix_seconds);

/// Every tile field by its DESIGN name, flat (the shape of the fixtures' expected-tile.json).
boost::json::object tile_fields(const tile& t);

/// The four dashboard groups: tile_1_health, tile_2_network, tile_3_shares, tile_4_blocks.
boost::json::object tile_groups(const tile& t);

}  // namespace mc::codec
