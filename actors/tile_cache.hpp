// The one place readers query: the latest tile of every pool with last_updated, last_success
// and stale, and the catalog of drivers and configs. On every change (coalesced to at most one
// per 100 ms) it sends the HTTP actor an immutable snapshot of pre-serialized JSON, so a GET
// never waits on an actor. A publish copies the pools' part pointers only (~50 us at 10 000
// pools, bench/micro): the bodies that join every pool are built by their first reader
// (http/snapshot.hpp).
#pragma once

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/catalog.hpp"
#include "http/metrics.hpp"
#include "http/snapshot.hpp"

namespace mc::actors {

struct tile_cache_args {
  caf::actor http;  // receives every new http::snapshot_ptr
  std::chrono::milliseconds coalesce{100};
  std::chrono::milliseconds sweep_every{5'000};
};

struct pool_slot {
  const config::pool_entry* entry = nullptr;  // into the current catalog
  std::optional<mc::tile> shown;              // what the dashboard shows
  bool has_good = false;                      // shown holds a successful poll's numbers
  std::optional<std::int64_t> last_updated;
  std::optional<std::int64_t> last_success;
  bool stale = false;
  config::pool_status runtime_status = config::pool_status::active;
  std::string runtime_message;
  // GET /metrics: poll counters since start (kept across reloads).
  std::uint64_t polls = 0;
  std::map<std::string, std::uint64_t> poll_errors;  // by http::poll_error_kind
  http::pool_part part;  // the serialized dashboard entry and series, shared with snapshots
};

struct tile_cache_state {
  tile_cache_args args;
  config::catalog_ptr catalog;
  http::pool_index_ptr index;    // the catalog's pools that have a slot, in its order
  std::vector<pool_slot> pools;  // pools[i] is index->ids()[i]'s
  // Bodies that change only with the catalog are encoded once per catalog.
  std::shared_ptr<const http::template_set> templates;
  http::body_ptr drivers, pools_json;
  bool publish_pending = false;  // writes publish at once (flush_atom), changes coalesce
  static inline const char* name = "tile_cache";
};

caf::behavior tile_cache(caf::stateful_actor<tile_cache_state>* self, tile_cache_args args);

}  // namespace mc::actors
