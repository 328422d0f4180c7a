// What one pool's dashboard entry and series are made from, as of one change of the pool: the
// tile cache makes one per poll result (pointer copies and counters, no encoding) and publishes
// it as the pool's http::pool_part, whose bodies are encoded only by their first reader.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <miner_controller/tile.hpp>
#include <optional>
#include <string>

#include "config/catalog.hpp"
#include "http/snapshot.hpp"

namespace mc::actors {

using poll_error_counts = std::map<std::string, std::uint64_t>;  // by http::poll_error_kind

/// A pool's state as the dashboard and /metrics show it. Its pointees are never changed once
/// shared (copy on write): a record and the tile cache's slot share the tile and the counts.
struct pool_facts {
  // Into the catalog and keeping it alive (an aliasing pointer): a reload replaces the catalog
  // while older snapshots still hold this pool's record.
  std::shared_ptr<const config::pool_entry> entry;
  std::shared_ptr<const mc::tile> shown;  // what the dashboard shows; null until the first poll
  std::optional<std::int64_t> last_updated;
  std::optional<std::int64_t> last_success;
  bool stale = false;
  config::pool_status runtime_status = config::pool_status::active;
  std::string runtime_message;  // crash / restart notice from the supervisor
  std::uint64_t polls = 0;      // since start (kept across reloads)
  std::shared_ptr<const poll_error_counts> poll_errors;  // null: none yet
};

class pool_record final : public http::pool_part {
 public:
  explicit pool_record(pool_facts facts) : facts_(std::move(facts)) {}
  const pool_facts& facts() const { return facts_; }

 private:
  std::string encode_dashboard() const override;
  std::optional<http::metrics::pool_lines> encode_metrics() const override;
  const pool_facts facts_;
};

}  // namespace mc::actors
