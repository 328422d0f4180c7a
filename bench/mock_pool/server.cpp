#include "bench/mock_pool/server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "bench/mock_pool/router.hpp"

namespace mc::mock_pool {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::size_t header_limit = 16 * 1024;
constexpr std::uint64_t body_limit = 64 * 1024;
constexpr auto idle_timeout = std::chrono::seconds(60);
constexpr auto write_timeout = std::chrono::seconds(30);

class beast_headers final : public request_headers {
 public:
  explicit beast_headers(const http::fields& fields) : fields_(fields) {}
  std::string_view find(std::string_view name) const override {
    const auto it = fields_.find(name);
    if (it == fields_.end()) return {};
    const auto value = it->value();
    return {value.data(), value.size()};
  }

 private:
  const http::fields& fields_;
};

bool is_parse_error(const beast::error_code& ec) {
  static const auto& http_category = http::make_error_code(http::error::bad_target).category();
  return ec.category() == http_category && ec != http::error::partial_message;
}

class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket&& socket, const router& router)
      : stream_(std::move(socket)), timer_(stream_.get_executor()), router_(router) {
    buffer_.reserve(8192);
  }

  void start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&session::read, shared_from_this()));
  }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(header_limit);
    parser_->body_limit(body_limit);
    stream_.expires_after(idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::body_limit) return answer_and_close(413, "request body too large");
    if (ec == http::error::header_limit) return answer_and_close(431, "request header too large");
    if (ec && is_parse_error(ec)) return answer_and_close(400, "malformed HTTP request");
    if (ec) return close();  // end of stream, timeout, reset: nobody left to answer

    const auto& request = parser_->get();
    reply r;
    try {
      const beast_headers headers(request.base());
      r = router_.handle(request.method_string(), request.target(), request.body(), &headers);
    } catch (const std::exception& e) {
      r = {500, error_body(std::string("internal error: ") + e.what())};
    }
    prepare(r.status, std::move(r.body), request.version(), request.keep_alive(), r.content_type);
    if (!r.allow.empty()) response_.set(http::field::allow, r.allow);
    if (r.delay.count() > 0) {
      timer_.expires_after(r.delay);
      timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (!wait_ec) self->write();
      });
    } else {
      write();
    }
  }

  void prepare(unsigned status, std::string body, unsigned version, bool keep_alive,
               std::string_view content_type = json_type) {
    response_ = {};
    response_.result(status);
    response_.version(version);
    response_.set(http::field::server, "mock_pool");
    response_.set(http::field::content_type, content_type);
    response_.keep_alive(keep_alive);
    response_.body() = std::move(body);
    response_.prepare_payload();
  }

  void answer_and_close(unsigned status, std::string_view message) {
    prepare(status, error_body(message), 11, false);
    write();
  }

  void write() {
    stream_.expires_after(write_timeout);
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec || !response_.keep_alive()) return close();
    read();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  const router& router_;
};

class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(asio::io_context& ioc, tcp::endpoint endpoint, const router& router)
      : ioc_(ioc),
        acceptor_(asio::make_strand(ioc)),
        retry_(acceptor_.get_executor()),
        router_(router) {
    beast::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    // Lets a restarted mock bind the port its killed predecessor left in TIME_WAIT.
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      throw std::runtime_error("cannot listen on " + endpoint.address().to_string() + ":" +
                               std::to_string(endpoint.port()) + ": " + ec.message());
    }
  }

  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

  void accept() {
    acceptor_.async_accept(asio::make_strand(ioc_),
                           beast::bind_front_handler(&listener::on_accept, shared_from_this()));
  }

 private:
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
      // Typically out of file descriptors: back off instead of spinning on the error.
      retry_.expires_after(std::chrono::milliseconds(50));
      retry_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (!wait_ec) self->accept();
      });
      return;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::make_shared<session>(std::move(socket), router_)->start();
    accept();
  }

  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_;
  const router& router_;
};

}  // namespace

struct server::impl {
  asio::io_context ioc;
  asio::signal_set signals{ioc, SIGINT, SIGTERM};
  std::shared_ptr<listener> acceptor;
};

server::server(const std::string& host, std::uint16_t port, const router& router)
    : impl_(std::make_unique<impl>()) {
  beast::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("not an IP address: " + host);
  impl_->acceptor = std::make_shared<listener>(impl_->ioc, tcp::endpoint(address, port), router);
  impl_->acceptor->accept();
  impl_->signals.async_wait([this](beast::error_code wait_ec, int) {
    if (!wait_ec) stop();
  });
}

server::~server() = default;

std::string server::local_address() const {
  const auto endpoint = impl_->acceptor->local_endpoint();
  const auto address = endpoint.address();
  const auto host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

void server::run(int threads) {
  std::vector<std::thread> extra;
  for (int i = 1; i < threads; ++i) extra.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : extra) t.join();
}

void server::stop() {
  // Pending sessions and timers are simply dropped with the io_context: a mock owes its
  // clients no graceful drain.
  impl_->ioc.stop();
}

}  // namespace mc::mock_pool
