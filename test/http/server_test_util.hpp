// Shared by the server tests: a server running on its own io threads, and a small HTTP client
// over one connection whose every operation has a deadline, so a broken server fails a test
// instead of hanging it.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/server.hpp"

namespace mc::test {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

using reply = bhttp::response<bhttp::string_body>;

inline http::body_ptr body(std::string s) {
  return std::make_shared<const std::string>(std::move(s));
}

// Polls `done` until it holds or `within` passes: for state that settles just after the client
// sees the effect (a session is destroyed after its socket closed).
template <class Pred>
bool eventually(Pred done, std::chrono::milliseconds within = 2s) {
  const auto until = std::chrono::steady_clock::now() + within;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

// A server on 127.0.0.1:<free port>, served by `threads` io threads until destroyed.
struct running_server {
  net::io_context io;
  std::unique_ptr<http::server> srv;
  std::vector<std::thread> threads;
  std::function<void()> before_destroy;  // runs after the io threads stopped, before io dies

  explicit running_server(http::server_options o = {}, http::write_handler writer = {},
                          int thread_count = 2, std::function<std::string()> metrics = {}) {
    srv = std::make_unique<http::server>(io, std::move(o));
    if (writer) srv->set_write_handler(std::move(writer));
    if (metrics) srv->set_metrics_source(std::move(metrics));
    srv->start();
    for (int i = 0; i < thread_count; ++i) threads.emplace_back([this] { io.run(); });
  }
  ~running_server() {
    srv->stop();
    for (auto& t : threads) t.join();  // returns once every connection has closed
    if (before_destroy) before_destroy();
  }
  unsigned short port() const { return srv->port(); }
};

class client {
 public:
  explicit client(unsigned short port, std::chrono::milliseconds deadline = 5s)
      : deadline_(deadline) {
    beast::error_code ec;
    stream_.expires_after(deadline_);
    stream_.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                          [&](beast::error_code e) { ec = e; });
    run();
    if (ec) throw beast::system_error(ec);
  }

  reply request(std::string method, std::string target, std::string payload = {},
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    bhttp::request<bhttp::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(bhttp::field::host, "127.0.0.1");
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = std::move(payload);
    req.prepare_payload();
    beast::error_code ec;
    stream_.expires_after(deadline_);
    bhttp::async_write(stream_, req, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    if (ec) throw beast::system_error(ec);
    return read(method == "HEAD");
  }

  reply get(std::string target) { return request("GET", std::move(target)); }

  void send_raw(std::string_view bytes) {
    beast::error_code ec;
    stream_.expires_after(deadline_);
    net::async_write(stream_, net::buffer(bytes.data(), bytes.size()),
                     [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    if (ec) throw beast::system_error(ec);
  }

  reply read(bool head = false) {
    bhttp::response_parser<bhttp::string_body> p;
    p.body_limit(64 << 20);
    p.skip(head);
    beast::error_code ec;
    stream_.expires_after(deadline_);
    bhttp::async_read(stream_, buffer_, p, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    if (ec) throw beast::system_error(ec);
    return p.release();
  }

  // Raw bytes up to and including `delimiter` (for 100 Continue).
  std::string read_until(std::string_view delimiter) {
    stream_.expires_after(deadline_);
    for (;;) {
      const auto have = beast::buffers_to_string(buffer_.data());
      if (auto at = have.find(delimiter); at != std::string::npos) {
        buffer_.consume(at + delimiter.size());
        return have.substr(0, at + delimiter.size());
      }
      beast::error_code ec;
      std::size_t n = 0;
      stream_.async_read_some(buffer_.prepare(4096), [&](beast::error_code e, std::size_t got) {
        ec = e;
        n = got;
      });
      run();
      if (ec) throw beast::system_error(ec);
      buffer_.commit(n);
    }
  }

  // Waits up to `within` for the server to end the connection; false if it is still open.
  bool closed_by_server(std::chrono::milliseconds within) {
    char byte;
    beast::error_code ec;
    stream_.expires_after(within);
    stream_.async_read_some(net::buffer(&byte, 1),
                            [&](beast::error_code e, std::size_t) { ec = e; });
    run();
    return ec && ec != beast::error::timeout;
  }

 private:
  void run() {
    io_.restart();
    io_.run();
  }

  std::chrono::milliseconds deadline_;
  net::io_context io_;
  beast::tcp_stream stream_{io_};
  beast::flat_buffer buffer_;
};

}  // namespace mc::test
