// What the HTTP server answers GET requests from: an immutable set of pre-serialized JSON
// bodies, built by the tile cache on every (coalesced) change and swapped in whole. A read
// costs a map look-up and no re-encoding, and never waits on an actor.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

namespace mc::http {

using body_ptr = std::shared_ptr<const std::string>;

struct snapshot {
  bool ready = false;  // configs loaded (GET /readyz)

  body_ptr templates;  // GET /api/pool-templates
  std::unordered_map<std::string, body_ptr> templates_by_driver;       // key: driver type
  std::unordered_map<std::string, body_ptr> templates_by_driver_coin;  // key: "solopool/DGB"
  body_ptr dashboard;  // GET /api/dashboard/pools
  std::unordered_map<std::string, body_ptr> dashboard_by_pool;         // key: pool_id
  body_ptr drivers;    // GET /api/drivers
  body_ptr pools;      // GET /api/pools
  body_ptr metrics;    // GET /metrics: pools only, the server appends the rest
};

using snapshot_ptr = std::shared_ptr<const snapshot>;

}  // namespace mc::http
