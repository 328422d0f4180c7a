// The local test server: Beast, async on one io thread, so a delayed answer never holds up
// other connections and the concurrency a client produces is what the server sees.
#include "test/support/local_server.hpp"

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <map>
#include <mutex>
#include <thread>
#include <type_traits>

namespace mc::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

std::string path_of(const std::string& target) { return target.substr(0, target.find('?')); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

struct local_server::impl {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::optional<ssl::context> tls;
  std::thread thread;

  mutable std::mutex mutex;
  std::map<std::string, canned> routes;
  std::map<std::string, handler> handlers;
  std::map<std::string, std::size_t> hits_by_target, hits_by_path;
  std::map<std::string, header_list> headers_by_target, headers_by_path;
  std::size_t total = 0;

  std::atomic<std::size_t> accepted{0}, in_flight{0}, peak{0};
  std::atomic<long long> idle_ms{30'000};

  // Records the request and picks its answer. Handlers run outside the lock.
  canned answer_for(const std::string& target, header_list headers) {
    const auto path = path_of(target);
    handler h;
    {
      std::lock_guard lock(mutex);
      ++total;
      ++hits_by_target[target];
      ++hits_by_path[path];
      headers_by_target[target] = headers;
      headers_by_path[path] = headers;
      if (auto it = routes.find(target); it != routes.end()) return it->second;
      if (auto it = handlers.find(path); it != handlers.end()) h = it->second;
    }
    if (h) return h(target, headers);
    return canned{404, R"({"error":"no route for )" + target + R"("})"};
  }

  void request_started() {
    const auto now = ++in_flight;
    for (auto p = peak.load(); now > p && !peak.compare_exchange_weak(p, now);) {
    }
  }

  void accept();
};

namespace {

template <bool Tls>
class session : public std::enable_shared_from_this<session<Tls>> {
  using stream_type =
      std::conditional_t<Tls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

 public:
  template <class... Args>
  session(local_server::impl& server, tcp::socket socket, Args&... tls)
      : server_(server), stream_(std::move(socket), tls...), timer_(stream_.get_executor()) {}

  void start() {
    if constexpr (Tls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](error_code ec) {
                                if (!ec) self->read();  // a client that rejects us hangs up
                              });
    } else {
      read();
    }
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(1024 * 1024);
    beast::get_lowest_layer(stream_).expires_after(
        std::chrono::milliseconds(server_.idle_ms.load()));
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](error_code ec, std::size_t) {
                        if (!ec) self->on_request();
                      });
  }

  void on_request() {
    auto& req = parser_->get();
    header_list headers;
    for (const auto& f : req) headers.emplace_back(lower(f.name_string()), std::string(f.value()));
    keep_alive_ = req.keep_alive();
    head_ = req.method() == bhttp::verb::head;
    server_.request_started();
    counted_ = false;
    answer_ = server_.answer_for(std::string(req.target()), std::move(headers));
    beast::get_lowest_layer(stream_).expires_never();
    if (answer_.delay.count() <= 0) return respond();
    timer_.expires_after(answer_.delay);
    timer_.async_wait([self = this->shared_from_this()](error_code ec) {
      if (ec) return self->done_with_request();
      self->respond();
    });
  }

  void respond() {
    if (answer_.close_without_answer) return close();
    res_ = {static_cast<bhttp::status>(answer_.status), 11};
    res_.set(bhttp::field::server, "mc-test-server");
    res_.set(bhttp::field::content_type, answer_.content_type);
    for (const auto& [name, value] : answer_.headers) res_.insert(name, value);
    res_.body() = answer_.body;
    res_.keep_alive(keep_alive_);
    res_.prepare_payload();
    if (answer_.truncate_body) {
      res_.body().resize(answer_.body.size() / 2);  // Content-Length still announces all of it
      serializer_.emplace(res_);
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
      return bhttp::async_write(
          stream_, *serializer_,
          [self = this->shared_from_this()](error_code, std::size_t) { self->close(); });
    }
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    auto next = [self = this->shared_from_this()](error_code ec, std::size_t) {
      self->done_with_request();
      if (ec || !self->keep_alive_ || self->answer_.close_after_answer) return self->close();
      self->read();
    };
    if (!head_) return bhttp::async_write(stream_, res_, std::move(next));
    serializer_.emplace(res_);  // HEAD: the headers of a GET, no body
    bhttp::async_write_header(stream_, *serializer_, std::move(next));
  }

  void done_with_request() {
    if (counted_) return;
    counted_ = true;
    --server_.in_flight;
  }

  void close() {
    done_with_request();
    error_code ec;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(stream_).close();
  }

  local_server::impl& server_;
  stream_type stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> res_;
  std::optional<bhttp::serializer<false, bhttp::string_body>> serializer_;
  canned answer_;
  bool keep_alive_ = false;
  bool head_ = false;
  bool counted_ = true;  // each request leaves in_flight once, however it ends
};

}  // namespace

void local_server::impl::accept() {
  acceptor.async_accept([this](error_code ec, tcp::socket socket) {
    if (ec) return;  // the acceptor was closed
    ++accepted;
    if (tls) {
      std::make_shared<session<true>>(*this, std::move(socket), *tls)->start();
    } else {
      std::make_shared<session<false>>(*this, std::move(socket))->start();
    }
    accept();
  });
}

local_server::local_server(std::optional<tls_config> tls) : impl_(std::make_unique<impl>()) {
  if (tls) {
    impl_->tls.emplace(ssl::context::tls_server);
    impl_->tls->use_certificate_chain(asio::buffer(tls->cert_pem));
    impl_->tls->use_private_key(asio::buffer(tls->key_pem), ssl::context::pem);
  }
  const tcp::endpoint ep{asio::ip::make_address("127.0.0.1"), 0};
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  impl_->accept();
  impl_->thread = std::thread([i = impl_.get()] { i->io.run(); });
}

local_server::~local_server() {
  impl_->io.stop();
  impl_->thread.join();
  // Pending handlers (and with them the sessions and their sockets) go with the io_context.
}

unsigned short local_server::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string local_server::base_url() const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}

void local_server::route(const std::string& target, canned answer) {
  std::lock_guard lock(impl_->mutex);
  impl_->routes.insert_or_assign(target, std::move(answer));
}

void local_server::route_handler(const std::string& path, handler h) {
  std::lock_guard lock(impl_->mutex);
  impl_->handlers.insert_or_assign(path, std::move(h));
}

void local_server::set_idle_timeout(std::chrono::milliseconds idle) {
  impl_->idle_ms = idle.count();
}

std::size_t local_server::hits(const std::string& key) const {
  std::lock_guard lock(impl_->mutex);
  const auto& m = key.find('?') != std::string::npos ? impl_->hits_by_target : impl_->hits_by_path;
  const auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

std::size_t local_server::total_hits() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->total;
}

header_list local_server::last_headers(const std::string& key) const {
  std::lock_guard lock(impl_->mutex);
  const auto& m =
      key.find('?') != std::string::npos ? impl_->headers_by_target : impl_->headers_by_path;
  const auto it = m.find(key);
  return it == m.end() ? header_list{} : it->second;
}

std::size_t local_server::connections_accepted() const { return impl_->accepted; }
std::size_t local_server::max_concurrent_requests() const { return impl_->peak; }

unsigned short unused_port() {
  asio::io_context io;
  tcp::acceptor a(io, tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

}  // namespace mc::test
