#include "http/server.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "http/metrics.hpp"
#include "http/request_metrics.hpp"
#include "http/router_static.hpp"

namespace mc::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

class session;

// The latest snapshot. libstdc++ 12's std::atomic<shared_ptr> guards its pointer with a lock
// bit ThreadSanitizer cannot see (it reports a race on every publish); a mutex held for one
// pointer copy costs about the same and is understood by every tool.
class snapshot_slot {
 public:
  snapshot_ptr load() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  void store(snapshot_ptr s) {
    {
      std::lock_guard lock(mutex_);
      current_.swap(s);
    }  // the previous snapshot, now in s, is freed outside the lock
  }

 private:
  mutable std::mutex mutex_;
  snapshot_ptr current_;
};

}  // namespace

struct server::impl : std::enable_shared_from_this<server::impl> {
  net::io_context& io;
  const server_options opts;
  route_options routes;
  tcp::acceptor acceptor;
  net::steady_timer accept_retry;
  unsigned short bound_port = 0;
  snapshot_slot current;
  write_handler writer;
  std::function<std::string()> extra_metrics;
  std::atomic<std::uint64_t> requests{0}, r4xx{0}, r5xx{0}, connections{0}, open{0};
  std::atomic<std::int64_t> writes_in_flight{0};  // handed on, answer not yet written
  request_metrics by_route;

  std::mutex mutex;  // guards sessions, next_id, stopped
  std::unordered_map<std::uint64_t, std::weak_ptr<session>> sessions;
  std::uint64_t next_id = 0;
  bool stopped = false;

  impl(net::io_context& io, server_options o)
      : io(io),
        opts(std::move(o)),
        acceptor(net::make_strand(io)),
        accept_retry(acceptor.get_executor()) {}

  void accept();
  void on_accept(beast::error_code ec, tcp::socket socket);

  void count(int status) {
    if (status >= 500)
      ++r5xx;
    else if (status >= 400)
      ++r4xx;
  }

  // The live part of GET /metrics: this server's counters, then the extra source's.
  std::string metrics_text() {
    metrics::server_sample sample;
    sample.routes = by_route.routes();
    sample.connections = connections.load();
    sample.open_connections = open.load();
    auto out = metrics::render_server(sample);
    if (!extra_metrics) return out;
    try {
      out += extra_metrics();
    } catch (...) {
      // A failing source loses its part of one scrape, never the server.
    }
    return out;
  }
};

namespace {

bool is_json_media_type(std::string_view ct) {
  ct = ct.substr(0, ct.find(';'));
  while (!ct.empty() && (ct.back() == ' ' || ct.back() == '\t')) ct.remove_suffix(1);
  return beast::iequals(ct, "application/json");
}

// Errors of the HTTP parser that mean the client sent something invalid (answered with 4xx),
// as opposed to a connection that went away or timed out (closed silently).
bool is_protocol_error(const beast::error_code& ec) {
  if (ec.category() != bhttp::make_error_code(bhttp::error::bad_target).category()) return false;
  return ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
         ec != bhttp::error::short_read;
}

class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket&& socket, std::shared_ptr<server::impl> srv, std::uint64_t id)
      : stream_(std::move(socket)), srv_(std::move(srv)), id_(id), timer_(stream_.get_executor()) {}

  ~session() {
    write_done();
    --srv_->open;
    std::lock_guard lock(srv_->mutex);
    srv_->sessions.erase(id_);
  }

  void run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_request(); });
  }

  // From any thread: ends the connection and whatever it waits for.
  void close() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      self->write_done();
      self->closed_ = true;
      self->timer_.cancel();
      beast::error_code ec;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      self->stream_.close();
    });
  }

 private:
  const server_options& opts() const { return srv_->opts; }

  // Between requests the idle timeout applies; once a byte of the next request is here, the
  // request timeout does. Pipelined bytes already in the buffer start the request at once.
  void wait_request() {
    if (closed_) return;
    if (buffer_.size() > 0) return read_request();
    stream_.expires_after(opts().idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return self->shutdown();
                              self->buffer_.commit(n);
                              self->read_request();
                            });
  }

  void read_request() {
    started_ = std::chrono::steady_clock::now();
    route_ = other_route;
    parser_.emplace();
    parser_->body_limit(opts().max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(opts().max_header_bytes));
    stream_.expires_after(opts().request_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_error(ec);
    if (parser_->is_done()) return on_request();
    auto read_body = [self = shared_from_this()] {
      bhttp::async_read(self->stream_, self->buffer_, *self->parser_,
                        [self](beast::error_code ec, std::size_t) {
                          if (ec) return self->on_error(ec);
                          self->on_request();
                        });
    };
    // curl and others wait (about 1 s) for this before sending a body.
    if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
      static constexpr std::string_view go_on = "HTTP/1.1 100 Continue\r\n\r\n";
      return net::async_write(
          stream_, net::buffer(go_on.data(), go_on.size()),
          [self = shared_from_this(), read_body](beast::error_code ec, std::size_t) {
            if (ec) return self->shutdown();
            read_body();
          });
    }
    read_body();
  }

  void on_error(beast::error_code ec) {
    if (!is_protocol_error(ec)) return shutdown();
    ++srv_->requests;
    // The rest of the stream cannot be trusted to start at a request: answer, then close.
    if (ec == bhttp::error::body_limit)
      return send(error_response(
                      413, "request body over " + std::to_string(opts().max_body_bytes) + " bytes"),
                  false, false);
    if (ec == bhttp::error::header_limit)
      return send(error_response(431, "request header over " +
                                          std::to_string(opts().max_header_bytes) + " bytes"),
                  false, false);
    send(error_response(400, "malformed request: " + ec.message()), false, false);
  }

  void on_request() {
    ++srv_->requests;
    auto& req = parser_->get();
    version_ = req.version();
    const bool keep = req.keep_alive();
    const bool head = req.method() == bhttp::verb::head;
    const auto snap = srv_->current.load();
    auto routed = route(snap.get(), req.method_string(), req.target(), srv_->routes);
    route_ = routed.route;
    if (!routed.is_write) return send(std::move(routed.response), keep, head);

    // Only JSON bodies: also keeps a cross-site HTML form (which cannot send that type without
    // a CORS preflight) from changing anything when no api_token is set.
    const auto ct = req[bhttp::field::content_type];
    if (ct.empty() ? !req.body().empty() : !is_json_media_type(ct))
      return send(error_response(415, "send the body as Content-Type: application/json"), keep,
                  false);
    const auto [path, query] = split_target(req.target());
    api_request out{std::string(req.method_string()),
                    std::string(req.target()),
                    std::string(path),
                    std::string(query),
                    std::move(req.body()),
                    std::string(ct),
                    std::string(req[bhttp::field::authorization])};
    hand_on(std::move(out), keep);
  }

  // The answer comes back through `respond` from any thread, or not at all: the timer then
  // answers 504 so the connection does not hang. Whichever comes first wins, on the strand.
  void hand_on(api_request request, bool keep) {
    const auto ticket = ++ticket_;
    waiting_ = ticket;
    if (!write_pending_) ++srv_->writes_in_flight;
    write_pending_ = true;
    timer_.expires_after(opts().request_timeout);
    timer_.async_wait([self = shared_from_this(), ticket, keep](beast::error_code ec) {
      if (ec || self->waiting_ != ticket) return;
      self->waiting_ = 0;
      self->send(error_response(504, "no answer from the service in time"), keep, false);
    });
    auto answered = std::make_shared<std::atomic<bool>>(false);
    auto respond = [self = shared_from_this(), ticket, keep, answered](api_response r) {
      if (answered->exchange(true)) return;
      net::post(self->stream_.get_executor(), [self, ticket, keep, r = std::move(r)]() mutable {
        if (self->waiting_ != ticket) return;
        self->waiting_ = 0;
        self->timer_.cancel();
        self->send(std::move(r), keep, false);
      });
    };
    try {
      srv_->writer(std::move(request), respond);
    } catch (const std::exception& e) {
      respond(error_response(500, std::string("write handler failed: ") + e.what()));
    }
  }

  void send(api_response r, bool keep, bool head) {
    if (closed_) return;
    srv_->count(r.status);
    // Counted before the write: a client that has the answer also sees it in the next scrape.
    srv_->by_route.observe(route_, r.status, std::chrono::steady_clock::now() - started_);
    body_ = std::move(r.body);
    const std::size_t size = body_ ? body_->size() : 0;
    res_.emplace();
    res_->result(static_cast<unsigned>(r.status));
    res_->version(version_);
    res_->set(bhttp::field::server, "miner-controller");
    if (body_) res_->set(bhttp::field::content_type, r.content_type);
    if (!r.cache_control.empty()) res_->set(bhttp::field::cache_control, r.cache_control);
    for (auto& [name, value] : r.headers) res_->set(name, value);
    res_->keep_alive(keep);
    // The body points into the snapshot's string, kept alive by body_ until written.
    if (body_ && !head) res_->body() = {body_->data(), size};
    res_->content_length(size);
    stream_.expires_after(opts().request_timeout);
    bhttp::async_write(stream_, *res_,
                       [self = shared_from_this(), keep](beast::error_code ec, std::size_t) {
                         self->write_done();
                         self->res_.reset();
                         self->body_.reset();
                         if (ec) return self->shutdown();
                         if (!keep) return self->linger();
                         self->wait_request();
                       });
  }

  // Closing with unread request bytes makes the kernel send a reset, which can destroy the
  // answer before the client reads it (a 413 sent while the body is still arriving). So:
  // half-close, then discard what still comes for a short while.
  void linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return shutdown();
    buffer_.clear();
    stream_.expires_after(
        std::min<std::chrono::milliseconds>(opts().request_timeout, std::chrono::seconds(2)));
    drain();
  }

  void drain() {
    stream_.async_read_some(buffer_.prepare(16384),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > 4 * self->opts().max_body_bytes)
                                return self->shutdown();
                              self->drain();
                            });
  }

  // A write's answer is out (or never will be): a graceful stop need not wait for it.
  void write_done() {
    if (!write_pending_) return;
    write_pending_ = false;
    --srv_->writes_in_flight;
  }

  void shutdown() {
    write_done();
    closed_ = true;
    timer_.cancel();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<server::impl> srv_;
  const std::uint64_t id_;
  net::steady_timer timer_;  // the write handler's deadline
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::span_body<const char>>> res_;
  body_ptr body_;
  unsigned version_ = 11;
  std::uint64_t ticket_ = 0, waiting_ = 0;  // the write request awaiting an answer, 0: none
  std::size_t drained_ = 0;
  std::chrono::steady_clock::time_point started_;  // the current request's first byte
  std::size_t route_ = other_route;                // its route template, for metrics
  bool closed_ = false;
  bool write_pending_ = false;  // counted in writes_in_flight
};

}  // namespace

void server::impl::accept() {
  acceptor.async_accept(net::make_strand(io),
                        [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                          self->on_accept(ec, std::move(socket));
                        });
}

void server::impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
  if (ec) {
    // Out of descriptors or similar: retry shortly rather than spin on the error.
    accept_retry.expires_after(std::chrono::milliseconds(50));
    accept_retry.async_wait([self = shared_from_this()](beast::error_code e) {
      if (!e) self->accept();
    });
    return;
  }
  ++connections;
  if (open.load() >= opts.max_connections) {
    socket.close(ec);  // over the cap: refuse rather than run out of descriptors
    return accept();
  }
  std::shared_ptr<session> s;
  {
    std::lock_guard lock(mutex);
    if (stopped) return;
    const auto id = ++next_id;
    ++open;
    s = std::make_shared<session>(std::move(socket), shared_from_this(), id);
    sessions.emplace(id, s);
  }
  s->run();
  accept();
}

server::server(net::io_context& io, server_options options)
    : impl_(std::make_shared<impl>(io, std::move(options))) {
  const auto& o = impl_->opts;
  if (!o.static_dir.empty()) impl_->routes.static_root = canonical_static_root(o.static_dir);
  beast::error_code ec;
  const auto address = net::ip::make_address(o.address, ec);
  const std::string where = o.address + ":" + std::to_string(o.port);
  if (ec) throw std::system_error(ec, "invalid listen address " + where);
  const tcp::endpoint ep{address, o.port};
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (!ec) impl_->bound_port = a.local_endpoint(ec).port();
  if (ec) throw std::system_error(ec, "cannot listen on " + where);
}

server::~server() { stop(); }

unsigned short server::port() const { return impl_->bound_port; }

void server::publish(snapshot_ptr s) { impl_->current.store(std::move(s)); }

void server::set_write_handler(write_handler h) { impl_->writer = std::move(h); }

void server::set_metrics_source(std::function<std::string()> source) {
  impl_->extra_metrics = std::move(source);
}

void server::start() {
  impl_->routes.writes_enabled = static_cast<bool>(impl_->writer);
  // The routes live in impl, which every session keeps alive: a plain pointer cannot dangle.
  impl_->routes.metrics_tail = [i = impl_.get()] { return i->metrics_text(); };
  net::dispatch(impl_->acceptor.get_executor(), [i = impl_] { i->accept(); });
}

void server::stop_accepting() {
  net::post(impl_->acceptor.get_executor(), [i = impl_] {
    beast::error_code ec;
    i->acceptor.close(ec);
    i->accept_retry.cancel();
  });
}

std::int64_t server::writes_in_flight() const { return impl_->writes_in_flight.load(); }

void server::stop() {
  std::vector<std::shared_ptr<session>> live;
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) return;
    impl_->stopped = true;
    for (auto& [id, w] : impl_->sessions)
      if (auto s = w.lock()) live.push_back(std::move(s));
  }
  net::post(impl_->acceptor.get_executor(), [i = impl_] {
    beast::error_code ec;
    i->acceptor.close(ec);
    i->accept_retry.cancel();
  });
  for (auto& s : live) s->close();
}

server::stats server::counters() const {
  return {impl_->requests.load(), impl_->r4xx.load(), impl_->r5xx.load(), impl_->connections.load(),
          impl_->open.load()};
}

}  // namespace mc::http
