#include "actors/pool_actor.hpp"

#include <algorithm>
#include <ctime>
#include <miner_controller/driver_support.hpp>
#include <random>

#include "actors/io_scheduler.hpp"
#include "actors/log.hpp"
#include "actors/messages.hpp"
#include "http/client.hpp"

namespace mc::actors {

namespace {

using namespace std::chrono;

std::int64_t unix_now() {
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::mt19937_64& rng() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return gen;
}

}  // namespace

std::optional<std::chrono::seconds> retry_after_of(const mc::http_response& r,
                                                   std::int64_t now_unix) {
  if (r.status != 429 && r.status != 503) return std::nullopt;
  const std::string value(r.header("retry-after"));
  if (value.empty()) return std::nullopt;
  std::int64_t wait = 0;
  if (auto n = support::number_from_text(value)) {
    wait = static_cast<std::int64_t>(*n);
  } else {
    std::tm tm{};
    if (!strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S", &tm)) return std::nullopt;
    wait = static_cast<std::int64_t>(timegm(&tm)) - now_unix;
  }
  return seconds{std::clamp<std::int64_t>(wait, 0, 3600)};
}

std::chrono::milliseconds first_poll_jitter(int poll_interval_s) {
  const std::int64_t window_ms = std::min<std::int64_t>(poll_interval_s, 10) * 1000;
  return milliseconds{std::uniform_int_distribution<std::int64_t>{0, window_ms - 1}(rng())};
}

milliseconds second_poll_spread(milliseconds first_poll_delay, int poll_interval_s) {
  const std::int64_t interval_ms = std::int64_t{poll_interval_s} * 1000;
  const std::int64_t window_ms = std::min<std::int64_t>(poll_interval_s, 10) * 1000;
  return milliseconds{first_poll_delay.count() * (interval_ms - window_ms) / window_ms};
}

steady_clock::time_point next_poll_due(steady_clock::time_point due, milliseconds delay,
                                       steady_clock::time_point now, milliseconds min_gap) {
  return std::max(due + delay, now + min_gap);
}

namespace {

using self_ptr = caf::stateful_actor<pool_state>*;

milliseconds interval_of(const pool_state& st) { return seconds{st.args.pool.poll_interval_s}; }

// The next poll after the interval ±2 %: pools started together drift apart over time.
milliseconds next_delay(const pool_state& st) {
  const auto base = interval_of(st).count();
  std::uniform_int_distribution<std::int64_t> jitter{-base / 50, base / 50};
  return milliseconds{base + jitter(rng())};
}

// A poll must end before the next one starts: 90 % of the interval at most.
milliseconds deadline_of(const pool_state& st) { return interval_of(st) * 9 / 10; }

mc::tile parse_safely(const pool_state& st, const std::vector<mc::http_response>& rs) {
  const mc::poll_context ctx{st.args.pool, st.started_at};
  try {
    return st.args.driver->parse(ctx, rs);
  } catch (const std::exception& e) {
    return support::failure(std::string("driver error: ") + e.what());
  } catch (...) {
    return support::failure("driver error: unknown exception");
  }
}

void finish(self_ptr self) {
  auto& st = self->state;
  st.in_flight = false;
  std::vector<mc::http_response> rs;
  rs.reserve(st.responses.size());
  for (auto& r : st.responses) rs.push_back(std::move(*r));
  // A pool that asks us to slow down is not called again before it said.
  for (const auto& r : rs)
    if (auto wait = retry_after_of(r, st.started_at))
      st.not_before = std::max(st.not_before, steady_clock::now() + *wait);
  auto tile = parse_safely(st, rs);
  if (tile.currency.empty()) tile.currency = st.args.pool.coin;
  if (!rs.empty()) {
    tile.latency_ms =
        duration_cast<microseconds>(steady_clock::now() - st.started).count() / 1000.0;
  }
  self->send(st.args.cache,
             poll_result{st.args.pool.pool_id, st.args.generation, std::move(tile), st.started_at});
  st.requests.clear();
  st.responses.clear();
}

void cut_at_deadline(self_ptr self) {
  auto& st = self->state;
  const auto limit = http::seconds_text(deadline_of(st));
  for (std::size_t i = 0; i < st.responses.size(); ++i) {
    if (st.responses[i]) continue;
    mc::http_response r;
    r.id = st.requests[i].id;
    r.url = st.requests[i].url;
    r.error = "timeout after " + limit + " (poll deadline)";
    st.responses[i] = std::move(r);
  }
  finish(self);
}

void start_poll(self_ptr self) {
  auto& st = self->state;
  // The client answers every request by its timeout, capped at 90 % of the interval, so a poll
  // is over before the next starts. Should an answer still be missing (a bug), this poll cuts
  // it: a timer and a message of its own per poll cost two allocations and an actor turn.
  if (st.in_flight) cut_at_deadline(self);
  const auto now = steady_clock::now();
  if (now < st.not_before) {
    st.due = st.not_before;
    self->delayed_send(self, duration_cast<milliseconds>(st.not_before - now), poll_atom::value);
    return;
  }
  auto delay = next_delay(st);
  if (st.poll == 0)
    delay += second_poll_spread(st.args.first_poll_delay, st.args.pool.poll_interval_s);
  st.due = next_poll_due(st.due, delay, now, deadline_of(st));
  self->delayed_send(self, duration_cast<milliseconds>(st.due - now), poll_atom::value);

  st.poll += 1;
  st.in_flight = true;
  st.started_at = unix_now();
  st.started = now;
  std::string plan_error;
  try {
    st.requests = st.args.driver->plan({st.args.pool, st.started_at});
  } catch (const std::exception& e) {
    plan_error = std::string("driver error: ") + e.what();
  } catch (...) {  // as parse_safely: anything a plugin throws becomes the tile's message
    plan_error = "driver error: unknown exception";
  }
  if (!plan_error.empty()) {
    st.in_flight = false;
    st.requests.clear();
    self->send(st.args.cache, poll_result{st.args.pool.pool_id, st.args.generation,
                                          support::failure(std::move(plan_error)), st.started_at});
    return;
  }
  st.responses.assign(st.requests.size(), std::nullopt);
  st.pending = st.requests.size();
  if (st.pending == 0) return finish(self);

  const auto cap = deadline_of(st);
  const caf::actor_addr me = self->address();
  for (std::size_t i = 0; i < st.requests.size(); ++i) {
    auto req = st.requests[i];
    req.timeout = std::min(req.timeout, duration_cast<milliseconds>(cap));
    // Runs on an Asio thread, as a handler of its own: it only sends a message, to a weak
    // address so a stopped pool actor is not kept alive by a slow upstream, and the actor
    // runs at once in the same handler (run_batched). An identical GET another pool started
    // within our deadline window is answered from its response (shared network stats): never
    // older than our interval, as our own next poll comes after the window.
    st.args.client->fetch(
        std::move(req),
        [me, poll = st.poll, i, sys = &self->system()](mc::http_response r) {
          auto hdl = caf::actor_cast<caf::actor>(me);
          if (!hdl) return;
          fetched answer{poll, i, std::move(r)};
          run_batched(*sys, [&hdl, &answer] { caf::anon_send(hdl, std::move(answer)); });
        },
        duration_cast<milliseconds>(cap));
  }
}

}  // namespace

caf::behavior pool_actor(caf::stateful_actor<pool_state>* self, pool_actor_args args) {
  self->state.args = std::move(args);
  self->state.due = steady_clock::now() + self->state.args.first_poll_delay;
  self->delayed_send(self, self->state.args.first_poll_delay, poll_atom::value);
  return {
      [=](poll_atom) { start_poll(self); },
      [=](fetched& f) {
        auto& st = self->state;
        if (!st.in_flight || f.poll != st.poll || f.index >= st.responses.size() ||
            st.responses[f.index])
          return;  // a late answer of a poll already cut at its deadline
        st.responses[f.index] = std::move(f.response);
        if (--st.pending == 0) finish(self);
      },
  };
}

}  // namespace mc::actors
