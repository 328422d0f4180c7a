// A small synchronous HTTP/1.1 client for tests (plain TCP, no TLS). Every call has a
// deadline and throws std::runtime_error on connect/transport errors or timeouts; an HTTP
// error status is a normal result.
//
//   mc::test::http_connection c("127.0.0.1", port);      // one kept-alive connection
//   auto r = c.get("/solopool/dgb/api/stats");           // r.status, r.body, r.keep_alive
//   auto one = mc::test::http_get("127.0.0.1", port, "/_stats");  // fresh connection
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mc::test {

using header_list = std::vector<std::pair<std::string, std::string>>;  // sent as they are

struct http_result {
  unsigned status = 0;
  std::string body;
  std::string content_type;
  bool keep_alive = false;  // the server keeps the connection open after this answer
};

class http_connection {
 public:
  // Connects at once; throws when nothing listens there.
  http_connection(const std::string& host, std::uint16_t port,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~http_connection();
  http_connection(const http_connection&) = delete;
  http_connection& operator=(const http_connection&) = delete;

  // Sends one request on this connection (Host, Content-Type and Content-Length are set).
  http_result request(std::string_view method, std::string_view target, std::string_view body = {},
                      std::string_view content_type = "application/json",
                      const header_list& headers = {});
  http_result get(std::string_view target, const header_list& headers = {}) {
    return request("GET", target, {}, "application/json", headers);
  }
  http_result post(std::string_view target, std::string_view body) {
    return request("POST", target, body);
  }

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// One request on a fresh connection.
http_result http_get(const std::string& host, std::uint16_t port, std::string_view target,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10),
                     const header_list& headers = {});
http_result http_post(const std::string& host, std::uint16_t port, std::string_view target,
                      std::string_view body,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Writes `bytes` as they are and returns everything the server sends until it closes the
// connection or the timeout passes (for malformed-request tests).
std::string raw_exchange(const std::string& host, std::uint16_t port, std::string_view bytes,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace mc::test
