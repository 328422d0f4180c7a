// The HTTP(S) client the host polls pools with (Boost.Beast, OpenSSL). Thread-safe: fetch()
// may be called from any thread (pool actors call it); the callback runs on one of the
// io_context's threads and must not block (it posts a message to an actor).
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <miner_controller/http_types.hpp>

namespace mc::http {

struct client_options {
  std::size_t max_body_bytes = 4 * 1024 * 1024;  // larger bodies fail with an error
  std::size_t max_header_bytes = 64 * 1024;
  std::size_t max_in_flight_per_host = 4;        // more wait in a queue per host
  std::size_t max_idle_per_host = 4;             // kept-alive connections for reuse
  std::string extra_ca_file;                     // PEM file trusted besides the system store
  bool verify_peer = true;                       // certificate and host name verification
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
  void fetch(http_request request, callback done);

  struct stats {
    std::size_t requests_sent = 0;     // requests that went on the wire
    std::size_t requests_shared = 0;   // fetches answered from another's identical in-flight GET
    std::size_t connections_opened = 0;
  };
  stats counters() const;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace mc::http
