// ckpool's web statistics (files ckpool rewrites every minute, served as they are):
//   GET /ckpool/pool/pool.status   three JSON objects, one per line (text/plain)
//   GET /ckpool/users/{wallet}     one JSON object
// Shapes follow shared/fixtures/pool-apis/ckpool/; hash rates are strings with an SI suffix
// ("610G", "2.41T", three significant digits as ckpool prints them). A user's `shares` is
// difficulty-weighted accepted work, not a count. Wallets starting with "unknown" answer 404
// (no accepted share yet). pool.status describes the pool's own few synthetic users; a wallet
// asked for under /users/ is not added to it.
// Many pools behind one mock: /ckpool/{instance}/pool/pool.status and
// /ckpool/{instance}/users/{wallet} are another pool for any token {instance}.
#pragma once

#include "bench/mock_pool/api.hpp"

namespace mc::mock_pool {

class ckpool_api final : public api {
 public:
  std::string_view name() const override { return "ckpool"; }
  api_reply handle(const api_request& request) const override;
};

}  // namespace mc::mock_pool
