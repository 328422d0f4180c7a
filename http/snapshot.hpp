// What the HTTP server answers GET requests from: an immutable set of pre-serialized JSON
// bodies, built by the tile cache on every (coalesced) change and swapped in whole. A read
// costs a look-up and no re-encoding, and never waits on an actor.
//
// Publishing is O(pools) pointer copies only: a snapshot holds each pool's pre-encoded parts in
// the catalog's order and shares the pool_id index with every other snapshot of that catalog.
// The two bodies that join every pool (the whole dashboard, the pools' metrics) are built on
// their first read and kept in the snapshot, so a snapshot nobody reads never builds them.
//
// Thread safety: once published (as snapshot_ptr, a pointer to const) a snapshot is only read.
// Its const accessors may be called from any number of threads at once: the lazy bodies are
// built under std::call_once, by exactly one caller, and every caller gets the same bytes.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/metrics.hpp"
#include "http/template_set.hpp"

namespace mc::http {

using body_ptr = std::shared_ptr<const std::string>;

/// The pools of one catalog in its order and where each one is. Built once per catalog and
/// shared (read-only) by all of its snapshots.
class pool_index {
 public:
  explicit pool_index(std::vector<std::string> ids);
  pool_index(const pool_index&) = delete;  // the map's keys point into ids_
  pool_index& operator=(const pool_index&) = delete;

  const std::vector<std::string>& ids() const { return ids_; }
  std::size_t size() const { return ids_.size(); }
  /// The position of a pool in ids(), or npos.
  std::size_t find(std::string_view pool_id) const;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

 private:
  std::vector<std::string> ids_;
  std::unordered_map<std::string_view, std::size_t> at_;
};

using pool_index_ptr = std::shared_ptr<const pool_index>;

/// One pool's share of a snapshot, pre-encoded by the cache and shared until the pool changes.
struct pool_part {
  body_ptr dashboard;                                  // its entry of GET /api/dashboard/pools
  std::shared_ptr<const metrics::pool_lines> metrics;  // null: no series (a disabled pool)
};

class snapshot {
 public:
  bool ready = false;  // configs loaded (GET /readyz)

  std::shared_ptr<const template_set> templates;  // GET /api/pool-templates[/...]
  body_ptr drivers;                               // GET /api/drivers
  body_ptr pools;                                 // GET /api/pools

  snapshot() = default;
  snapshot(const snapshot&) = delete;  // the lazy bodies belong to one snapshot
  snapshot& operator=(const snapshot&) = delete;

  /// Before publishing: the pools, parts[i] being index->ids()[i]'s, each with its entry.
  void set_pools(pool_index_ptr index, std::vector<pool_part> parts);

  /// GET /api/dashboard/pools: {"<pool_id>":<entry>,...} in the catalog's order. Null until
  /// set_pools. Built on the first call; every call returns the same body.
  body_ptr dashboard() const;
  /// One pool's entry; null for a pool this snapshot does not hold.
  body_ptr dashboard_of(std::string_view pool_id) const;
  /// GET /metrics, the pools' families (metrics::join_pools). Null until set_pools. Built on
  /// the first call; every call returns the same body.
  body_ptr metrics() const;

 private:
  pool_index_ptr index_;
  std::vector<pool_part> parts_;
  mutable std::once_flag dashboard_once_, metrics_once_;
  mutable body_ptr dashboard_, metrics_;
};

using snapshot_ptr = std::shared_ptr<const snapshot>;

}  // namespace mc::http
