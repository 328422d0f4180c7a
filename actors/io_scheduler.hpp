// Runs the actor system's scheduled actors and timers on an Asio io_context's threads instead of
// CAF's own worker and clock threads.
//
// Why: on this service's machines a thread wake-up costs ~25 us of CPU (bench/RESULTS.md), and a
// poll crossed threads about 25 times (clock thread -> scheduler worker -> io thread -> worker
// -> cache actor on another worker). With actors, their timers and the HTTP client on the same
// threads, a poll wakes a thread only where the kernel must: its timer and its answer arriving.
//
// How: the coordinator posts each runnable actor to the io_context (deferred, so on the thread
// that made it runnable, when that thread is an io thread); an actor made runnable by one that
// runs, or by a timer, joins the running batch and runs in the same handler (up to 64 turns), so
// a chain of messages costs one pass through Asio's queue, not one each. The clock arms one
// steady_timer for its earliest deadline. Detached actors keep their own threads. Handlers are
// short: actors never block (DESIGN), so actors and network I/O share the threads without starving
// each other.
#pragma once

#include <boost/asio/io_context.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <chrono>
#include <cstddef>
#include <functional>

namespace mc::actors {

/// Makes the actor system later built from `cfg` run its actors on `io`, which must outlive the
/// system and be run by at least one thread for actors to make progress. Until then messages
/// wait in the io_context. Timeouts and delayed messages fire on the next multiple of
/// `timer_slack` of the steady clock at or after their time (zero: at their time), so the
/// timers of many actors share one wake-up.
void run_actors_on(caf::actor_system_config& cfg, boost::asio::io_context& io,
                   std::chrono::milliseconds timer_slack = std::chrono::milliseconds{0});

/// Runs `f`, then at once, in the same Asio handler, the actors it made runnable on this io
/// thread, rather than in a handler of their own after Asio's next look at epoll (a system call).
/// For code that runs as a handler of its own on an io thread, outside any strand and actor,
/// and sends messages: the HTTP client's answer callbacks. Anywhere else, or when `system`'s
/// actors do not run on an io_context, it only runs `f`.
void run_batched(caf::actor_system& system, const std::function<void()>& f);

/// After every actor is done (await_all_actors_done): drops timers still scheduled (delayed
/// messages to actors that are gone), so the io_context runs out of work and its run() returns.
void stop_actor_timers(caf::actor_system& system);

/// Whether a gather pause pays, from what followed the last rounds. A pause costs a sleep and a
/// wake-up of its own and saves the wake-ups of the events it catches: it pays when it catches
/// more than one on average. Kept: the share of rounds (each weighing 1/32, the newest most)
/// after which an event came within `gather` (during the pause, or, without one, before the
/// thread would have woken from it). Under Poisson arrivals at mean m per pause that share is
/// 1 - e^-m, so 0.7 means m ~ 1.2. Measured without pauses (bench/RESULTS.md, seventh round):
/// 1 000 DGB pools at 30 s, answers trickling in from one origin, ~0.45; 1 000 mixed pools in
/// their burst ~0.83; 10 000 mixed pools 0.95-0.99.
class gather_odds {
 public:
  static constexpr double worth_it = 0.7;
  void add(bool event_came_within_gather) {
    share_ += ((event_came_within_gather ? 1.0 : 0.0) - share_) / 32;
  }
  bool pause_pays() const { return share_ >= worth_it; }
  double share() const { return share_; }

 private:
  double share_ = 1.0;  // start by pausing: a busy start-up shows at once whether it pays
};

struct gathered_run {
  std::size_t rounds = 0;  // wake-ups that ran handlers
  std::size_t pauses = 0;
};

/// Runs `io` on the calling thread until it is stopped or out of work, like io.run(), but
/// after a round of ready handlers it may pause for `gather` so that the events arriving
/// meanwhile (timers, answers, messages from other threads) are handled in one wake-up: under
/// load a thread wakes at most 1 / gather times a second instead of once per event. It pauses
/// only after a round that came within `gather` of the last (a lone event after idleness, and
/// what it sets off, runs at once) and while pauses pay (gather_odds). Handlers may start up to
/// `gather` late. Zero runs io.run() itself.
gathered_run run_gathered(boost::asio::io_context& io, std::chrono::microseconds gather);

}  // namespace mc::actors
