// The HTTP server (Boost.Beast): keep-alive sessions that answer GETs from the latest published
// snapshot, without any actor round trip, and hand writes to an async handler. Bounded: header
// and body sizes, a deadline on every read and write, a cap on open connections.
//
//   mc::http::server srv{io, {.address = "0.0.0.0", .port = 8080}};  // binds now, may throw
//   srv.set_write_handler([](api_request req, auto respond) { ... respond(make_response(...)); });
//   srv.set_metrics_source([] { return more_metrics_text(); });  // optional, before start
//   srv.start();                        // then run io on one or more threads
//   srv.publish(snapshot);              // any thread, any time
//   srv.stop();                         // closes the listener and every connection
//
// Threading: every connection runs on its own strand, so `io.run()` may run on several threads.
// Pipelined requests on one connection are answered in order, one at a time: the next request
// is read once the previous answer is written, so a client cannot make the server queue answers.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/router.hpp"
#include "http/snapshot.hpp"

namespace mc::http {

struct api_request {
  std::string method;         // "POST", "PUT", "DELETE", "GET" (GET /api/settings)
  std::string target;         // as sent: "/api/pools/x?y=1"
  std::string path;           // target without the query, not decoded: "/api/pools/x"
  std::string query;          // after '?', not decoded (see query_param)
  std::string body;           // at most max_body_bytes
  std::string content_type;   // the header, "" when absent
  std::string authorization;  // the header, "" when absent
};

/// Called on an Asio thread for a write route. It must not block; `respond` may be called from
/// any thread, once (later calls are ignored). Without an answer within request_timeout the
/// client gets 504.
using write_handler = std::function<void(api_request, std::function<void(api_response)> respond)>;

struct server_options {
  std::string address = "127.0.0.1";
  unsigned short port = 0;                   // 0: any free port (see server::port())
  std::size_t max_body_bytes = 1 << 20;      // larger: 413, nothing reaches the write handler
  std::size_t max_header_bytes = 16 * 1024;  // larger: 431
  std::chrono::milliseconds request_timeout{30'000};  // a started request, an answer, a write
  std::chrono::milliseconds idle_timeout{60'000};     // a kept-alive connection between requests
  std::size_t max_connections = 4096;                 // beyond: accepted and closed at once
  std::string static_dir;  // the built web UI, served at /app/; "" for none
};

class server {
 public:
  /// Binds and listens. Throws std::system_error naming the address when it is invalid or
  /// taken, or naming static_dir when that is set but not a directory.
  server(boost::asio::io_context& io, server_options options);
  ~server();  // stop()
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  unsigned short port() const;   // the bound port
  void publish(snapshot_ptr s);  // thread-safe; readers see either the old or the new one whole
  void set_write_handler(write_handler h);  // before start()
  void start();                             // begins accepting
  void stop();                              // thread-safe, idempotent
  /// A graceful stop: closes the listener only, so open connections can still get the answers
  /// of writes they sent; then wait for writes_in_flight() to reach 0, then stop().
  void stop_accepting();
  std::int64_t writes_in_flight() const;  // write requests handed on and not yet answered

  /// Before start(): more metrics for GET /metrics, after the snapshot's and this server's own
  /// (mc_http_*). Called on an Asio thread per scrape: it must not block.
  void set_metrics_source(std::function<std::string()> source);

  struct stats {
    std::uint64_t requests = 0;  // requests read completely
    std::uint64_t responses_4xx = 0;
    std::uint64_t responses_5xx = 0;
    std::uint64_t connections = 0;  // accepted since start, including refused ones
    std::uint64_t open_connections = 0;
  };
  stats counters() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;  // shared with the sessions, which may outlive the server
};

}  // namespace mc::http
