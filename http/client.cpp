// Request scheduling of the HTTP client: per-origin queues, in-flight limits, kept-alive
// connection reuse, coalescing of identical GETs and the one deadline per request. The wire
// work (Beast, TLS) is in client_connection.cpp.
//
// Threading: each origin (scheme://host:port) has a host_state whose data is only touched on
// its own strand; its connections and timers run on that strand too. The map of origins is
// guarded by a mutex, the counters are atomics. Callbacks are posted to the io_context, so they
// run on an io thread, never inside fetch() and never while an origin's state is mid-update.
#include "http/client.hpp"

#include <atomic>
#include <boost/asio/defer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <deque>
#include <mutex>
#include <queue>
#include <unordered_map>
#include <vector>

#include "http/client_connection.hpp"
#include "http/url.hpp"

namespace mc::http {
namespace {

namespace asio = boost::asio;
using namespace detail;
using clock_type = std::chrono::steady_clock;

struct waiter {
  std::string id;
  clock_type::time_point start;
  client::callback done;
};

// What the origin remembers of a recent shareable GET, for the callers' reuse windows (see
// client.hpp). The body is kept only once a second caller asked within a window: a GET only one
// pool makes (its own account) costs a few bytes here, never a copy of its answer.
struct recent_get {
  clock_type::time_point fetched;                 // start of the fetch that put it on the wire
  clock_type::time_point keep_until;              // no caller's window reaches past this
  bool wanted = false;                            // another caller asked within a window
  std::shared_ptr<const exchange_result> answer;  // its 2xx answer, once wanted
};

struct job {
  http_request request;
  url_parts target;
  std::string share_key;         // empty: not shared with identical GETs
  clock_type::time_point start;  // of the fetch that put it on the wire
  std::vector<waiter> waiters;   // the first is the caller that started it
  clock_type::time_point deadline;
  std::shared_ptr<connection> conn;
  std::string abort_reason;  // set when the deadline passed or the client shut down
  bool running = false;
  bool finished = false;
  bool retried = false;
};

// A job's deadline, watched by its origin's one timer (host_state::watch).
struct deadline_entry {
  clock_type::time_point at;
  std::weak_ptr<job> of;
  bool operator>(const deadline_entry& o) const { return at > o.at; }
};

// Only GETs without side effects are shared; the key is everything that shapes the answer.
std::string share_key_of(const http_request& r) {
  if (r.method != "GET") return {};
  std::string key = r.url;
  for (const auto& h : r.headers) {
    key += '\n';
    for (char c : h.name) key += ascii_lower(c);
    key += ':';
    key += h.value;
  }
  return key;
}

// RFC 9110 §9.2.2: safe to send again when the first attempt may have reached the server.
bool idempotent(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE" ||
         method == "PUT" || method == "DELETE";
}

exchange_result failure(std::string message) {
  exchange_result r;
  r.error = std::move(message);
  return r;
}

}  // namespace

std::string seconds_text(std::chrono::milliseconds d) {
  const auto ms = d.count();
  std::string s = std::to_string(ms / 1000);
  if (const auto frac = ms % 1000; frac != 0) {
    std::string digits = std::to_string(1000 + (frac < 0 ? -frac : frac)).substr(1);
    while (digits.back() == '0') digits.pop_back();
    s += "." + digits;
  }
  return s + " s";
}

class host_state : public std::enable_shared_from_this<host_state> {
 public:
  host_state(asio::io_context& io, std::shared_ptr<shared_config> config, std::string label)
      : io_(io),
        strand_(asio::make_strand(io)),
        config_(std::move(config)),
        label_(std::move(label)) {}

  const strand& executor() const { return strand_; }

  // Any thread: the counters are atomics, the label never changes.
  client::host_stats counters() const {
    return {label_, requests_.load(std::memory_order_relaxed),
            shared_.load(std::memory_order_relaxed), rate_limited_.load(std::memory_order_relaxed),
            errors_.load(std::memory_order_relaxed)};
  }

  // On the strand.
  void submit(http_request request, url_parts target, client::callback done,
              clock_type::time_point start, std::chrono::milliseconds reuse) {
    waiter w{request.id, start, std::move(done)};
    auto key = share_key_of(request);
    recent_get* recent = nullptr;
    if (!key.empty() && reuse.count() > 0) {
      forget_old(start);
      recent = &recent_[key];
      if (recent->answer && start - recent->fetched < reuse) {
        shared_.fetch_add(1, std::memory_order_relaxed);
        ++config_->requests_shared;
        return respond(w, *recent->answer, request.url, target.host, clock_type::now());
      }
      if (recent->keep_until != clock_type::time_point{} && start - recent->fetched < reuse)
        recent->wanted = true;
      recent->keep_until = std::max(recent->keep_until, start + reuse);
    }
    if (!key.empty()) {
      if (auto it = sharing_.find(key); it != sharing_.end()) {
        it->second->waiters.push_back(std::move(w));
        ++config_->requests_shared;
        shared_.fetch_add(1, std::memory_order_relaxed);
        return;
      }
    }
    auto j = std::make_shared<job>();
    j->request = std::move(request);
    j->target = std::move(target);
    j->share_key = std::move(key);
    j->start = start;
    j->waiters.push_back(std::move(w));
    if (recent) {  // a fresh fetch: the older answer is not handed out any more
      recent->fetched = start;
      recent->answer.reset();
    }
    if (closed_) return finish(j, failure("client shut down"));
    if (!j->share_key.empty()) sharing_[j->share_key] = j;
    // The deadline counts from fetch(): time spent queued behind the per-host limit is part of
    // the caller's budget.
    j->deadline = start + j->request.timeout;
    watch(j);
    queue_.push_back(j);
    pump();
  }

  // On the strand: answers what is queued, aborts what runs, drops idle connections.
  void shutdown() {
    closed_ = true;
    idle_.clear();
    deadline_timer_.cancel();  // no deadline matters now: the queued are answered, the running cut
    auto queued = std::move(queue_);
    queue_.clear();
    for (auto& j : queued) finish(j, failure("client shut down"));
    for (auto& j : std::vector<std::shared_ptr<job>>(running_)) abort(j, "client shut down");
  }

 private:
  std::size_t limit() const {
    return std::max<std::size_t>(1, config_->options.max_in_flight_per_host);
  }

  // finish() calls pump() again; the outer loop already takes care of what that would do.
  void pump() {
    if (pumping_) return;
    pumping_ = true;
    while (running_.size() < limit() && !queue_.empty()) {
      auto j = std::move(queue_.front());
      queue_.pop_front();
      if (j->finished) continue;
      // Its deadline handler may be queued behind us: do not start what is already late.
      if (clock_type::now() >= j->deadline) {
        finish(j, failure(timeout_text(*j)));
        continue;
      }
      j->running = true;
      running_.push_back(j);
      std::shared_ptr<connection> conn;
      if (!idle_.empty()) {
        conn = std::move(idle_.back());  // the most recently used is the most likely alive
        idle_.pop_back();
      }
      send(j, conn ? std::move(conn) : make_connection(strand_, j->target, config_));
    }
    pumping_ = false;
  }

  static std::string timeout_text(const job& j) {
    return "timeout after " + seconds_text(j.request.timeout);
  }

  void send(const std::shared_ptr<job>& j, std::shared_ptr<connection> conn) {
    j->conn = conn;
    conn->exchange(j->request, j->target, [self = shared_from_this(), j, conn](exchange_result r) {
      self->on_exchange(j, conn, std::move(r));
    });
  }

  void on_exchange(const std::shared_ptr<job>& j, const std::shared_ptr<connection>& conn,
                   exchange_result r) {
    using kind = exchange_result::kind;
    if (r.outcome == kind::answered) {
      if (r.reusable && !closed_ && j->abort_reason.empty()) keep_idle(conn);
      return finish(j, std::move(r));
    }
    if (!j->abort_reason.empty()) return finish(j, failure(j->abort_reason));
    // A kept-alive connection the server closed while idle: once more on a fresh one.
    if (r.outcome == kind::stale && !j->retried && idempotent(j->request.method)) {
      j->retried = true;
      return send(j, make_connection(strand_, j->target, config_));
    }
    finish(j, std::move(r));
  }

  // One timer per origin for its jobs' deadlines, armed for the earliest that may still pass:
  // a timer per job cost a timer-queue insert, a cancel and a handler run for every request,
  // and most requests end long before their deadline. Finished jobs leave the heap when they
  // reach its top (weak references: a finished job is not kept).
  void watch(const std::shared_ptr<job>& j) {
    earliest_live();  // what finished leaves first
    deadlines_.push({j->deadline, j});
    if (j->deadline < armed_for_) arm(j->deadline);
  }

  // Drops the finished jobs from the heap's top; the earliest unfinished one, or null.
  std::shared_ptr<job> earliest_live() {
    for (; !deadlines_.empty(); deadlines_.pop())
      if (auto j = deadlines_.top().of.lock(); j && !j->finished) return j;
    return nullptr;
  }

  // An origin polled once an interval (one MMFP or ckpool instance) would otherwise be woken
  // at each poll's earliest deadline, long after its answers.
  void disarm_if_idle() {
    if (earliest_live()) return;  // the timer fires for it, or moves on to it
    armed_for_ = clock_type::time_point::max();
    deadline_timer_.cancel();
  }

  void arm(clock_type::time_point at) {
    armed_for_ = at;
    deadline_timer_.expires_at(at);
    deadline_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->on_deadlines();
    });
  }

  void on_deadlines() {
    armed_for_ = clock_type::time_point::max();
    const auto now = clock_type::now();
    auto j = earliest_live();
    for (; j && j->deadline <= now; j = earliest_live()) {
      deadlines_.pop();
      on_deadline(j);
    }
    if (j && !closed_) arm(j->deadline);
  }

  // For an unfinished job (on_deadlines takes it from earliest_live).
  void on_deadline(const std::shared_ptr<job>& j) {
    const auto reason = timeout_text(*j);
    if (j->running) return abort(j, reason);
    std::erase(queue_, j);
    finish(j, failure(reason));
  }

  // The connection then ends its exchange at once and on_exchange reports the reason.
  void abort(const std::shared_ptr<job>& j, std::string reason) {
    if (!j->abort_reason.empty()) return;
    j->abort_reason = std::move(reason);
    if (j->conn) j->conn->abort();
  }

  void keep_idle(const std::shared_ptr<connection>& conn) {
    if (idle_.size() >= config_->options.max_idle_per_host) return;
    idle_.push_back(conn);
  }

  void finish(const std::shared_ptr<job>& j, exchange_result r) {
    j->finished = true;
    if (armed_for_ != clock_type::time_point::max()) disarm_if_idle();
    requests_.fetch_add(1, std::memory_order_relaxed);
    if (r.outcome != exchange_result::kind::answered)
      errors_.fetch_add(1, std::memory_order_relaxed);
    else if (r.status == 429)
      rate_limited_.fetch_add(1, std::memory_order_relaxed);
    j->conn.reset();
    if (j->running) {
      j->running = false;
      std::erase(running_, j);
    }
    if (!j->share_key.empty()) {
      if (auto it = sharing_.find(j->share_key); it != sharing_.end() && it->second == j)
        sharing_.erase(it);
    }
    if (!j->share_key.empty() && r.outcome == exchange_result::kind::answered && r.status >= 200 &&
        r.status < 300) {
      if (auto it = recent_.find(j->share_key);
          it != recent_.end() && it->second.wanted && it->second.fetched == j->start)
        it->second.answer = std::make_shared<const exchange_result>(r);
    }
    const auto now = clock_type::now();
    for (std::size_t i = 0; i < j->waiters.size(); ++i)
      respond(j->waiters[i], r, j->request.url, j->target.host, now,
              i + 1 == j->waiters.size() ? &r : nullptr);
    j->waiters.clear();
    pump();
  }

  // Answers one caller with a copy of r; with `take` (r itself), its body is moved instead.
  void respond(waiter& w, const exchange_result& r, const std::string& url, const std::string& host,
               clock_type::time_point now, exchange_result* take = nullptr) {
    http_response out;
    out.id = std::move(w.id);
    out.url = url;
    out.host = host;
    out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - w.start);
    if (r.outcome == exchange_result::kind::answered) {
      out.status = r.status;
      out.headers = take ? std::move(take->headers) : r.headers;
      out.body = take ? std::move(take->body) : r.body;
    } else {
      out.error = r.error;
    }
    // Deferred: the callback runs on this io thread after the current handler, rather than
    // waking another thread for it (a wake-up costs more than the callback).
    asio::defer(
        io_, [done = std::move(w.done), out = std::move(out)]() mutable { done(std::move(out)); });
  }

  // Drops what no window reaches any more; a pass over the map at most every few seconds.
  void forget_old(clock_type::time_point now) {
    if (now < next_forget_) return;
    next_forget_ = now + std::chrono::seconds{5};
    std::erase_if(recent_, [&](const auto& e) { return e.second.keep_until < now; });
  }

  asio::io_context& io_;
  strand strand_;
  std::shared_ptr<shared_config> config_;
  std::deque<std::shared_ptr<job>> queue_;
  std::vector<std::shared_ptr<job>> running_;
  std::vector<std::shared_ptr<connection>> idle_;
  std::unordered_map<std::string, std::shared_ptr<job>> sharing_;
  std::unordered_map<std::string, recent_get> recent_;
  std::priority_queue<deadline_entry, std::vector<deadline_entry>, std::greater<>> deadlines_;
  asio::steady_timer deadline_timer_{strand_};
  clock_type::time_point armed_for_ = clock_type::time_point::max();
  clock_type::time_point next_forget_;
  bool closed_ = false;
  bool pumping_ = false;
  const std::string label_;  // host[:port], for metrics
  std::atomic<std::uint64_t> requests_{0}, shared_{0}, rate_limited_{0}, errors_{0};
};

struct client::impl {
  impl(asio::io_context& io, client_options options)
      : io(io), config(std::make_shared<shared_config>()) {
    config->options = std::move(options);
    config->tls = make_tls_context(config->options, config->tls_error);
  }

  std::shared_ptr<host_state> host_for(const url_parts& target) {
    std::lock_guard lock(mutex);
    auto& h = hosts[target.origin()];
    if (!h) h = std::make_shared<host_state>(io, config, target.host_header());
    return h;
  }

  asio::io_context& io;
  std::shared_ptr<shared_config> config;
  std::mutex mutex;
  std::unordered_map<std::string, std::shared_ptr<host_state>> hosts;
};

client::client(asio::io_context& io, client_options options)
    : impl_(std::make_shared<impl>(io, std::move(options))) {}

client::~client() {
  std::lock_guard lock(impl_->mutex);
  for (auto& [origin, h] : impl_->hosts) asio::post(h->executor(), [h = h] { h->shutdown(); });
}

void client::fetch(http_request request, callback done, std::chrono::milliseconds reuse) {
  const auto start = clock_type::now();
  std::string why;
  auto target = parse_url(request.url, &why);
  if (!target) {
    http_response r;
    r.id = std::move(request.id);
    r.url = std::move(request.url);
    r.error = "invalid URL: " + r.url + " (" + why + ")";
    asio::post(impl_->io,
               [done = std::move(done), r = std::move(r)]() mutable { done(std::move(r)); });
    return;
  }
  auto host = impl_->host_for(*target);
  // Called on an io thread (pool actors run there) with the origin idle, the request starts at
  // once on this thread; otherwise it queues on the origin's strand.
  asio::dispatch(host->executor(), [host, request = std::move(request), target = std::move(*target),
                                    done = std::move(done), start, reuse]() mutable {
    host->submit(std::move(request), std::move(target), std::move(done), start, reuse);
  });
}

std::vector<client::host_stats> client::host_counters() const {
  std::vector<host_stats> out;
  std::lock_guard lock(impl_->mutex);
  out.reserve(impl_->hosts.size());
  for (const auto& [origin, h] : impl_->hosts) out.push_back(h->counters());
  return out;
}

client::stats client::counters() const {
  const auto& c = *impl_->config;
  return {c.requests_sent.load(), c.requests_shared.load(), c.connections_opened.load()};
}

}  // namespace mc::http
