// MMFP Solutions local solo pool (no auth, no wallet in the path: every number is pool-wide):
//   GET /mmfp/api/v1/health
//   GET /mmfp/api/v1/{COIN}/metrics/pool
//   GET /mmfp/api/v1/{COIN}/metrics/miners
// COIN is BCH, BTC, DGB or BC2, upper case (lower case is 404). Shapes follow
// shared/fixtures/pool-apis/mmfp/*.json; hash rates in H/s.
// Many pools behind one mock: /mmfp/{instance}/api/v1/... is another pool with its own
// miners and numbers for any token {instance}; without it the mock's seed alone decides.
#pragma once

#include "bench/mock_pool/api.hpp"

namespace mc::mock_pool {

class mmfp_api final : public api {
 public:
  std::string_view name() const override { return "mmfp"; }
  api_reply handle(const api_request& request) const override;
};

}  // namespace mc::mock_pool
