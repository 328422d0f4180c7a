// One pool's polling: every poll_interval (with jitter) plan → fetch → parse → publish.
// Never blocks; a poll that outlives its deadline is cut, so polls never overlap.
#pragma once

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <chrono>
#include <memory>
#include <miner_controller/driver.hpp>
#include <optional>
#include <vector>

namespace mc::http {
class client;
}

namespace mc::actors {

struct pool_actor_args {
  mc::pool_config pool;
  std::shared_ptr<const mc::driver> driver;
  std::shared_ptr<mc::http::client> client;
  caf::actor cache;
  std::chrono::milliseconds first_poll_delay{0};  // spreads the first polls of many pools
  std::uint64_t generation = 0;                   // tags every poll_result
};

struct pool_state {
  pool_actor_args args;
  std::uint64_t poll = 0;  // number of the current poll
  bool in_flight = false;
  std::int64_t started_at = 0;  // unix seconds, the poll's clock
  std::chrono::steady_clock::time_point started;
  std::vector<mc::http_request> requests;
  std::vector<std::optional<mc::http_response>> responses;
  std::size_t pending = 0;
  std::chrono::steady_clock::time_point not_before{};  // a pool's 429 Retry-After
  std::chrono::steady_clock::time_point due{};         // when this poll was meant to start
  static inline const char* name = "pool";
};

caf::behavior pool_actor(caf::stateful_actor<pool_state>* self, pool_actor_args args);

/// How long a 429 (or 503) answer asks the client to wait: Retry-After in seconds or as an
/// HTTP date, at most an hour; nullopt when the answer asks for nothing.
std::optional<std::chrono::seconds> retry_after_of(const mc::http_response& r,
                                                   std::int64_t now_unix);

/// The delay before a pool's first poll: uniform over min(interval, 10 s), so a thousand pools
/// started together do not fire in the same millisecond.
std::chrono::milliseconds first_poll_jitter(int poll_interval_s);

/// The extra wait before a pool's second poll, which stretches its first poll's phase from
/// first_poll_jitter's window (min(interval, 10 s)) to the whole interval: `first_poll_delay`
/// × (interval − window) / window. Pools started together first poll within the window, for
/// fresh tiles soon; had they kept those phases, a 30 s interval would see every poll in its
/// first 10 s, a burst that queued behind a pool host's connections (bench/RESULTS.md, ninth
/// round). Stretched, uniform phases stay uniform: from the second poll on, polls come evenly
/// over the interval. Zero for intervals up to 10 s and for pools that polled at once.
std::chrono::milliseconds second_poll_spread(std::chrono::milliseconds first_poll_delay,
                                             int poll_interval_s);

/// When the poll after one meant for `due` should start: `delay` after `due`, not after `now`,
/// so a timer that fires late (the clock's slack, a busy thread) does not stretch the interval
/// poll after poll; but never within `min_gap` of `now`, so polls do not overlap and a pool
/// resuming after a long stall (a suspended host) does not poll twice in a row.
std::chrono::steady_clock::time_point next_poll_due(std::chrono::steady_clock::time_point due,
                                                    std::chrono::milliseconds delay,
                                                    std::chrono::steady_clock::time_point now,
                                                    std::chrono::milliseconds min_gap);

}  // namespace mc::actors
