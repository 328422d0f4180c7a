// The one place readers query: the latest tile of every pool with last_updated, last_success
// and stale, and the catalog of drivers and configs. On every change (coalesced to at most one
// per 100 ms) it sends the HTTP actor an immutable snapshot, so a GET never waits on an actor.
// A poll result only makes the pool's small immutable record (actors/pool_record.hpp: pointer
// copies, no encoding); its dashboard entry and series are encoded by their first reader, and a
// publish copies pointers only: one per chunk of pools, and the records of the chunks in which a
// pool changed. The bodies that join every pool are built by their first reader too
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

#include "actors/pool_record.hpp"
#include "config/catalog.hpp"
#include "http/snapshot.hpp"

namespace mc::actors {

struct tile_cache_args {
  caf::actor http;  // receives every new http::snapshot_ptr
  std::chrono::milliseconds coalesce{100};
  std::chrono::milliseconds sweep_every{5'000};
};

struct pool_slot {
  pool_facts facts;                         // changed here; entry points into the current catalog
  bool has_good = false;                    // facts.shown holds a successful poll's numbers
  std::shared_ptr<const pool_record> part;  // facts as last published, shared with snapshots
};

struct tile_cache_state {
  tile_cache_args args;
  config::catalog_ptr catalog;
  http::pool_index_ptr index;    // the catalog's pools that have a slot, in its order
  std::vector<pool_slot> pools;  // pools[i] is index->ids()[i]'s
  // The pools' parts as last published, http::part_chunk_size pools per chunk, and which chunks
  // hold a pool that changed since.
  std::vector<http::part_chunk_ptr> chunks;
  std::vector<bool> changed_chunks;
  // Bodies that change only with the catalog: built once per catalog, the templates and
  // /api/pools by their first reader.
  std::shared_ptr<const http::template_set> templates;
  http::body_ptr drivers;
  http::lazy_body_ptr pools_json;
  bool publish_pending = false;  // writes publish at once (flush_atom), changes coalesce
  static inline const char* name = "tile_cache";
};

caf::behavior tile_cache(caf::stateful_actor<tile_cache_state>* self, tile_cache_args args);

}  // namespace mc::actors
