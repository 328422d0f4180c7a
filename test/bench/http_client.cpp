#include "test/bench/http_client.hpp"

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <stdexcept>

namespace mc::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Synchronous Beast calls ignore tcp_stream's deadline, so every step runs asynchronously
// on a private io_context until done: the deadline then bounds each call.
void connect(asio::io_context& ioc, beast::tcp_stream& stream, const std::string& host,
             std::uint16_t port, std::chrono::milliseconds timeout) {
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  const auto endpoints = resolver.resolve(host, std::to_string(port), ec);
  if (ec) throw std::runtime_error("resolve " + host + ": " + ec.message());
  stream.expires_after(timeout);
  stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
  ioc.restart();
  ioc.run();
  if (ec) {
    throw std::runtime_error("connect " + host + ":" + std::to_string(port) + ": " + ec.message());
  }
}

}  // namespace

struct http_connection::impl {
  asio::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  std::string host_header;
  std::chrono::milliseconds timeout;
};

http_connection::http_connection(const std::string& host, std::uint16_t port,
                                 std::chrono::milliseconds timeout)
    : impl_(std::make_unique<impl>()) {
  impl_->host_header = host + ":" + std::to_string(port);
  impl_->timeout = timeout;
  connect(impl_->ioc, impl_->stream, host, port, timeout);
}

http_connection::~http_connection() {
  beast::error_code ignored;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

http_result http_connection::request(std::string_view method, std::string_view target,
                                     std::string_view body, std::string_view content_type,
                                     const header_list& headers) {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, impl_->host_header);
  req.set(http::field::user_agent, "mc-test");
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty() || method == "POST" || method == "PUT") {
    req.set(http::field::content_type, content_type);
    req.body() = std::string(body);
  }
  req.prepare_payload();

  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  beast::error_code ec;
  auto& s = impl_->stream;
  s.expires_after(impl_->timeout);
  http::async_write(s, req, [&](beast::error_code write_ec, std::size_t) {
    ec = write_ec;
    if (ec) return;
    http::async_read(s, impl_->buffer, parser,
                     [&](beast::error_code read_ec, std::size_t) { ec = read_ec; });
  });
  impl_->ioc.restart();
  impl_->ioc.run();
  if (ec) {
    throw std::runtime_error(std::string(method) + " " + std::string(target) + " on " +
                             impl_->host_header + ": " + ec.message());
  }
  auto& res = parser.get();
  return {res.result_int(), std::move(res.body()), std::string(res[http::field::content_type]),
          res.keep_alive()};
}

http_result http_get(const std::string& host, std::uint16_t port, std::string_view target,
                     std::chrono::milliseconds timeout, const header_list& headers) {
  http_connection c(host, port, timeout);
  return c.get(target, headers);
}

http_result http_post(const std::string& host, std::uint16_t port, std::string_view target,
                      std::string_view body, std::chrono::milliseconds timeout) {
  http_connection c(host, port, timeout);
  return c.post(target, body);
}

std::string raw_exchange(const std::string& host, std::uint16_t port, std::string_view bytes,
                         std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  connect(ioc, stream, host, port, timeout);
  std::string received;
  std::array<char, 4096> chunk;
  std::function<void(beast::error_code, std::size_t)> on_read = [&](beast::error_code ec,
                                                                    std::size_t n) {
    received.append(chunk.data(), n);
    if (!ec) stream.async_read_some(asio::buffer(chunk), on_read);
  };
  stream.expires_after(timeout);
  asio::async_write(stream, asio::buffer(bytes.data(), bytes.size()),
                    [&](beast::error_code ec, std::size_t) {
                      if (!ec) stream.async_read_some(asio::buffer(chunk), on_read);
                    });
  ioc.restart();
  ioc.run();
  return received;
}

}  // namespace mc::test
