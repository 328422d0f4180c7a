// The metric families of GET /metrics (Prometheus text format 0.0.4) and the plain data they are
// written from. Three producers, three disjoint sets of families, joined by the server:
//   - pools (tile cache, in the snapshot): mc_pool_*; pre-rendered per pool, so a snapshot only
//     concatenates, like the dashboard's pre-encoded entries;
//   - the HTTP server, at request time: mc_http_*;
//   - the HTTP client, at request time: mc_upstream_*;
//   - the process, at request time: mc_actors_running, process_open_fds,
//     process_resident_memory_bytes (the last two as Prometheus' own client libraries name them).
// Every family's HELP/TYPE lines come once, followed by all of its samples.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/metrics_text.hpp"

namespace mc::http::metrics {

// -- pools --------------------------------------------------------------------

/// What a pool's series are made of. Values the pool did not report are nullopt and give no
/// series (unknown is never 0); they are set only while the pool is up.
struct pool_sample {
  std::string pool_id, driver, coin;
  bool up = false;  // the last poll succeeded and is not stale
  std::optional<double> hashrate_hs;
  std::optional<std::int64_t> workers;
  std::optional<std::int64_t> shares_valid, shares_invalid, shares_stale;
  std::optional<double> poll_latency_s;         // the last poll's, failed or not
  std::optional<std::int64_t> last_success;     // unix seconds
  std::uint64_t polls = 0;                      // polls finished since start
  std::map<std::string, std::uint64_t> errors;  // failed polls by kind (http/poll_error_kind)
};

inline constexpr std::size_t pool_family_count = 8;

struct pool_lines;
pool_lines render_pool(const pool_sample& p);

/// One pool's sample lines, family after family in one exact-size string: the cache keeps one
/// per pool, and one allocation holds less than one string per family did (~40 %).
struct pool_lines {
  /// The lines of pool family `f` (0 .. pool_family_count-1), empty when it has no sample.
  std::string_view family(std::size_t f) const {
    const std::size_t begin = f == 0 ? 0 : end_[f - 1];
    return std::string_view(text_).substr(begin, end_[f] - begin);
  }
  const std::string& text() const { return text_; }

 private:
  friend pool_lines render_pool(const pool_sample& p);
  std::string text_;
  std::array<std::uint32_t, pool_family_count> end_{};  // where each family's lines end
};

/// Every pool family with its header once and then each pool's lines, in the given order.
/// Families without any sample are left out.
std::string join_pools(const std::vector<const pool_lines*>& pools);

// -- HTTP server ----------------------------------------------------------------

/// Upper bounds of the server's latency buckets, seconds.
inline constexpr std::array<double, 11> latency_bounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                          0.05,   0.1,   0.25,   0.5,   1};

struct route_sample {
  std::string_view route;                   // a route template from http/router.hpp
  std::array<std::uint64_t, 5> by_class{};  // responses by status class 1xx..5xx
  prom::histogram latency;                  // first byte to answer ready to send
};

struct server_sample {
  std::vector<route_sample> routes;  // routes that never answered may be left out
  std::uint64_t open_connections = 0;
  std::uint64_t connections = 0;  // accepted since start
};

std::string render_server(const server_sample& s);

// -- HTTP client ------------------------------------------------------------------

struct upstream_sample {
  std::string host;                // host[:port] as in the Host header
  std::uint64_t requests = 0;      // requests that ended: answered or failed
  std::uint64_t shared = 0;        // fetches answered by an identical GET already in flight
  std::uint64_t rate_limited = 0;  // answers with status 429
  std::uint64_t errors = 0;        // requests that ended without an HTTP answer
};

std::string render_upstream(const std::vector<upstream_sample>& hosts);

// -- process ----------------------------------------------------------------------

struct process_sample {
  std::optional<std::uint64_t> actors_running;  // CAF actors alive (the registry's count)
  std::optional<std::uint64_t> open_fds;        // entries of /proc/self/fd
  std::optional<std::uint64_t> resident_bytes;  // resident set size
};

/// Reads the open fds and the resident size from /proc/self (nullopt where it cannot);
/// actors_running is left to the caller, which owns the actor system.
process_sample read_process();

/// Families without a value are left out.
std::string render_process(const process_sample& p);

}  // namespace mc::http::metrics
