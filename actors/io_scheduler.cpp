#include "actors/io_scheduler.hpp"

#include <boost/asio/defer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/container/small_vector.hpp>
#include <caf/detail/simple_actor_clock.hpp>
#include <caf/execution_unit.hpp>
#include <caf/resumable.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mc::actors {

namespace {

namespace asio = boost::asio;

// CAF's bookkeeping of timeouts and delayed messages (simple_actor_clock, not thread-safe)
// behind a mutex, with one Asio timer armed for the earliest entry. CAF's own clock wakes its
// thread for every entry added; this one touches the timer only when the earliest one changes.
class io_clock final : public caf::detail::simple_actor_clock {
  using super = caf::detail::simple_actor_clock;

 public:
  // Runs its argument, then the actors it made runnable, together (io_coordinator::batched).
  using batch_runner = std::function<void(const std::function<void()>&)>;

  io_clock(asio::io_context& io, duration_type slack, batch_runner batched)
      : timer_(io), slack_(slack), batched_(std::move(batched)) {}

  void set_ordinary_timeout(time_point t, caf::abstract_actor* self, caf::atom_value type,
                            std::uint64_t id) override {
    std::lock_guard lock{mutex_};
    super::set_ordinary_timeout(t, self, type, id);
    arm();
  }

  void set_multi_timeout(time_point t, caf::abstract_actor* self, caf::atom_value type,
                         std::uint64_t id) override {
    std::lock_guard lock{mutex_};
    super::set_multi_timeout(t, self, type, id);
    arm();
  }

  void set_request_timeout(time_point t, caf::abstract_actor* self, caf::message_id id) override {
    std::lock_guard lock{mutex_};
    super::set_request_timeout(t, self, id);
    arm();
  }

  void schedule_message(time_point t, caf::strong_actor_ptr receiver,
                        caf::mailbox_element_ptr content) override {
    std::lock_guard lock{mutex_};
    super::schedule_message(t, std::move(receiver), std::move(content));
    arm();
  }

  void schedule_message(time_point t, caf::group target, caf::strong_actor_ptr sender,
                        caf::message content) override {
    std::lock_guard lock{mutex_};
    super::schedule_message(t, std::move(target), std::move(sender), std::move(content));
    arm();
  }

  // A cancelled entry may leave the timer armed for it: it then fires, finds nothing due and
  // re-arms for the next entry.
  void cancel_ordinary_timeout(caf::abstract_actor* self, caf::atom_value type) override {
    std::lock_guard lock{mutex_};
    super::cancel_ordinary_timeout(self, type);
  }

  void cancel_request_timeout(caf::abstract_actor* self, caf::message_id id) override {
    std::lock_guard lock{mutex_};
    super::cancel_request_timeout(self, id);
  }

  void cancel_timeouts(caf::abstract_actor* self) override {
    std::lock_guard lock{mutex_};
    super::cancel_timeouts(self);
  }

  void cancel_all() override {
    std::lock_guard lock{mutex_};
    super::cancel_all();
  }

  // Drops every entry and the armed timer; later entries are kept but never fire.
  void stop() {
    std::lock_guard lock{mutex_};
    stopped_ = true;
    super::cancel_all();
    timer_.cancel();
  }

 private:
  // With mutex_ held. Re-arming cancels the pending wait (its handler sees operation_aborted);
  // a wait that had already fired runs its handler anyway, which only triggers and re-arms.
  void arm() {
    if (stopped_ || schedule().empty()) return;
    const auto due = on_slack_grid(schedule().begin()->first);
    if (armed_ && due >= armed_for_) return;
    armed_ = true;
    armed_for_ = due;
    timer_.expires_at(due);
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;  // replaced by an earlier deadline, or stopped: `this` may be gone
      // The actors whose deadlines these were (often hundreds, one wake-up per slack) run
      // after the lock is released: they set timers of their own.
      batched_([this] {
        std::lock_guard lock{mutex_};
        armed_ = false;
        trigger_expired_timeouts();  // enqueues into mailboxes: never runs an actor inline
        arm();
      });
    });
  }

  // Rounds up to a multiple of the slack, so that the deadlines of one slack-long window (the
  // polls of many pools, their safety deadlines) are met by one wake-up, which fires them all.
  time_point on_slack_grid(time_point t) const {
    if (slack_.count() <= 0) return t;
    const auto since = t.time_since_epoch();
    return time_point{(since + slack_ - duration_type{1}) / slack_ * slack_};
  }

  std::mutex mutex_;
  asio::steady_timer timer_;
  const duration_type slack_;
  const batch_runner batched_;
  bool armed_ = false;
  time_point armed_for_{};
  bool stopped_ = false;
};

class io_coordinator final : public caf::scheduler::abstract_coordinator {
 public:
  io_coordinator(caf::actor_system& sys, asio::io_context& io, std::chrono::milliseconds slack)
      : abstract_coordinator(sys),
        io_(io),
        unit_(*this),
        clock_(io, slack, [this](const std::function<void()>& f) { batched(f); }) {}

  void enqueue(caf::resumable* job) override { schedule(job); }

  caf::actor_clock& clock() noexcept override { return clock_; }

  void stop_timers() { clock_.stop(); }

  // Inside a batch of ours the jobs join it anyway; off the io threads there is none to run.
  void run_batched(const std::function<void()>& f) {
    if (batch_.owner == this || !io_.get_executor().running_in_this_thread()) return f();
    batched(f);
  }

 protected:
  void stop() override {
    stop_actors();  // the detached printer
    clock_.stop();
    // Jobs enqueued after the io threads returned (the system's hidden actors being told to
    // exit) run here, so none is left holding an actor.
    if (io_.stopped()) {
      io_.restart();
      while (io_.poll() > 0) {
      }
    }
  }

 private:
  // A job made runnable on an io thread while that thread runs a batch joins the batch: a
  // chain of messages (an answer -> its pool actor -> the tile cache) runs in one Asio handler.
  // Between two handlers Asio asks epoll for I/O (epoll_wait with a zero timeout), and one
  // handler per job made that half of a poll's system calls. After max_batch jobs the rest
  // goes back to the io_context, so sockets and timers are served in between.
  static constexpr std::size_t max_batch = 64;
  // Most batches are a few jobs: kept inline, a batch allocates nothing (a std::vector made
  // one allocation per handler and one per growth: 98 -> 95 allocations per poll without it).
  using job_list = boost::container::small_vector<caf::resumable*, 16>;
  struct running_batch {
    io_coordinator* owner;
    job_list* jobs;
  };
  static inline thread_local running_batch batch_{nullptr, nullptr};

  // The job carries one reference to the actor (taken by whoever made it runnable).
  void schedule(caf::resumable* job) {
    if (batch_.owner == this) {
      batch_.jobs->push_back(job);
      return;
    }
    // On an io thread the job runs on that thread once its current handler returns, without
    // waking another thread; from any other thread it wakes one.
    if (io_.get_executor().running_in_this_thread())
      asio::defer(io_, [this, job] { run_batch(job_list{job}); });
    else
      asio::post(io_, [this, job] { run_batch(job_list{job}); });
  }

  // Runs f, then as one batch every job f made runnable on this thread.
  void batched(const std::function<void()>& f) {
    job_list jobs;
    const auto outer = batch_;
    batch_ = {this, &jobs};
    f();
    batch_ = outer;
    if (!jobs.empty()) run_batch(std::move(jobs));
  }

  void run_batch(job_list jobs) {
    const auto outer = batch_;  // another system's batch, in tests that run two on one thread
    batch_ = {this, &jobs};
    std::size_t i = 0;
    for (; i < jobs.size() && i < max_batch; ++i) run(jobs[i]);
    batch_ = outer;
    if (i == jobs.size()) return;
    jobs.erase(jobs.begin(), jobs.begin() + static_cast<std::ptrdiff_t>(i));
    asio::defer(io_, [this, rest = std::move(jobs)]() mutable { run_batch(std::move(rest)); });
  }

  void run(caf::resumable* job) {
    switch (job->resume(&unit_, max_throughput())) {
      case caf::resumable::resume_later:
        schedule(job);  // more messages than one turn may take: let others run first
        break;
      case caf::resumable::awaiting_message:  // enqueued again by its next message
      case caf::resumable::done:
      case caf::resumable::shutdown_execution_unit:
        intrusive_ptr_release(job);
        break;
    }
  }

  // What a running actor sees as its context: another actor it makes runnable is scheduled
  // like any other job.
  class unit final : public caf::execution_unit {
   public:
    explicit unit(io_coordinator& owner) : execution_unit(&owner.system()), owner_(owner) {}
    void exec_later(caf::resumable* job) override { owner_.schedule(job); }

   private:
    io_coordinator& owner_;
  };

  asio::io_context& io_;
  unit unit_;
  io_clock clock_;
};

}  // namespace

void run_actors_on(caf::actor_system_config& cfg, boost::asio::io_context& io,
                   std::chrono::milliseconds timer_slack) {
  cfg.module_factories.push_back(
      [&io, timer_slack](caf::actor_system& sys) -> caf::actor_system::module* {
        return new io_coordinator(sys, io, timer_slack);
      });
}

void run_batched(caf::actor_system& system, const std::function<void()>& f) {
  if (auto* c = dynamic_cast<io_coordinator*>(&system.scheduler())) return c->run_batched(f);
  f();
}

void stop_actor_timers(caf::actor_system& system) {
  if (auto* c = dynamic_cast<io_coordinator*>(&system.scheduler())) c->stop_timers();
}

gathered_run run_gathered(asio::io_context& io, std::chrono::microseconds gather) {
  if (gather.count() <= 0) return {io.run(), 0};
  using clock = std::chrono::steady_clock;
  // After a pause, poll() shows whether it caught anything (run_one() would block if not);
  // without one, run_one() waits for the next event and the clock tells whether it came
  // within `gather` of the last round's end, i.e. whether a pause would have caught it.
  gathered_run run;
  gather_odds odds;
  bool paused = false;
  auto last_end = clock::now();
  for (;;) {
    bool soon = false;
    if (paused && io.poll() > 0) {
      soon = true;
    } else {
      if (io.run_one() == 0) break;
      soon = !paused && clock::now() - last_end < gather;
      io.poll();
    }
    ++run.rounds;
    odds.add(soon);
    paused = soon && odds.pause_pays();
    if (paused) {
      ++run.pauses;
      std::this_thread::sleep_for(gather);
    } else {
      last_end = clock::now();
    }
  }
  return run;
}

}  // namespace mc::actors
