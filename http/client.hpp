// The HTTP(S) client the host polls pools with (Boost.Beast, OpenSSL). Thread-safe: fetch()
// may be called from any thread (pool actors call it); the callback runs on one of the
// io_context's threads and must not block (it posts a message to an actor).
//
// Behaviour (implementation: client.cpp schedules, client_connection.cpp does the wire work):
// - Per origin (scheme://host:port): at most max_in_flight_per_host requests at once (0 counts
//   as 1), the rest wait in a FIFO; up to max_idle_per_host kept-alive connections are reused.
//   A reused connection the server had closed is retried once on a fresh one (idempotent
//   methods only).
// - request.timeout is one deadline from fetch() on: queueing, resolve, connect, TLS, write
//   and read. Its error reads "timeout after 10 s" / "after 0.5 s" / "after 1.25 s".
// - A GET identical to one in flight (same url, same headers) waits for that one's answer and
//   gets a copy under its own id and elapsed time, within the first caller's deadline.
// - With a reuse window W, a GET identical to one that *started* less than W ago and got a 2xx
//   answer gets a copy of that answer without going on the wire. The answer is kept only once
//   a second caller asked within a window (a GET one caller makes costs no copy), and only for
//   as long as some caller's window reaches. Pool actors pass 90 % of their interval: 1 000
//   pools reading the same network stats cause about one upstream GET per interval, and no
//   pool's numbers are older than its own interval (its own next poll always fetches anew).
// - Errors are sentences for users: "connection refused by 10.0.0.2:4004", "could not resolve
//   host x (...)", "TLS: certificate verify failed (...)", "response body over N bytes",
//   "connection closed before a complete response", "invalid URL: <url> (<reason>)".
// - No redirects are followed, no compression is asked for. Sends Host, User-Agent and
//   Accept: application/json, */* unless the request sets them itself. Requests carry no body
//   and the client frames them: a request's own Content-Length or Transfer-Encoding header is
//   refused with "header \"<name>\" is set by the client, not by a request".
// - Destroying the client answers every queued or running request with "client shut down"
//   (the io_context must still run for those callbacks to be called).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <miner_controller/http_types.hpp>
#include <string>
#include <vector>

namespace mc::http {

struct client_options {
  std::size_t max_body_bytes = 4 * 1024 * 1024;  // larger bodies fail with an error
  std::size_t max_header_bytes = 64 * 1024;
  std::size_t max_in_flight_per_host = 4;  // more wait in a queue per host
  std::size_t max_idle_per_host = 4;       // kept-alive connections for reuse
  std::string extra_ca_file;               // PEM file trusted besides the system store
  bool verify_peer = true;                 // certificate and host name verification
  std::string user_agent = "miner-controller/0.1";
};

class client {
 public:
  using callback = std::function<void(http_response)>;

  client(boost::asio::io_context& io, client_options options = {});
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  /// Starts the request; `done` is called exactly once with the response or the error.
  /// Identical GETs (same url and headers) in flight at the same time are sent once and every
  /// caller gets a copy of the response.
  /// `reuse`: the window above; 0 shares only with a GET in flight.
  void fetch(http_request request, callback done, std::chrono::milliseconds reuse = {});

  struct stats {
    std::size_t requests_sent = 0;    // requests that went on the wire
    std::size_t requests_shared = 0;  // fetches answered from another's identical in-flight GET
    std::size_t connections_opened = 0;
  };
  stats counters() const;

  /// Per origin (several origins may share a host label), for GET /metrics. Thread-safe; a
  /// request is counted when it ends.
  struct host_stats {
    std::string host;                // host[:port] as in the Host header
    std::uint64_t requests = 0;      // requests that ended: answered or failed
    std::uint64_t shared = 0;        // fetches answered by an identical GET in flight
    std::uint64_t rate_limited = 0;  // answers with status 429
    std::uint64_t errors = 0;        // requests that ended without an HTTP answer
  };
  std::vector<host_stats> host_counters() const;

  struct impl;  // public only so the request objects in client.cpp can name it

 private:
  std::shared_ptr<impl> impl_;
};

/// "10 s", "0.5 s", "1.25 s": how messages write a timeout (whole seconds without decimals,
/// else up to 3 decimals).
std::string seconds_text(std::chrono::milliseconds d);

}  // namespace mc::http
