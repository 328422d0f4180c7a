// What the HTTP server answers GET requests from: an immutable set of JSON bodies, published by
// the tile cache on every (coalesced) change and swapped in whole. A read never waits on an
// actor, and a body once built is kept and shared by every later reader.
//
// Publishing copies pointers only, and few: a snapshot holds the pools' parts in the catalog's
// order in chunks of part_chunk_size, shares the chunks in which no pool changed with the
// snapshot before it, and the pool_id index with every other snapshot of that catalog. Nothing is
// encoded before it is read: a pool's part encodes its dashboard entry and its series on their
// first read (a pool polls every ~30 s, a UI or scraper reads every 15-60 s, so most of what a
// poll changes is never read), and the two bodies that join every pool (the whole dashboard,
// the pools' metrics) are built on their first read and kept in the snapshot. The catalog's
// bodies (the templates, GET /api/pools) are built by their first reader too, once per catalog
// (http/lazy_body.hpp), so a start-up or reload is ready before 10 000 pools are encoded. A part
// that did not change between two publishes is the same object in both, with what it already
// encoded.
//
// Thread safety: once published (as snapshot_ptr, a pointer to const) a snapshot and its parts
// are only read. Their const accessors may be called from any number of threads at once: each
// lazy body is built under std::call_once, by exactly one caller, and every caller gets the
// same bytes.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/lazy_body.hpp"
#include "http/metrics.hpp"
#include "http/template_set.hpp"

namespace mc::http {

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

/// One pool's share of a snapshot: its entry of GET /api/dashboard/pools and its series of
/// GET /metrics, each encoded by its first reader (an HTTP server thread), once. A subclass
/// holds what they are made from (actors/pool_record.hpp) and must not change after publishing.
class pool_part {
 public:
  virtual ~pool_part() = default;
  pool_part(const pool_part&) = delete;  // the lazy bodies belong to one part
  pool_part& operator=(const pool_part&) = delete;

  /// The pool's dashboard entry; every call returns the same body.
  body_ptr dashboard() const;
  /// The pool's series; null when it has none (a disabled pool).
  const metrics::pool_lines* metrics() const;

 protected:
  pool_part() = default;
  virtual std::string encode_dashboard() const = 0;
  virtual std::optional<metrics::pool_lines> encode_metrics() const = 0;

 private:
  mutable std::once_flag dashboard_once_, metrics_once_;
  mutable body_ptr dashboard_;
  mutable std::optional<metrics::pool_lines> metrics_;
};

using pool_part_ptr = std::shared_ptr<const pool_part>;

/// How many consecutive pools share a chunk. A publish copies one pointer per chunk and rebuilds
/// only the chunks in which a pool changed: at 10 000 pools polled every 30 s and a publish per
/// 100 ms, ~33 changed pools make ~1 400 pointer copies instead of 10 000.
inline constexpr std::size_t part_chunk_size = 32;

/// How many chunks hold `pools` pools: all full but the last.
constexpr std::size_t part_chunk_count(std::size_t pools) {
  return (pools + part_chunk_size - 1) / part_chunk_size;
}

/// The parts of up to part_chunk_size consecutive pools of a catalog; immutable, shared by every
/// snapshot in which none of them changed.
class part_chunk {
 public:
  /// Throws std::invalid_argument for a null part or more than part_chunk_size parts.
  explicit part_chunk(std::vector<pool_part_ptr> parts);
  std::size_t size() const { return parts_.size(); }
  const pool_part& operator[](std::size_t i) const { return *parts_[i]; }

 private:
  std::vector<pool_part_ptr> parts_;
};

using part_chunk_ptr = std::shared_ptr<const part_chunk>;

class snapshot {
 public:
  bool ready = false;  // configs loaded (GET /readyz)

  std::shared_ptr<const template_set> templates;  // GET /api/pool-templates[/...]
  body_ptr drivers;                               // GET /api/drivers
  lazy_body_ptr pools;                            // GET /api/pools

  snapshot() = default;
  snapshot(const snapshot&) = delete;  // the lazy bodies belong to one snapshot
  snapshot& operator=(const snapshot&) = delete;

  /// Before publishing: the pools, chunks[c] holding the parts of index->ids()[c * part_chunk_size]
  /// and on, every chunk full but the last. Throws std::invalid_argument when they do not match.
  void set_pool_chunks(pool_index_ptr index, std::vector<part_chunk_ptr> chunks);
  /// The same from one part per pool, parts[i] being index->ids()[i]'s.
  void set_pools(pool_index_ptr index, std::vector<pool_part_ptr> parts);

  /// GET /api/dashboard/pools: {"<pool_id>":<entry>,...} in the catalog's order. Null until
  /// set_pools. Built on the first call; every call returns the same body.
  body_ptr dashboard() const;
  /// One pool's entry (built on its first read); null for a pool this snapshot does not hold.
  body_ptr dashboard_of(std::string_view pool_id) const;
  /// The chunks as set: a publish that changed one pool shares all others with the snapshot
  /// before it (the tile cache's tests check this).
  const std::vector<part_chunk_ptr>& pool_chunks() const { return chunks_; }
  /// GET /metrics, the pools' families (metrics::join_pools). Null until set_pools. Built on
  /// the first call; every call returns the same body.
  body_ptr metrics() const;

 private:
  const pool_part& part(std::size_t i) const {
    return (*chunks_[i / part_chunk_size])[i % part_chunk_size];
  }

  pool_index_ptr index_;
  std::vector<part_chunk_ptr> chunks_;
  mutable std::once_flag dashboard_once_, metrics_once_;
  mutable body_ptr dashboard_, metrics_;
};

using snapshot_ptr = std::shared_ptr<const snapshot>;

}  // namespace mc::http
