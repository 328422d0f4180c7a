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

namespace mc::actors {

/// Makes the actor system later built from `cfg` run its actors on `io`, which must outlive the
/// system and be run by at least one thread for actors to make progress. Until then messages
/// wait in the io_context. Timeouts and delayed messages fire on the next multiple of
/// `timer_slack` of the steady clock at or after their time (zero: at their time), so the
/// timers of many actors share one wake-up.
void run_actors_on(caf::actor_system_config& cfg, boost::asio::io_context& io,
                   std::chrono::milliseconds timer_slack = std::chrono::milliseconds{0});

/// After every actor is done (await_all_actors_done): drops timers still scheduled (delayed
/// messages to actors that are gone), so the io_context runs out of work and its run() returns.
void stop_actor_timers(caf::actor_system& system);

/// Runs `io` on the calling thread until it is stopped or out of work, like io.run(), but
/// after each round of ready handlers it pauses for `gather` so that the events arriving
/// meanwhile (timers, answers, messages from other threads) are handled in one wake-up: under
/// load a thread wakes at most 1 / gather times a second instead of once per event. Handlers
/// may start up to `gather` late. A round that follows at least `gather` of idleness is not
/// followed by a pause: a lone event's consequences run at once. Zero runs io.run() itself.
/// Returns the rounds it ran.
std::size_t run_gathered(boost::asio::io_context& io, std::chrono::microseconds gather);

}  // namespace mc::actors
