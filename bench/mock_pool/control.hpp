// Fault knobs, the clock and the request counters, shared by every io thread.
//
// Start-up values come from the command line; POST /_control changes them at run time and
// POST /_control/reset goes back to the start-up values. One mutex guards everything: a
// request takes it once (apply_faults), which costs far less than building its JSON.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>

namespace mc::mock_pool {

struct path_fault {
  unsigned status = 500;
  std::int64_t remaining = -1;  // answers left to fail; -1 = until reset
};

struct fault_settings {
  std::int64_t latency_ms = 0;
  std::int64_t jitter_ms = 0;  // uniform extra delay in [0, jitter_ms]
  double error_rate = 0.0;     // fraction of API requests answered with error_status
  unsigned error_status = 500;
  std::map<std::string, path_fault, std::less<>> fail_paths;  // exact path, no query
  std::optional<std::int64_t> frozen_clock_s;
};

class control {
 public:
  control(fault_settings startup, std::uint64_t seed);

  // Milliseconds since the epoch: the frozen clock when set, else the system clock.
  std::int64_t now_ms() const;

  // Counts one API request and may turn its answer into an injected error (status and body
  // replaced by a JSON error). Says how long to hold the answer back and whether it failed.
  struct fault_outcome {
    std::chrono::milliseconds delay;
    bool injected;
  };
  fault_outcome apply_faults(std::string_view path, std::string_view api, std::string_view endpoint,
                             unsigned& status, std::string& body);

  // POST /_control: a JSON object with any of latency_ms, jitter_ms, error_rate, error_status,
  // fail_paths {path: {status, times?} or null to remove} (merged into the current ones),
  // frozen_clock (seconds or null). Unknown or invalid fields reject the whole update.
  // Returns status and an error body (empty on success).
  std::pair<unsigned, std::string> update(std::string_view json_body);
  void reset();  // start-up settings again; the counters stay
  std::string settings_json() const;

  std::string stats_json() const;
  void reset_stats();

 private:
  static constexpr std::int64_t real_clock = std::numeric_limits<std::int64_t>::min();

  const fault_settings startup_;
  mutable std::mutex mutex_;
  fault_settings current_;
  std::atomic<std::int64_t> frozen_s_{real_clock};  // read on every request without the lock
  std::mt19937_64 rng_;

  std::uint64_t total_ = 0;
  std::uint64_t injected_ = 0;
  // Keys point at the APIs' string literals, so counting allocates nothing.
  std::map<std::pair<std::string_view, std::string_view>, std::uint64_t> by_endpoint_;
  std::map<unsigned, std::uint64_t> by_status_;
};

}  // namespace mc::mock_pool
