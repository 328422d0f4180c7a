#define BOOST_TEST_MODULE api abuse
// The real service under abuse, end to end on loopback: 1 000 concurrent connections, slow
// clients holding sockets, oversized headers and bodies, malformed JSON, path traversal under
// /app/ and unknown methods, all at once. Meanwhile a well-behaved client keeps reading
// GET /api/dashboard/pools on fresh connections: every answer must be a 200 within 5 s (liveness,
// not performance); its latencies are printed (p50/p99/max) for docs/reliability.
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cctype>
#include <cstdlib>
#include <thread>

#include "test/bench/http_client.hpp"
#include "test/integration/service_fixture.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

const std::string write_token = "abuse-token-SECRET-31f2e4d5c6b7";
constexpr int crowd = 1000;     // concurrent keep-alive connections
constexpr int slow_count = 50;  // slowloris clients

// A blocking loopback socket with a receive timeout; -1 when connect fails.
int open_socket(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Reads one response (head, then Content-Length bytes of body); its status code, 0 on close or
// timeout. The connection can carry the next request after it.
unsigned read_status(int fd) {
  std::string head;
  char c;
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
    if (::recv(fd, &c, 1, 0) != 1) return 0;
    head += c;
  }
  for (auto& ch : head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::size_t left = 0;
  if (auto at = head.find("\r\ncontent-length:"); at != std::string::npos)
    left = std::strtoul(head.c_str() + at + 17, nullptr, 10);
  std::vector<char> body(4096);
  while (left > 0) {
    const auto n = ::recv(fd, body.data(), std::min(left, body.size()), 0);
    if (n <= 0) return 0;
    left -= static_cast<std::size_t>(n);
  }
  return head.size() > 12 ? static_cast<unsigned>(std::atoi(head.c_str() + 9)) : 0;
}

// True once the server has closed `fd` (EOF or reset), false while it is open after `wait`.
bool closed_by_server(int fd, std::chrono::milliseconds wait) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
  char buf[4096];
  for (;;) {
    const auto n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
  }
}

std::size_t open_fds(int pid) {
  std::error_code ec;
  const fs::directory_iterator it{"/proc/" + std::to_string(pid) + "/fd", ec};
  return ec ? 0 : static_cast<std::size_t>(std::distance(it, fs::directory_iterator{}));
}

unsigned status_of(const std::string& raw) {
  return raw.size() > 12 && raw.starts_with("HTTP/1.") ? std::atoi(raw.c_str() + 9) : 0;
}

// The well-behaved client: fresh connections, one GET after the other, until told to stop.
struct observer {
  std::atomic<bool> stop{false};
  std::vector<double> ms;  // latency of every answered request
  std::vector<std::string> failures;
  std::thread worker;

  void start(std::uint16_t port) {
    worker = std::thread([this, port] {
      while (!stop) {
        const auto t0 = clock_type::now();
        try {
          auto r = mc::test::http_get("127.0.0.1", port, "/api/dashboard/pools", 5s);
          ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
          if (r.status != 200) failures.push_back("status " + std::to_string(r.status));
        } catch (const std::exception& e) {
          failures.push_back(e.what());
        }
        std::this_thread::sleep_for(20ms);
      }
    });
  }

  void finish() {
    stop = true;
    worker.join();
  }

  double percentile(double p) const {
    if (ms.empty()) return 0;
    auto v = ms;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
  }
};

constexpr const char* index_marker = "<!-- the abuse test's web UI index -->";
constexpr const char* secret_marker = "abuse-test-secret-beside-the-web-root";

struct abuse_fixture : mc::test::service_fixture {
  abuse_fixture() {
    // 1 000 + slow clients + the service's own sockets: well above a 1 024 soft limit. The
    // service inherits the raised limit.
    rlimit rl{};
    ::getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = std::min<rlim_t>(rl.rlim_max, 8192);
    ::setrlimit(RLIMIT_NOFILE, &rl);
    BOOST_REQUIRE_MESSAGE(rl.rlim_cur >= 2 * crowd + 200,
                          "RLIMIT_NOFILE hard limit " << rl.rlim_max << " is too low for the test");
    install_driver("solopool");
    start_mock();
    // A web root of our own, with a secret beside it: a traversal must never reach the secret,
    // and a path that is no file may only answer the UI's index (client-side routes).
    fs::create_directories(dir / "ui");
    write("ui/index.html", std::string(index_marker) + "\n");
    write("secret.txt", std::string(secret_marker) + "\n");
    service_args = {"--web", (dir / "ui").string()};
    write("config.yaml",
          "wallets:\n  dgb: dgb1qabuseabuseabuse000000000000000\n"
          "server:\n  api_token: " +
              write_token + "\n");
    for (int i = 0; i < 5; ++i)
      write("pools/dgb-" + std::to_string(i) + ".yaml",
            "driver: solopool\ndisplay_name: DGB " + std::to_string(i) +
                "\nurl: eu1.solopool.org\nport: 8004\ncoin: DGB\npoll_interval_s: 5\n"
                "api_base_url: " +
                mock_base() + "/solopool/dgb/api\n");
  }

  void start() {
    start_service("Loaded 1 driver(s) and 5 pool config(s)");
    BOOST_REQUIRE(eventually(20s, [&] {
      return mc::test::http_get("127.0.0.1", service_port, "/api/dashboard/pools").status == 200;
    }));
  }

  std::string exchange(const std::string& bytes) {
    return mc::test::raw_exchange("127.0.0.1", service_port, bytes, 10s);
  }

  std::string write_request(const std::string& method, const std::string& target,
                            const std::string& body) {
    return method + " " + target +
           " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
           "Authorization: Bearer " +
           write_token + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(the_service_keeps_answering_under_abuse, abuse_fixture) {
  start();
  const auto fds_before = open_fds(service_pid());
  observer good;
  good.start(service_port);
  const auto abuse_start = clock_type::now();

  // Slowloris: a request head that never ends, one byte a second. The request deadline
  // (30 s from the first byte) must close each, however slowly the bytes keep coming.
  std::vector<int> slow;
  for (int i = 0; i < slow_count; ++i) {
    const int fd = open_socket(service_port);
    BOOST_REQUIRE(fd >= 0);
    BOOST_REQUIRE(send_all(fd, "GET /api/dashboard/pools HTTP/1.1\r\nHost: x\r\n"));
    slow.push_back(fd);
  }
  std::atomic<bool> trickle_stop{false};
  std::thread trickle([&] {
    for (int s = 0; !trickle_stop && s < 60; ++s) {
      for (int fd : slow) send_all(fd, "X");  // fails once the server closed it: fine
      std::this_thread::sleep_for(1s);
    }
  });

  // The crowd: 1 000 connections open at once, a request on each, then every answer read.
  std::vector<int> crowd_fds;
  for (int i = 0; i < crowd; ++i) {
    const int fd = open_socket(service_port);
    if (fd < 0) break;
    crowd_fds.push_back(fd);
  }
  BOOST_TEST(crowd_fds.size() == static_cast<std::size_t>(crowd));
  for (int fd : crowd_fds) send_all(fd, "GET /api/dashboard/pools HTTP/1.1\r\nHost: x\r\n\r\n");
  int crowd_ok = 0;
  for (int fd : crowd_fds) crowd_ok += read_status(fd) == 200 ? 1 : 0;
  BOOST_TEST(crowd_ok == crowd);
  BOOST_TEST_MESSAGE(crowd_ok << " of " << crowd << " concurrent connections answered 200");

  // Oversized: a 20 KiB header is 431, a 2 MiB body or a huge declared length 413.
  const std::string big_header =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20 * 1024, 'a') +
      "\r\nConnection: close\r\n\r\n";
  BOOST_TEST(status_of(exchange(big_header)) == 431u);
  BOOST_TEST(status_of(exchange(write_request("POST", "/api/pools", std::string(2 << 20, ' ')))) ==
             413u);
  BOOST_TEST(status_of(exchange("POST /api/pools HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                "application/json\r\nContent-Length: 99999999999\r\n\r\n{")) ==
             413u);
  std::string chunked =
      "POST /api/pools HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) chunked += "20000\r\n" + std::string(0x20000, ' ') + "\r\n";
  BOOST_TEST(status_of(exchange(chunked + "0\r\n\r\n")) == 413u);
  int many_headers_status = 0;
  {
    std::string h = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    for (int i = 0; i < 4000; ++i) h += "X-" + std::to_string(i) + ": y\r\n";
    many_headers_status = static_cast<int>(status_of(exchange(h + "\r\n")));
  }
  BOOST_TEST(many_headers_status == 431);

  // Malformed JSON on every write route that takes a body: 400 naming the problem.
  const std::vector<std::string> bad_json = {"{",
                                             R"({"pool_id": "x",})",
                                             "[1, 2]",
                                             "null",
                                             "\"text\"",
                                             "\xff\xfe{}",
                                             std::string(100000, '['),
                                             R"({"port": 1e99999})",
                                             "{\"a\":\"\\ud800\"",
                                             std::string(1, '\0')};
  int json_400 = 0;
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"POST", "/api/pools"}, {"PUT", "/api/pools/dgb-0"}, {"PUT", "/api/settings"}}) {
    for (const auto& body : bad_json) {
      const auto raw = exchange(write_request(method, target, body));
      const bool ok = status_of(raw) == 400u && raw.find("\"error\"") != std::string::npos;
      BOOST_CHECK_MESSAGE(ok, method << " " << target << " with a malformed body: " << raw);
      json_400 += ok ? 1 : 0;
    }
  }
  BOOST_TEST(fs::exists(dir / "pools/dgb-0.yaml"));

  // Path traversal under /app/: never a file outside the web root, never a crash; a path that
  // names no file may answer the UI's index (client-side routing).
  const std::vector<std::string> traversal = {
      "/app/../../../../etc/passwd",        "/app/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/app/..%2f..%2f..%2fetc%2fpasswd",   "/app/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
      "/app/..\\..\\..\\etc\\passwd",       "/app/%5c..%5c..%5cetc%5cpasswd",
      "/app/%00/../../etc/passwd",          "/app/index.html%00.js",
      "/app/%252e%252e/etc/passwd",         "/app//etc/passwd",
      "/app/assets/../../../../etc/passwd", "/app/%c0%ae%c0%ae/etc/passwd"};
  int traversal_refused = 0;
  for (const auto& t : traversal) {
    const auto raw = exchange("GET " + t + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const auto status = status_of(raw);
    const bool index = status == 200u && raw.find(index_marker) != std::string::npos;
    const bool ok = (status == 400u || status == 404u || index) &&
                    raw.find("root:") == std::string::npos &&
                    raw.find(secret_marker) == std::string::npos;
    BOOST_CHECK_MESSAGE(ok, "GET " << t << ": " << raw);
    traversal_refused += ok ? 1 : 0;
  }
  // A raw NUL or a backslash in the request line itself.
  for (const std::string& t : {std::string("/app/\0/etc/passwd", 17), std::string("/app/..\\x")}) {
    const auto raw = exchange("GET " + t + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_CHECK_MESSAGE(status_of(raw) == 400u || status_of(raw) == 404u, raw);
  }

  // Unknown and unsupported methods: 405 with Allow on a known resource (or 400/404), never a
  // 2xx or 5xx.
  int methods_refused = 0;
  for (const char* m : {"BREW", "PROPFIND", "TRACE", "PATCH", "OPTIONS", "CONNECT", "M-SEARCH"}) {
    for (const char* t : {"/api/pools", "/api/dashboard/pools", "/healthz", "/app/"}) {
      const auto raw =
          exchange(std::string(m) + " " + t + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      const auto status = status_of(raw);
      const bool ok = status == 400u || status == 404u ||
                      (status == 405u && raw.find("\r\nAllow: ") != std::string::npos);
      BOOST_CHECK_MESSAGE(ok, m << " " << t << ": " << raw);
      methods_refused += ok ? 1 : 0;
    }
  }
  // Not HTTP at all.
  BOOST_TEST(status_of(exchange("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 garbage\r\n\r\n")) ==
             400u);

  // The slow clients: closed by the request deadline (30 s), while the crowd still holds
  // its 1 000 idle connections.
  int slow_closed = 0;
  for (int fd : slow) {
    const auto left = 45s - (clock_type::now() - abuse_start);
    slow_closed +=
        closed_by_server(fd,
                         std::max(1ms, std::chrono::duration_cast<std::chrono::milliseconds>(left)))
            ? 1
            : 0;
  }
  trickle_stop = true;
  trickle.join();
  BOOST_TEST(slow_closed == slow_count);
  const auto abuse_s = std::chrono::duration<double>(clock_type::now() - abuse_start).count();

  // The crowd is still served on its kept-alive connections.
  for (int i = 0; i < crowd; i += 100) {
    send_all(crowd_fds[i], "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    BOOST_TEST(read_status(crowd_fds[i]) == 200u);
  }
  good.finish();
  for (int fd : crowd_fds) ::close(fd);
  for (int fd : slow) ::close(fd);

  BOOST_TEST_MESSAGE("abuse for " << abuse_s << " s: " << crowd << " concurrent connections, "
                                  << slow_count << " slow clients (" << slow_closed
                                  << " closed by the server), " << json_400
                                  << " malformed JSON bodies -> 400, " << traversal_refused
                                  << " of " << traversal.size() << " traversal paths refused, "
                                  << methods_refused << " method probes refused");
  BOOST_TEST_MESSAGE("well-behaved client: "
                     << good.ms.size() << " requests, p50 " << good.percentile(0.50) << " ms, p99 "
                     << good.percentile(0.99) << " ms, max " << good.percentile(1.0) << " ms, "
                     << good.failures.size() << " failures");
  for (const auto& f : good.failures) BOOST_ERROR("well-behaved client: " << f);
  BOOST_TEST(good.ms.size() > 10u);

  // Every abusive connection is gone again: the service's descriptors are back where they were
  // (give or take upstream connections to the mock, which come and go with the polls).
  std::size_t fds_after = 0;
  BOOST_TEST(eventually(10s, [&] {
    fds_after = open_fds(service_pid());
    return fds_after <= fds_before + 8;
  }));
  BOOST_TEST_MESSAGE("service fds: " << fds_before << " before, " << fds_after << " after");
  BOOST_TEST(stop_service() == 0);
  for (const auto& l : log) BOOST_CHECK_MESSAGE(l.find(write_token) == std::string::npos, l);
}

// Regression: with 4 096 allowed connections and a limit of 256 descriptors, a crowd took every
// descriptor: accept() failed and the crowd (and any new client) hung in the kernel's backlog.
// Now the service keeps half the descriptors for itself and closes what is over its cap at once.
BOOST_FIXTURE_TEST_CASE(a_low_open_files_limit_caps_connections_not_the_service, abuse_fixture) {
  shell_setup = "ulimit -n 256; ";
  start();
  BOOST_TEST(std::any_of(log.begin(), log.end(), [](const std::string& l) {
    return l.find("Open files limit 256: at most 128 API connections") != std::string::npos;
  }));
  mc::test::http_connection keep{"127.0.0.1", service_port, 5s};
  BOOST_TEST(keep.get("/api/dashboard/pools").status == 200u);

  std::vector<int> fds;
  for (int i = 0; i < 300; ++i) {
    const int fd = open_socket(service_port);
    BOOST_REQUIRE(fd >= 0);
    fds.push_back(fd);
  }
  std::this_thread::sleep_for(2s);
  std::vector<int> kept;
  for (int fd : fds)
    if (!closed_by_server(fd, 0ms)) kept.push_back(fd);
  BOOST_TEST_MESSAGE(fds.size() - kept.size()
                     << " of " << fds.size() << " connections over the cap closed at once");
  BOOST_TEST(kept.size() <= 128u);
  BOOST_TEST(kept.size() >= 100u);
  int answered = 0;
  for (int fd : kept) {
    send_all(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    answered += read_status(fd) == 200 ? 1 : 0;
  }
  BOOST_TEST(answered == static_cast<int>(kept.size()));
  BOOST_TEST(keep.get("/api/dashboard/pools").status == 200u);
  for (int fd : fds) ::close(fd);
  BOOST_TEST(eventually(5s, [&] {
    try {
      return mc::test::http_get("127.0.0.1", service_port, "/healthz", 2s).status == 200;
    } catch (const std::exception&) {
      return false;
    }
  }));
  BOOST_TEST(stop_service() == 0);
}
