// Braiins Pool (BTC), one account per API token:
//   GET /braiins/accounts/profile/json/btc/
//   GET /braiins/accounts/workers/json/btc/
//   GET /braiins/accounts/rewards/json/btc/
// with or without the trailing slash. Shapes follow shared/fixtures/pool-apis/braiins/*.json:
// hash rates are numbers in Gh/s, amounts decimal strings in BTC with 8 decimals.
// The token comes from Pool-Auth-Token or else SlushPool-Auth-Token; it alone decides the
// account. No token: 401 text/plain; a token starting with "bad": 403 text/plain
// "Invalid Access Profile token", as the live API answers.
#pragma once

#include "bench/mock_pool/api.hpp"

namespace mc::mock_pool {

class braiins_api final : public api {
 public:
  std::string_view name() const override { return "braiins"; }
  api_reply handle(const api_request& request) const override;
};

}  // namespace mc::mock_pool
