// The only translation unit of the client that includes Beast and OpenSSL (build time: see
// shared/STACK.md). One template serves plain and TLS connections.
#include "http/client_connection.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>
#include <type_traits>

namespace mc::http::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

bool has_crlf(const std::string& s) { return s.find_first_of("\r\n") != std::string::npos; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = ascii_lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) { return beast::iequals(a, b); }

// The server closed (or reset) the connection: on a reused connection with nothing read, this
// is a kept-alive connection that died while idle, so the request can be tried once more.
bool is_closed(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted || ec == ssl::error::stream_truncated;
}

// Reads an answer straight into an exchange_result: status, header fields as drivers see them
// (names in lower case) and body. Beast's response_parser<string_body> kept each field and the
// reason phrase in allocations of their own, which were then copied into the result: four or
// five allocations and a copy per answer, for nothing.
class answer_parser final : public bhttp::basic_parser<false> {
 public:
  answer_parser() { result_.outcome = exchange_result::kind::answered; }
  // The answer, once is_done(); the parser is spent after it.
  exchange_result take() {
    result_.body = std::move(body_);
    return std::move(result_);
  }

 private:
  void on_request_impl(bhttp::verb, beast::string_view, beast::string_view, int,
                       error_code&) override {}
  void on_response_impl(int status, beast::string_view, int, error_code&) override {
    result_.status = status;
    result_.headers.reserve(8);  // what most servers send: one allocation, not three growths
  }
  void on_field_impl(bhttp::field, beast::string_view name, beast::string_view value,
                     error_code&) override {
    result_.headers.push_back({lower(name), std::string(value)});
  }
  void on_header_impl(error_code&) override {}
  // Within body_limit: the parser checked the length before this call.
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (length) body_.reserve(static_cast<std::size_t>(*length));
  }
  std::size_t on_body_impl(beast::string_view piece, error_code&) override {
    body_.append(piece.data(), piece.size());
    return piece.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view piece, error_code& ec) override {
    return on_body_impl(piece, ec);
  }
  void on_finish_impl(error_code&) override {}

  exchange_result result_;
  std::string body_;
};

template <bool Tls>
class connection_impl final : public connection,
                              public std::enable_shared_from_this<connection_impl<Tls>> {
  using stream_type =
      std::conditional_t<Tls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

 public:
  connection_impl(strand s, url_parts target, std::shared_ptr<shared_config> config)
      : strand_(s),
        target_(std::move(target)),
        host_header_(target_.host_header()),
        config_(std::move(config)),
        resolver_(s),
        buffer_(block_allocator{&config_->read_buffers}) {}

  void exchange(const http_request& request, const url_parts& target,
                std::function<void(exchange_result)> done) override {
    done_ = std::move(done);
    aborted_ = false;
    parser_.reset();
    if (auto problem = build(request, target.target); !problem.empty())
      return fail_later(std::move(problem));
    if (stream_) {
      reused_ = true;
      return write();
    }
    reused_ = false;
    connect();
  }

  void abort() override {
    aborted_ = true;
    resolver_.cancel();
    if (stream_) beast::get_lowest_layer(*stream_).close();
  }

 private:
  std::string endpoint_text() const {
    return (target_.host_is_ipv6() ? "[" + target_.host + "]" : target_.host) + ":" +
           std::to_string(target_.port);
  }

  // The request as it goes on the wire, written by hand: Beast's fields, serializer and write
  // operation cost a handful of allocations and handler passes per request for a few header
  // lines (bench/RESULTS.md, sixth round). The defaults come first unless the request names
  // them.
  std::string build(const http_request& request, const std::string& path_and_query) {
    if (request.method.empty() || has_crlf(request.method) ||
        request.method.find(' ') != std::string::npos)
      return "invalid HTTP method \"" + request.method + "\"";
    bool own_host = false, own_agent = false, own_accept = false;
    std::size_t size = request.method.size() + path_and_query.size() + 160 + host_header_.size() +
                       config_->options.user_agent.size();
    for (const auto& h : request.headers) {
      if (h.name.empty() || has_crlf(h.name) || has_crlf(h.value) ||
          h.name.find_first_of(" :") != std::string::npos)
        return "invalid header \"" + h.name + "\" in the request";
      // The client frames requests itself (they have no body): a framing header of a
      // request's own would put the connection out of step.
      if (iequals(h.name, "content-length") || iequals(h.name, "transfer-encoding"))
        return "header \"" + h.name + "\" is set by the client, not by a request";
      own_host = own_host || iequals(h.name, "host");
      own_agent = own_agent || iequals(h.name, "user-agent");
      own_accept = own_accept || iequals(h.name, "accept");
      size += h.name.size() + h.value.size() + 4;
    }
    auto& w = wire_;
    w.clear();
    w.reserve(size);
    w.append(request.method).append(" ").append(path_and_query).append(" HTTP/1.1\r\n");
    if (!own_host) w.append("Host: ").append(host_header_).append("\r\n");
    if (!own_agent) w.append("User-Agent: ").append(config_->options.user_agent).append("\r\n");
    if (!own_accept) w.append("Accept: application/json, */*\r\n");
    for (const auto& h : request.headers)
      w.append(h.name).append(": ").append(h.value).append("\r\n");
    // As Beast's prepare_payload: methods that usually carry a body say it is empty.
    if (request.method == "POST" || request.method == "PUT" || request.method == "OPTIONS")
      w.append("Content-Length: 0\r\n");
    w.append("\r\n");
    head_ = request.method == "HEAD";
    return {};
  }

  void connect() {
    if constexpr (Tls) {
      if (!config_->tls) return fail_later(config_->tls_error);
      stream_.emplace(strand_, *config_->tls);
    } else {
      stream_.emplace(strand_);
    }
    error_code ec;
    const auto address = asio::ip::make_address(target_.host, ec);
    if (!ec) {  // an IP literal needs no resolver
      return beast::get_lowest_layer(*stream_).async_connect(
          tcp::endpoint{address, target_.port},
          [self = this->shared_from_this()](error_code ec) { self->on_connect(ec); });
    }
    resolver_.async_resolve(
        target_.host, std::to_string(target_.port),
        [self = this->shared_from_this()](error_code ec, tcp::resolver::results_type results) {
          self->on_resolve(ec, std::move(results));
        });
  }

  void on_resolve(error_code ec, tcp::resolver::results_type results) {
    if (aborted_) return fail("aborted");
    if (ec) return fail("could not resolve host " + target_.host + " (" + ec.message() + ")");
    beast::get_lowest_layer(*stream_).async_connect(
        results, [self = this->shared_from_this()](error_code ec, const tcp::endpoint&) {
          self->on_connect(ec);
        });
  }

  void on_connect(error_code ec) {
    if (aborted_) return fail("aborted");
    if (ec == asio::error::connection_refused)
      return fail("connection refused by " + endpoint_text());
    if (ec == asio::error::host_unreachable || ec == asio::error::network_unreachable)
      return fail("cannot reach " + endpoint_text() + " (" + ec.message() + ")");
    if (ec) return fail("could not connect to " + endpoint_text() + ": " + ec.message());
    ++config_->connections_opened;
    beast::get_lowest_layer(*stream_).socket().set_option(tcp::no_delay(true), ec);
    if constexpr (!Tls) stream_->socket().non_blocking(true, ec);  // for write()'s one send
    if constexpr (Tls) {
      handshake();
    } else {
      write();
    }
  }

  void handshake() {
    error_code ec;
    asio::ip::make_address(target_.host, ec);
    const bool is_ip = !ec;
    SSL* ssl_handle = stream_->native_handle();
    // SNI must be a host name, never an IP literal (RFC 6066).
    if (!is_ip && !SSL_set_tlsext_host_name(ssl_handle, target_.host.c_str()))
      return fail("TLS: cannot set server name " + target_.host);
    if (config_->options.verify_peer) {
      stream_->set_verify_mode(ssl::verify_peer);
      // The chain is checked by OpenSSL; the name by Asio's host_name_verification. Its
      // failure leaves no reason in the store, so record one for the error message.
      stream_->set_verify_callback([check = ssl::host_name_verification(target_.host), is_ip](
                                       bool preverified, ssl::verify_context& ctx) mutable {
        if (!preverified) return false;
        if (check(preverified, ctx)) return true;
        X509_STORE_CTX_set_error(ctx.native_handle(), is_ip ? X509_V_ERR_IP_ADDRESS_MISMATCH
                                                            : X509_V_ERR_HOSTNAME_MISMATCH);
        return false;
      });
    } else {
      stream_->set_verify_mode(ssl::verify_none);
    }
    stream_->async_handshake(
        ssl::stream_base::client,
        [self = this->shared_from_this()](error_code ec) { self->on_handshake(ec); });
  }

  void on_handshake(error_code ec) {
    if (aborted_) return fail("aborted");
    if (!ec) return write();
    if constexpr (Tls) {
      const long verify = SSL_get_verify_result(stream_->native_handle());
      if (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH)
        return fail("TLS: certificate verify failed (the certificate is not valid for " +
                    target_.host + ")");
      if (verify != X509_V_OK)
        return fail(std::string("TLS: certificate verify failed (") +
                    X509_verify_cert_error_string(verify) + ")");
    }
    if (is_closed(ec))
      return fail("TLS: " + endpoint_text() + " closed the connection during the handshake");
    fail("TLS: handshake with " + endpoint_text() + " failed (" + ec.message() + ")");
  }

  void write() {
    if (aborted_) return fail("aborted");
    ++config_->requests_sent;
    std::size_t sent = 0;
    if constexpr (!Tls) {
      // A request is a few hundred bytes and the socket's send buffer is empty between
      // exchanges: one non-blocking send, with no Asio operation and no handler. Whatever it
      // could not send (never seen) goes the asynchronous way.
      if (auto& socket = stream_->socket(); socket.non_blocking()) {  // set in on_connect
        error_code ec;
        sent = socket.send(asio::buffer(wire_), 0, ec);
        if (ec && ec != asio::error::would_block)  // exchange() may be on the stack: later
          return asio::post(strand_, [self = this->shared_from_this(), ec] { self->fail_io(ec); });
        if (sent == wire_.size()) return read();
      }
    }
    asio::async_write(*stream_, asio::buffer(wire_.data() + sent, wire_.size() - sent),
                      [self = this->shared_from_this()](error_code ec, std::size_t) {
                        if (ec) return self->fail_io(ec);
                        self->read();
                      });
  }

  void read() {
    parser_.emplace();
    parser_->skip(head_);  // its Content-Length has no body
    parser_->body_limit(config_->options.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(config_->options.max_header_bytes, UINT32_MAX)));
    // Beast reads at most the buffer's free space, at least 512 bytes; the parser empties the
    // buffer as it goes, so an empty one was read 512 bytes at a time (a 1 KB answer: three
    // reads).
    buffer_.reserve(read_buffer_bytes);  // from the client's kept buffers
    // (The read right after the write mostly finds nothing, EAGAIN, before the reactor waits:
    // Asio 1.24 tries every read at once. Waiting for readability first instead costs an
    // epoll_ctl per request, as many system calls; measured, not kept.)
    bhttp::async_read(
        *stream_, buffer_, *parser_,
        [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(error_code ec) {
    // A TLS server that ends a close-delimited body without close_notify still sent it all.
    if (ec == ssl::error::stream_truncated && parser_->is_done()) ec = {};
    if (ec) return fail_io(ec);
    const bool keep_alive = parser_->keep_alive();
    auto r = parser_->take();
    // Bytes after the answer mean the stream is out of step: do not reuse it.
    r.reusable = keep_alive && buffer_.size() == 0 && !aborted_;
    complete(std::move(r));
  }

  void fail_io(error_code ec) {
    if (aborted_) return fail("aborted");
    const bool nothing_read = !parser_ || !parser_->got_some();
    if (reused_ && nothing_read && is_closed(ec)) {
      exchange_result r;
      r.outcome = exchange_result::kind::stale;
      r.error = "connection closed before a complete response";
      return complete(std::move(r));
    }
    if (ec == bhttp::error::body_limit)
      return fail("response body over " + std::to_string(config_->options.max_body_bytes) +
                  " bytes");
    if (ec == bhttp::error::header_limit)
      return fail("response header over " + std::to_string(config_->options.max_header_bytes) +
                  " bytes");
    if (ec == asio::error::connection_reset)
      return fail("connection reset by " + endpoint_text() + " before a complete response");
    if (is_closed(ec) || ec == bhttp::error::partial_message)
      return fail("connection closed before a complete response");
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category())
      return fail("malformed HTTP response from " + endpoint_text() + " (" + ec.message() + ")");
    if (ec.category() == asio::error::get_ssl_category()) return fail("TLS: " + ec.message());
    fail("I/O error with " + endpoint_text() + ": " + ec.message());
  }

  void fail(std::string message) {
    exchange_result r;
    r.error = std::move(message);
    complete(std::move(r));
  }

  // Errors found before any I/O: still never answer inside exchange().
  void fail_later(std::string message) {
    asio::post(strand_, [self = this->shared_from_this(), m = std::move(message)]() mutable {
      self->fail(std::move(m));
    });
  }

  void complete(exchange_result r) {
    if (!done_) return;
    if (r.outcome != exchange_result::kind::answered && stream_) {
      beast::get_lowest_layer(*stream_).close();
      stream_.reset();  // a failed connection is never reused
    }
    release_buffers();
    auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(r));
  }

  // Between exchanges a kept-alive connection holds no request, parser or read buffer: every
  // MMFP or ckpool instance is an origin of its own, so each pool kept ~1.5 KB of them while
  // idle. The next exchange builds them anew (a few small allocations per request). Nothing
  // is lost: a reusable connection has no bytes left in its buffer (on_read).
  void release_buffers() {
    wire_ = {};
    parser_.reset();
    buffer_.clear();
    buffer_.shrink_to_fit();  // an empty buffer's block goes back to the kept ones
  }

  strand strand_;
  url_parts target_;               // the origin: its path is the first request's, never sent
  const std::string host_header_;  // of the origin, so not built anew for every request
  std::shared_ptr<shared_config> config_;
  tcp::resolver resolver_;
  std::optional<stream_type> stream_;
  beast::basic_flat_buffer<block_allocator> buffer_;  // after config_: freed before it
  std::string wire_;                                  // the request being sent
  bool head_ = false;  // it is a HEAD request: the answer's Content-Length has no body
  std::optional<answer_parser> parser_;
  std::function<void(exchange_result)> done_;
  bool reused_ = false;
  bool aborted_ = false;
};

}  // namespace

std::shared_ptr<boost::asio::ssl::context> make_tls_context(const client_options& options,
                                                            std::string& error) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  error_code ec;
  ctx->set_default_verify_paths(ec);  // without a system store only extra_ca_file is trusted
  if (!options.extra_ca_file.empty()) {
    ctx->load_verify_file(options.extra_ca_file, ec);
    if (ec) {
      error = "TLS: cannot load extra_ca_file " + options.extra_ca_file + " (" + ec.message() + ")";
      return nullptr;
    }
  }
  return ctx;
}

std::shared_ptr<connection> make_connection(strand s, const url_parts& target,
                                            std::shared_ptr<shared_config> config) {
  if (target.tls) return std::make_shared<connection_impl<true>>(s, target, std::move(config));
  return std::make_shared<connection_impl<false>>(s, target, std::move(config));
}

}  // namespace mc::http::detail
