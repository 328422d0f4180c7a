// The Beast HTTP/1.1 front of the mock: keep-alive sessions, bounded request sizes, 400 on
// malformed requests, answers held back by an async timer when the router asks for latency.
// Beast stays inside server.cpp so the other files compile quickly.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace mc::mock_pool {

class router;

class server {
 public:
  // Binds and listens at once (SO_REUSEADDR, port 0 = any free port) and installs the
  // SIGINT/SIGTERM handlers, so a signal sent after the listening line ends run() cleanly.
  // Throws std::runtime_error when the address cannot be bound.
  server(const std::string& host, std::uint16_t port, const router& router);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // "127.0.0.1:PORT" ("[::1]:PORT" for IPv6) with the port actually bound.
  std::string local_address() const;

  // Serves on `threads` threads until SIGINT/SIGTERM or stop().
  void run(int threads);
  void stop();  // thread-safe

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace mc::mock_pool
