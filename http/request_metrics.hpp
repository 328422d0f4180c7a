// The API server's request counters and latency histogram, per route template. Sessions on any
// Asio thread record into fixed arrays of relaxed atomics: no lock and no allocation per
// request; a scrape reads them into a metrics::server_sample.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

#include "http/metrics.hpp"
#include "http/router.hpp"

namespace mc::http {

class request_metrics {
 public:
  /// One answered request: its route (index into route_templates), status and the time from
  /// its first byte to its answer ready to send.
  void observe(std::size_t route, int status, std::chrono::nanoseconds elapsed);

  /// The routes that answered at least once, in route_templates order.
  std::vector<metrics::route_sample> routes() const;

 private:
  struct counters {
    std::array<std::atomic<std::uint64_t>, 5> by_class{};
    std::array<std::atomic<std::uint64_t>, metrics::latency_bounds.size() + 1> buckets{};
    std::atomic<std::uint64_t> sum_ns{0};
  };
  std::array<counters, route_templates.size()> routes_;
};

}  // namespace mc::http
