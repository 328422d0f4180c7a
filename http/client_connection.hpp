// Internal to the HTTP client: one connection to one origin (plain or TLS) that runs one
// request/response exchange at a time. Kept apart from client.cpp so Beast and OpenSSL are
// compiled in a single translation unit (client_connection.cpp).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <miner_controller/http_types.hpp>
#include <string>

#include "http/block_pool.hpp"
#include "http/client.hpp"
#include "http/url.hpp"

namespace boost::asio::ssl {
class context;
}

namespace mc::http::detail {

using strand = boost::asio::strand<boost::asio::io_context::executor_type>;

// Most pool answers (JSON of 0.5-20 KB) fit one read of this buffer; a connection holds one only
// during an exchange. Up to read_buffers_kept of them (512 KB) are kept for the next exchanges.
constexpr std::size_t read_buffer_bytes = 16 * 1024;
constexpr std::size_t read_buffers_kept = 32;

/// What every connection of one client shares; immutable after construction but the counters
/// and the kept read buffers.
struct shared_config {
  client_options options;
  std::shared_ptr<boost::asio::ssl::context> tls;  // null when it could not be set up
  std::string tls_error;                           // why it could not, for https requests
  std::atomic<std::size_t> requests_sent{0};
  std::atomic<std::size_t> requests_shared{0};
  std::atomic<std::size_t> connections_opened{0};
  block_pool read_buffers{read_buffer_bytes, read_buffers_kept};
};

/// The client TLS context: system CA store, plus options.extra_ca_file. Sets `error` (and
/// returns null) when the extra CA file cannot be loaded.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const client_options& options,
                                                            std::string& error);

struct exchange_result {
  enum class kind {
    answered,  // status, headers and body are set
    failed,    // error says why
    stale,     // a reused connection was already closed by the server: nothing was answered
  };
  kind outcome = kind::failed;
  std::string error;
  int status = 0;
  http_headers headers;
  mc::response_body body;  // shared by every caller it answers
  bool reusable = false;   // the connection may carry another request
};

class connection {
 public:
  virtual ~connection() = default;
  /// Connects first if needed (resolve, TCP, TLS handshake), sends `request` for `target` (of
  /// this connection's origin) and reads the answer. `done` runs exactly once, on the
  /// connection's strand, never inside exchange().
  virtual void exchange(const http_request& request, const url_parts& target,
                        std::function<void(exchange_result)> done) = 0;
  /// Aborts whatever is in progress (the deadline passed): the exchange ends as failed.
  virtual void abort() = 0;
};

/// A new, unconnected connection to `target`'s origin whose I/O runs on `s`.
std::shared_ptr<connection> make_connection(strand s, const url_parts& target,
                                            std::shared_ptr<shared_config> config);

}  // namespace mc::http::detail
