// JSON bodies of the read endpoints (DESIGN §5). Field names are a contract with the web UI.
// Secrets never leave through here: api_token is always masked.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <miner_controller/tile.hpp>
#include <optional>
#include <string>

#include "config/catalog.hpp"

namespace mc::codec {

/// One entry of GET /api/pool-templates.
boost::json::object template_json(const config::pool_entry& pool);

/// One entry of GET /api/pools: the config (secrets masked) with its status and reasons.
boost::json::object pool_json(const config::pool_entry& pool);

/// GET /api/drivers: {"loaded": [...], "rejected": [...], "problems": [...]}.
boost::json::object drivers_json(const config::catalog& catalog);

/// What the dashboard shows of one pool besides its config.
struct pool_view {
  const mc::tile* tile = nullptr;  // null until the first poll
  std::optional<std::int64_t> last_updated;
  std::optional<std::int64_t> last_success;
  bool stale = false;
  config::pool_status status = config::pool_status::active;
  std::string runtime_message;  // crash / restart notice from the supervisor
};

/// One value of GET /api/dashboard/pools.
boost::json::object dashboard_entry(const config::pool_entry& pool, const pool_view& view);

}  // namespace mc::codec
