#define BOOST_TEST_MODULE io_scheduler
#include "actors/io_scheduler.hpp"

// Every spawned function takes an int: CAF 0.17 binds a reference to a null empty tuple for
// functions without arguments (UBSan reports it in init_fun_factory.hpp).

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

using namespace std::chrono;
namespace asio = boost::asio;

namespace {

// An actor system whose actors run on two io threads, as in the service. The threads are
// joined before the system is destroyed; without a work guard they return once nothing is
// left to do, which is what the shutdown test checks.
struct io_system {
  asio::io_context io;
  caf::actor_system_config cfg;
  std::optional<caf::actor_system> sys;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{io.get_executor()};
  std::vector<std::thread> threads;

  // With threads = 0 the test runs the io_context itself until it calls start().
  explicit io_system(milliseconds timer_slack = milliseconds{0}, int threads = 2) {
    mc::actors::run_actors_on(cfg, io, timer_slack);
    sys.emplace(cfg);
    start(threads);
  }

  void start(int n) {
    for (int i = 0; i < n; ++i) threads.emplace_back([this] { io.run(); });
  }

  // Every actor is done: the timers go and the threads run out of work by themselves.
  void shut_down() {
    sys->await_all_actors_done();
    mc::actors::stop_actor_timers(*sys);
    work.reset();
    for (auto& t : threads) t.join();
    threads.clear();
  }

  // The tests tell their actors to exit; the system waits for that while the threads run.
  ~io_system() {
    if (!threads.empty()) shut_down();
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(actors_run_on_the_io_threads_and_keep_message_order) {
  io_system s;
  std::atomic<int> off_io_thread{0};
  auto& io = s.io;
  // Counts up to n, checking that the counter's messages arrive in the order they were sent.
  auto counter = s.sys->spawn(
      [&](caf::event_based_actor*, int) -> caf::behavior {
        auto next = std::make_shared<int>(0);
        return {[=, &io, &off_io_thread](int i) -> int {
          if (!io.get_executor().running_in_this_thread()) ++off_io_thread;
          if (i != *next) return -1;
          ++*next;
          return i;
        }};
      },
      0);
  constexpr int n = 10'000;
  caf::scoped_actor self{*s.sys};
  // A sender actor on the scheduler: its sends go through exec_later.
  auto sender = s.sys->spawn(
      [=](caf::event_based_actor* me, int) -> caf::behavior {
        // The counter's answers come back here: unhandled, CAF 0.17 would answer each with an
        // unexpected_message error, and that error ends the counter before the test asks it.
        return {[=](caf::atom_value) {
                  for (int i = 0; i < n; ++i) me->send(counter, i);
                },
                [](int) {}};
      },
      0);
  self->send(sender, caf::atom("go"));
  int last = -2;
  self->send(counter, n);  // queued behind some of the sender's, or not: either way in order
  self->receive([&](int r) { last = r; }, caf::after(seconds(30)) >> [] {});
  // The scoped actor's n comes either after all of the sender's (then it is n) or before
  // the counter reached it (then -1): never anything else, and the counter kept order.
  BOOST_TEST((last == n || last == -1));
  self->request(counter, seconds(30), n - 1)
      .receive([&](int r) { BOOST_TEST((r == -1 || r == n - 1)); },
               [&](caf::error& e) { BOOST_FAIL("no answer: " + s.sys->render(e)); });
  BOOST_TEST(off_io_thread.load() == 0);
  self->send_exit(counter, caf::exit_reason::user_shutdown);
  self->send_exit(sender, caf::exit_reason::user_shutdown);
}

// Two actors pass a count back and forth: each hop makes the other one runnable on the io
// thread that runs the sender, and it joins the running batch instead of waiting for a handler
// of its own (between two handlers Asio polls epoll: a system call each).
BOOST_AUTO_TEST_CASE(a_chain_of_messages_runs_in_few_io_handlers) {
  io_system s{milliseconds{0}, 0};
  std::atomic<bool> done{false};
  auto hop = [](caf::event_based_actor* self, std::atomic<bool>* finished) -> caf::behavior {
    return {[=](int n, const caf::actor& other) {
      if (n == 0)
        *finished = true;
      else
        self->send(other, n - 1, caf::actor_cast<caf::actor>(self));
    }};
  };
  auto a = s.sys->spawn(hop, &done);
  auto b = s.sys->spawn(hop, &done);
  constexpr int hops = 1'000;
  asio::post(s.io, [&] { caf::anon_send(a, hops, b); });
  int handlers = 0;
  while (!done) {
    const auto ran = s.io.run_one();
    if (ran == 0) break;
    handlers += static_cast<int>(ran);
  }
  BOOST_TEST(done.load());
  // One per 64 hops and a few to start the two actors; one handler per hop was 1 000 or more.
  BOOST_TEST(handlers < hops / 10, handlers << " handlers for " << hops << " hops");
  s.io.restart();
  s.start(2);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(b, caf::exit_reason::user_shutdown);
}

// The HTTP client's answer callback sends its pool actor a message: inside run_batched the
// actor runs before run_batched returns, in the callback's handler; a plain send waits for a
// handler of its own (Asio looks at epoll in between).
BOOST_AUTO_TEST_CASE(run_batched_runs_the_actors_it_made_runnable_before_it_returns) {
  io_system s{milliseconds{0}, 0};
  std::atomic<int> got{0};
  auto sink = s.sys->spawn([&got](caf::event_based_actor*,
                                  int) -> caf::behavior { return {[&got](int n) { got += n; }}; },
                           0);
  int inside = -1, after_plain_send = -1;
  asio::post(s.io, [&] {
    mc::actors::run_batched(*s.sys, [&] { caf::anon_send(sink, 1); });
    inside = got.load();
    caf::anon_send(sink, 10);
    after_plain_send = got.load();
  });
  while (got.load() < 11 && s.io.run_one() > 0) {
  }
  BOOST_TEST(inside == 1);
  BOOST_TEST(after_plain_send == 1);
  BOOST_TEST(got.load() == 11);
  // Off the io threads there is no handler to run the actor in: it runs later, on one.
  mc::actors::run_batched(*s.sys, [&] { caf::anon_send(sink, 100); });
  BOOST_TEST(got.load() == 11);
  while (got.load() < 111 && s.io.run_one() > 0) {
  }
  BOOST_TEST(got.load() == 111);
  s.io.restart();
  s.start(2);
  caf::anon_send_exit(sink, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(delayed_messages_arrive_at_or_after_their_time_earliest_first) {
  io_system s;
  caf::scoped_actor self{*s.sys};
  const auto start = steady_clock::now();
  // Scheduled latest first: each new one is earlier than the armed timer, which must re-arm.
  auto a = s.sys->spawn(
      [&](caf::event_based_actor* me, int) -> caf::behavior {
        const caf::actor reply_to = caf::actor_cast<caf::actor>(self);
        me->delayed_send(reply_to, hours(1), 3600);
        for (int ms = 300; ms >= 0; ms -= 50) me->delayed_send(reply_to, milliseconds(ms), ms);
        return {[](int) {}};
      },
      0);
  std::vector<int> got;
  for (int i = 0; i < 7; ++i) {
    self->receive(
        [&](int ms) {
          BOOST_TEST((steady_clock::now() - start >= milliseconds(ms)));
          got.push_back(ms);
        },
        caf::after(seconds(30)) >> [] { BOOST_FAIL("a delayed message did not come"); });
  }
  BOOST_TEST((got == std::vector<int>{0, 50, 100, 150, 200, 250, 300}));
  self->send_exit(a, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(with_timer_slack_delayed_messages_wait_for_the_next_grid_point) {
  const milliseconds slack{200};
  io_system s{slack};
  caf::scoped_actor self{*s.sys};
  auto grid = [&](steady_clock::time_point t) {
    const auto since = t.time_since_epoch();
    return steady_clock::time_point{(since + slack - steady_clock::duration{1}) / slack * slack};
  };
  const auto start = steady_clock::now();
  auto a = s.sys->spawn(
      [&](caf::event_based_actor* me, int) -> caf::behavior {
        const caf::actor reply_to = caf::actor_cast<caf::actor>(self);
        for (int ms : {1, 40, 80, 120, 160, 240}) me->delayed_send(reply_to, milliseconds(ms), ms);
        return {[](int) {}};
      },
      0);
  std::vector<int> got;
  for (int i = 0; i < 6; ++i) {
    self->receive(
        [&](int ms) {
          // Due at start + ms or later: never before the grid point at or after that.
          BOOST_TEST((steady_clock::now() >= grid(start + milliseconds(ms))), ms);
          got.push_back(ms);
        },
        caf::after(seconds(30)) >> [] { BOOST_FAIL("a delayed message did not come"); });
  }
  BOOST_TEST((got == std::vector<int>{1, 40, 80, 120, 160, 240}));
  self->send_exit(a, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(request_timeouts_fire) {
  io_system s;
  auto silent = s.sys->spawn(
      [](caf::event_based_actor*, int) -> caf::behavior {
        return {[](int) -> caf::result<int> { return caf::delegated<int>{}; }};
      },
      0);
  auto asker = s.sys->spawn(
      [=](caf::event_based_actor* me, int) -> caf::behavior {
        return {[=](caf::atom_value) -> caf::result<std::string> {
          auto rp = me->make_response_promise<std::string>();
          me->request(silent, milliseconds(100), 1)
              .then([=](int) mutable { rp.deliver(std::string("answered")); },
                    [=](caf::error& e) mutable { rp.deliver(to_string(e)); });
          return rp;
        }};
      },
      0);
  caf::scoped_actor self{*s.sys};
  self->request(asker, seconds(30), caf::atom("ask"))
      .receive([](std::string& r) { BOOST_TEST(r.find("request_timeout") != std::string::npos); },
               [](caf::error& e) { BOOST_FAIL(to_string(e)); });
  self->send_exit(silent, caf::exit_reason::user_shutdown);
  self->send_exit(asker, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(after_the_actors_the_io_threads_run_out_of_work) {
  io_system s;
  {
    caf::scoped_actor self{*s.sys};
    // Leaves a delayed message an hour ahead behind: only stop_actor_timers drops it.
    auto a = s.sys->spawn(
        [](caf::event_based_actor* me, int) -> caf::behavior {
          me->delayed_send(me, hours(1), caf::atom("late"));
          return {[](caf::atom_value) {}};
        },
        0);
    self->send_exit(a, caf::exit_reason::user_shutdown);
  }
  s.shut_down();  // joins the io threads without io.stop(): hangs (ctest timeout) if work is left
  BOOST_TEST(s.io.stopped());
}

BOOST_AUTO_TEST_CASE(a_gathering_thread_handles_what_arrives_during_its_pause_in_one_round) {
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{io.get_executor()};
  std::vector<int> ran;  // only the io thread touches it
  std::thread poster([&] {
    // 20 events 1 ms apart: a thread woken per event runs ~20 rounds.
    for (int i = 0; i < 20; ++i) {
      asio::post(io, [&ran, i] { ran.push_back(i); });
      std::this_thread::sleep_for(milliseconds(1));
    }
    asio::post(io, [&work] { work.reset(); });
  });
  const auto run = mc::actors::run_gathered(io, milliseconds(250));
  poster.join();
  BOOST_TEST(ran.size() == 20u);
  BOOST_TEST(std::is_sorted(ran.begin(), ran.end()));
  BOOST_TEST(run.rounds <= 5u);  // 1-2 unless the poster is starved for 250 ms several times
  BOOST_TEST(run.pauses >= 1u);
  BOOST_TEST(io.stopped());  // out of work: returned as io.run() would
}

BOOST_AUTO_TEST_CASE(a_gathering_thread_stops_pausing_when_its_pauses_catch_nothing) {
  // Pairs of events 1 ms apart, 3 pauses apart: the second of a pair comes soon after the first,
  // but a pause after it waits for nothing (the next pair comes long after). Pausing after every
  // pair costs 40 sleeps and wake-ups that catch no event.
  const auto gather = milliseconds(20);
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{io.get_executor()};
  std::vector<int> ran;  // only the io thread touches it
  std::thread poster([&] {
    for (int i = 0; i < 40; ++i) {
      asio::post(io, [&ran, i] { ran.push_back(2 * i); });
      std::this_thread::sleep_for(milliseconds(1));
      asio::post(io, [&ran, i] { ran.push_back(2 * i + 1); });
      std::this_thread::sleep_for(3 * gather);
    }
    asio::post(io, [&work] { work.reset(); });
  });
  const auto run = mc::actors::run_gathered(io, gather);
  poster.join();
  BOOST_TEST(ran.size() == 80u);
  BOOST_TEST(std::is_sorted(ran.begin(), ran.end()));
  // While the odds fall from "pause" (a few pairs), then only when a slow hand-over happens to
  // put pairs close together again.
  BOOST_TEST(run.pauses <= 20u);
}

BOOST_AUTO_TEST_CASE(gather_odds_pause_while_most_rounds_are_followed_by_an_event_soon) {
  mc::actors::gather_odds odds;
  BOOST_TEST(odds.pause_pays());                        // until shown otherwise
  for (int i = 0; i < 200; ++i) odds.add(i % 20 != 0);  // 19 in 20 followed soon
  BOOST_TEST(odds.pause_pays());
  for (int i = 0; i < 200; ++i) odds.add(i % 2 == 0);  // every other: a pause is a loss
  BOOST_TEST(!odds.pause_pays());
  BOOST_TEST(odds.share() < 0.6);
  for (int i = 0; i < 200; ++i) odds.add(true);  // load again
  BOOST_TEST(odds.pause_pays());
}

BOOST_AUTO_TEST_CASE(after_an_idle_spell_a_gathering_thread_does_not_hold_back_the_answer) {
  // An API write on an idle service: a message to another thread, whose answer comes back
  // within a millisecond. Held back by a pause, it would wait the whole `gather`.
  using clock = std::chrono::steady_clock;
  const auto gather = milliseconds(400);
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{io.get_executor()};
  clock::time_point asked, answered;
  std::atomic<bool> ask{false};
  std::thread other([&] {
    std::this_thread::sleep_for(gather + milliseconds(100));  // idle
    asio::post(io, [&] {
      asked = clock::now();
      ask = true;
    });
    while (!ask) std::this_thread::sleep_for(microseconds(100));
    asio::post(io, [&] {
      answered = clock::now();
      work.reset();
    });
  });
  mc::actors::run_gathered(io, gather);
  other.join();
  // Far below `gather`, far above a slow machine's (or TSan's) hand-over.
  BOOST_TEST(std::chrono::duration_cast<milliseconds>(answered - asked).count() < 200);
}

BOOST_AUTO_TEST_CASE(a_gathering_thread_returns_when_stopped) {
  asio::io_context io;
  auto work = asio::make_work_guard(io);
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(20));
    io.stop();
  });
  mc::actors::run_gathered(io, milliseconds(5));  // hangs (ctest timeout) if stop is missed
  stopper.join();
  BOOST_TEST(io.stopped());
}
