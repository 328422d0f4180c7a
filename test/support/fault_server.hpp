// A misbehaving HTTP server for fault tests: raw TCP on 127.0.0.1, one thread per connection,
// each request answered by the fault its first path segment names (the rest of the path is
// ignored, so a driver's endpoints below that prefix all get the same fault):
//
//   mc::test::fault_server bad;
//   pool api_base_url: bad.base_url("slowloris")   // http://127.0.0.1:PORT/slowloris
//
// Faults (what the server sends):
//   slowloris      a status line, then one header byte every 100 ms, never ending
//   endless_body   chunked 64 KiB chunks of JSON-ish bytes, never a last chunk
//   slow_body      Content-Length 100000, then one byte every 100 ms
//   reset_mid_body Content-Length 1000, 200 bytes, then a TCP RST (SO_LINGER 0)
//   redirect_loop  302 to the same URL, again and again
//   length_short   Content-Length 3 for a longer JSON body
//   length_long    Content-Length 1000, a 2-byte body, then the connection stays open
//   bad_chunked    Transfer-Encoding: chunked with a chunk size that is not hex
//   gzip_bomb      Content-Encoding: gzip, a ~10 KiB gzip that inflates to 10 MiB of zeros
//   chunked        no fault: a JSON body in three chunks and a trailer field
// Anything else: 404. Every connection ends when the peer closes it or the server stops.
#pragma once

#include <memory>
#include <string>

namespace mc::test {

class fault_server {
 public:
  fault_server();   // binds 127.0.0.1 on a free port and accepts on its own thread
  ~fault_server();  // closes every connection and joins every thread
  fault_server(const fault_server&) = delete;
  fault_server& operator=(const fault_server&) = delete;

  unsigned short port() const;
  std::string base_url(const std::string& fault) const;  // http://127.0.0.1:PORT/<fault>

  std::size_t requests(const std::string& fault) const;  // requests read for that fault
  std::size_t open_connections() const;
  /// Requests that carried an Accept-Encoding header (the client asks for no compression).
  std::size_t accept_encoding_requests() const;

  /// The gzip_bomb body and the size it inflates to.
  static const std::string& gzip_bomb();
  static constexpr std::size_t gzip_bomb_inflated = 10 * 1024 * 1024;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace mc::test
