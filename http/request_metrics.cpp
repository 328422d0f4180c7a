#include "http/request_metrics.hpp"

#include <algorithm>

namespace mc::http {

void request_metrics::observe(std::size_t route, int status, std::chrono::nanoseconds elapsed) {
  auto& c = routes_[std::min(route, other_route)];
  const int cls = std::clamp(status / 100, 1, 5) - 1;
  c.by_class[static_cast<std::size_t>(cls)].fetch_add(1, std::memory_order_relaxed);
  const double seconds = std::chrono::duration<double>(elapsed).count();
  const auto& bounds = metrics::latency_bounds;
  const auto bucket =
      static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), seconds) -
                               bounds.begin());  // le: a value equal to a bound is in it
  c.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  c.sum_ns.fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(0, elapsed.count())),
                     std::memory_order_relaxed);
}

std::vector<metrics::route_sample> request_metrics::routes() const {
  std::vector<metrics::route_sample> out;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& c = routes_[i];
    metrics::route_sample r;
    r.route = route_templates[i];
    std::uint64_t answered = 0;
    for (std::size_t k = 0; k < c.by_class.size(); ++k)
      answered += r.by_class[k] = c.by_class[k].load(std::memory_order_relaxed);
    if (answered == 0) continue;
    r.latency.bounds.assign(metrics::latency_bounds.begin(), metrics::latency_bounds.end());
    for (const auto& b : c.buckets) r.latency.counts.push_back(b.load(std::memory_order_relaxed));
    r.latency.sum = static_cast<double>(c.sum_ns.load(std::memory_order_relaxed)) / 1e9;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace mc::http
