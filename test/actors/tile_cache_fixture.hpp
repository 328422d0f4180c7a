// The tile cache's test fixture: a cache whose snapshots go to a scoped actor standing for
// the HTTP actor, a catalog of solopool pools, and a good tile.
#pragma once

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "actors/tile_cache.hpp"

namespace js = boost::json;
using namespace mc::actors;
using namespace std::chrono_literals;

inline mc::config::pool_entry pool(std::string id, bool enabled = true) {
  mc::config::pool_entry e;
  e.pool_id = id;
  e.file = "pools/" + id + ".yaml";
  e.status = enabled ? mc::config::pool_status::active : mc::config::pool_status::disabled;
  e.config.pool_id = id;
  e.config.driver = "solopool";
  e.config.display_name = "Pool " + id;
  e.config.url = "eu1.solopool.org";
  e.config.port = 8004;
  e.config.coin = "DGB";
  e.config.enabled = enabled;
  e.config.api_token = "secret-token-value-1234";
  e.driver_display_name = "Solopool.org";
  return e;
}

inline mc::tile good_tile(double hs) {
  mc::tile t;
  t.health_status = true;
  t.health_message = "2 workers online";
  t.user_hashrate = mc::hash_rate::from_hs(hs);
  t.active_workers = 2;
  t.currency = "DGB";
  return t;
}

struct fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor http{sys};
  caf::actor cache = sys.spawn(tile_cache, tile_cache_args{http, 10ms, 1h});

  ~fixture() { caf::anon_send_exit(cache, caf::exit_reason::user_shutdown); }

  mc::http::snapshot_ptr next_snapshot() {
    mc::http::snapshot_ptr out;
    http->receive([&](mc::http::snapshot_ptr& s) { out = s; },
                  caf::after(5s) >> [] { BOOST_FAIL("no snapshot within 5 s"); });
    return out;
  }

  void load(std::vector<mc::config::pool_entry> pools) {
    auto cat = std::make_shared<mc::config::catalog>();
    cat->drivers.push_back(
        {{"solopool", "Solopool.org", "1.0.0", {"DGB"}, true}, "solopool_driver.so"});
    cat->pools = std::move(pools);
    http->send(cache, mc::config::catalog_ptr{cat});
  }

  js::object entry(const mc::http::snapshot& s, const std::string& id) {
    auto body = s.dashboard_of(id);
    BOOST_REQUIRE(body);
    return js::parse(*body).as_object();
  }
};
