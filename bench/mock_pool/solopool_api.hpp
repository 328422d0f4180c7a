// Solopool.org (open-ethereum-pool style), one base per coin:
//   GET /solopool/{coin}/api/stats
//   GET /solopool/{coin}/api/blocks
//   GET /solopool/{coin}/api/accounts/{wallet}
// coin is dgb, bch, btc or bc2 (lower case; anything else 404). Shapes follow
// shared/fixtures/pool-apis/solopool/*.json; `now` in stats is in ms, other times in s.
// Wallets starting with "unknown" answer 404 {"error":"not found"} (the pool has never seen
// them); wallets starting with "empty" answer an account without workers.
#pragma once

#include "bench/mock_pool/api.hpp"

namespace mc::mock_pool {

class solopool_api final : public api {
 public:
  std::string_view name() const override { return "solopool"; }
  api_reply handle(const api_request& request) const override;
};

}  // namespace mc::mock_pool
