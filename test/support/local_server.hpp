// Test helpers: a real HTTP(S) server on 127.0.0.1 with canned answers and fault modes, a
// throw-away PKI for TLS tests, and a blocking wrapper around the production HTTP client.
//
//   mc::test::local_server server;                      // http://127.0.0.1:<free port>
//   server.route("/api/stats", {200, R"({"a":1})"});    // exact target match, query included
//   server.route("/slow", {200, "{}", {}, 2s});         // answered after 2 s (not blocking)
//   mc::test::blocking_client http;
//   auto r = http.fetch({"id", "GET", server.url("/api/stats"), {}});
//   BOOST_TEST(server.hits("/api/stats") == 1u);
//
// TLS: auto pki = mc::test::make_test_pki({"localhost"}, {"127.0.0.1"});
//      mc::test::local_server tls_server({{pki.leaf_cert_pem, pki.leaf_key_pem}});
//      mc::test::temp_file ca("ca.pem", pki.ca_cert_pem);   // options.extra_ca_file = ca.path
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <miner_controller/http_types.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/client.hpp"

namespace mc::test {

using header_list = std::vector<std::pair<std::string, std::string>>;

/// One answer of the local server. Brace-initialise the first fields:
/// {status, body, headers, delay}; set the fault flags by name.
struct canned {
  canned(int status = 200, std::string body = {}, header_list headers = {},
         std::chrono::milliseconds delay = std::chrono::milliseconds{0})
      : status(status), body(std::move(body)), headers(std::move(headers)), delay(delay) {}

  int status = 200;
  std::string body;
  header_list headers;                 // added to the answer (Content-Length is automatic)
  std::chrono::milliseconds delay{0};  // before the answer is sent; other requests go on
  bool close_without_answer = false;   // read the request, then hang up
  bool truncate_body = false;          // announce the full length, send half, hang up
  bool close_after_answer = false;     // answer with keep-alive, then close the connection
  std::string content_type = "application/json";
};

class local_server {
 public:
  struct tls_config {
    std::string cert_pem;  // the leaf, optionally followed by the chain
    std::string key_pem;
  };
  /// Builds the answer for a request: gets the full target (path and query) and the request
  /// headers (names in lower case). Runs on the server's io thread: must not block (use
  /// canned::delay for slow answers).
  using handler = std::function<canned(const std::string& target, const header_list& headers)>;

  /// Binds 127.0.0.1 on a free port and serves on its own io thread until destroyed.
  /// Throws if the TLS certificate or key does not load.
  explicit local_server(std::optional<tls_config> tls = std::nullopt);
  ~local_server();  // stops accepting, drops every connection and joins its thread
  local_server(const local_server&) = delete;
  local_server& operator=(const local_server&) = delete;

  unsigned short port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT"
  std::string url(const std::string& target) const { return base_url() + target; }

  /// Answers requests whose target (path and query) equals `target`. Unknown targets: 404.
  /// May be called while serving: later requests get the new answer.
  void route(const std::string& target, canned answer);
  /// Answers every request whose path (target without the query) equals `path` and that has
  /// no exact route().
  void route_handler(const std::string& path, handler h);
  /// Kept-alive connections idle this long are closed by the server (default 30 s).
  void set_idle_timeout(std::chrono::milliseconds idle);

  /// Requests seen for `key`: with a '?' it is compared with the whole target, without one
  /// with the path (so hits("/a") counts "/a?x=1" too).
  std::size_t hits(const std::string& key) const;
  std::size_t total_hits() const;
  /// Headers of the last request for `key` (matched as in hits()), names in lower case.
  header_list last_headers(const std::string& key) const;
  std::size_t connections_accepted() const;
  std::size_t max_concurrent_requests() const;  // most requests being answered at once

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

/// A CA and a leaf certificate signed by it for the given names and IPs (subjectAltName),
/// made with OpenSSL's C API (no external commands), as PEM. EC P-256, valid from an hour ago
/// for a day. Throws std::runtime_error if OpenSSL fails.
struct test_pki {
  std::string ca_cert_pem;
  std::string leaf_cert_pem;
  std::string leaf_key_pem;
};
/// Faulty certificates for TLS fault tests: the leaf's validity window relative to now, and a
/// leaf signed by its own key instead of the CA (the CA is still returned, and trusting it does
/// not help).
struct pki_options {
  long valid_from_s = -3600;
  long valid_until_s = 24 * 3600;
  bool self_signed_leaf = false;
};
test_pki make_test_pki(const std::vector<std::string>& dns_names,
                       const std::vector<std::string>& ip_addresses,
                       const pki_options& options = {});

/// Writes text to a fresh file under the temp dir and returns its path (removed by the caller).
std::string write_temp_file(const std::string& name, const std::string& text);

/// The same, removed again when it goes out of scope.
struct temp_file {
  temp_file(const std::string& name, const std::string& text) : path(write_temp_file(name, text)) {}
  ~temp_file();
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  std::string path;
};

/// A port on 127.0.0.1 where nothing listens (bound once, then released).
unsigned short unused_port();

/// The production client on its own io thread(s), with blocking calls for tests.
class blocking_client {
 public:
  explicit blocking_client(mc::http::client_options options = {}, unsigned threads = 1);
  ~blocking_client();  // stops the io_context, joins, then destroys the client
  blocking_client(const blocking_client&) = delete;
  blocking_client& operator=(const blocking_client&) = delete;

  /// Runs one fetch and waits for its callback for at most request.timeout + 5 s; throws
  /// std::runtime_error if none arrives (the client broke its promise to answer).
  mc::http_response fetch(const mc::http_request& request);
  /// Starts every request at once (from this thread) and waits for all answers, in order.
  std::vector<mc::http_response> fetch_all(const std::vector<mc::http_request>& requests);

  mc::http::client& client() { return *client_; }
  mc::http::client::stats counters() const { return client_->counters(); }
  std::vector<mc::http::client::host_stats> host_counters() const {
    return client_->host_counters();
  }
  /// Callbacks that arrived for a fetch already answered: must stay 0.
  std::size_t duplicate_callbacks() const;

  struct impl;

 private:
  std::unique_ptr<impl> io_;
  std::shared_ptr<mc::http::client> client_;
};

/// A GET request for tests.
inline mc::http_request get_request(std::string url,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(5),
                                    mc::http_headers headers = {}, std::string id = "test") {
  mc::http_request r;
  r.id = std::move(id);
  r.url = std::move(url);
  r.headers = std::move(headers);
  r.timeout = timeout;
  return r;
}

}  // namespace mc::test
