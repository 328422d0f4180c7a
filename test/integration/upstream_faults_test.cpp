// Upstream faults, end to end (issue 7, item 3): the real service polls one pool per fault from
// a misbehaving raw-TCP server (test/support/fault_server), three TLS servers with bad
// certificates and a name that cannot resolve. Every pool must get a failure tile naming the
// fault within its poll deadline (a bounded wait, never a timing assertion), and once the pools
// are removed the service's open fds and running actors must be back where they were before
// (read from its own GET /metrics), and no connection to the faulty server may stay open.
// Leaks of memory are LeakSanitizer's job: the service runs under ASan and must exit 0.
#define BOOST_TEST_MODULE upstream faults
#include <boost/test/unit_test.hpp>
#include <map>
#include <memory>

#include "test/bench/http_client.hpp"
#include "test/integration/service_fixture.hpp"
#include "test/support/fault_server.hpp"
#include "test/support/local_server.hpp"
#include "test/support/prometheus_text.hpp"

namespace js = boost::json;
using namespace std::chrono_literals;

namespace {

const std::string wallet = "dgb1qfaultsfaultsfaultsfaults00000000";

struct fault_case {
  std::string pool_id;
  std::string base_url;
  std::vector<std::string> any_of;  // the tile's message holds one of these
};

struct process_numbers {
  double fds = 0, actors = 0, rss = 0;
};

struct faults_fixture : mc::test::service_fixture {
  // One server (one origin) per fault: the client allows 4 requests in flight per origin, so
  // slow faults on a shared origin would hold the slots and the others would time out queued.
  std::map<std::string, std::unique_ptr<mc::test::fault_server>> bad;

  std::string bad_url(const std::string& fault) {
    auto& s = bad[fault];
    s = std::make_unique<mc::test::fault_server>();
    return s->base_url(fault);
  }

  std::size_t bad_connections() const {
    std::size_t n = 0;
    for (const auto& [fault, s] : bad) n += s->open_connections();
    return n;
  }

  void pool(const std::string& id, const std::string& base) {
    write("pools/" + id + ".yaml",
          "driver: solopool\ndisplay_name: " + id +
              "\nurl: 127.0.0.1\nport: 3333\ncoin: DGB\npoll_interval_s: 5\nwallet: " + wallet +
              "\napi_base_url: " + base + "\n");
  }

  void reload() {
    auto r = mc::test::http_post("127.0.0.1", service_port, "/api/reload", "{}");
    BOOST_REQUIRE_MESSAGE(r.status == 200, "reload: " << r.status << " " << r.body);
  }

  process_numbers numbers() {
    auto r = mc::test::http_get("127.0.0.1", service_port, "/metrics");
    BOOST_REQUIRE(r.status == 200);
    auto d = mc::test::parse_prometheus(r.body);
    return {d.at("process_open_fds"), d.at("mc_actors_running"),
            d.at("process_resident_memory_bytes")};
  }
};

std::string message_of(const js::value& entry) {
  return std::string(entry.at("tile_1_health").at("health_message").as_string());
}

// A TLS server whose leaf certificate is bad in one way.
mc::test::local_server tls_server(const mc::test::test_pki& leaf) {
  return mc::test::local_server({{leaf.leaf_cert_pem, leaf.leaf_key_pem}});
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(every_upstream_fault_gives_its_tile_and_leaks_nothing, faults_fixture) {
  // Three bad certificates, each from a CA the service trusts unless the fault is the issuer.
  auto wrong_host_pki = mc::test::make_test_pki({"pool.example"}, {});
  auto expired_pki = mc::test::make_test_pki({"localhost"}, {"127.0.0.1"}, {-2 * 86400, -86400});
  auto self_signed_pki =
      mc::test::make_test_pki({"localhost"}, {"127.0.0.1"}, {-3600, 86400, true});
  mc::test::temp_file cas{"cas.pem", wrong_host_pki.ca_cert_pem + expired_pki.ca_cert_pem +
                                         self_signed_pki.ca_cert_pem};
  auto wrong_host = tls_server(wrong_host_pki);
  auto expired = tls_server(expired_pki);
  auto self_signed = tls_server(self_signed_pki);

  const std::vector<fault_case> cases = {
      {"slowloris", bad_url("slowloris"), {"timeout after 4.5 s"}},
      {"endless-body", bad_url("endless_body"), {"response body over 4194304 bytes"}},
      {"slow-body", bad_url("slow_body"), {"timeout after 4.5 s"}},
      {"reset-mid-body",
       bad_url("reset_mid_body"),
       {"connection reset by 127.0.0.1", "connection closed before a complete response"}},
      {"redirect-loop", bad_url("redirect_loop"), {"HTTP 302 from 127.0.0.1"}},
      {"length-short", bad_url("length_short"), {"unparsable response from 127.0.0.1"}},
      {"length-long", bad_url("length_long"), {"timeout after 4.5 s"}},
      {"bad-chunked", bad_url("bad_chunked"), {"malformed HTTP response from 127.0.0.1"}},
      {"gzip-bomb", bad_url("gzip_bomb"), {"unparsable response from 127.0.0.1"}},
      // RFC 6761: .invalid never resolves; without any DNS server the lookup fails or times out.
      {"dns-failure",
       "http://mc-fault-test.invalid:4004/api",
       {"could not resolve host mc-fault-test.invalid", "timeout after 4.5 s"}},
      {"tls-wrong-host",
       wrong_host.base_url() + "/api",
       {"TLS: certificate verify failed (the certificate is not valid for 127.0.0.1)"}},
      {"tls-expired",
       expired.base_url() + "/api",
       {"TLS: certificate verify failed (certificate has expired)"}},
      {"tls-self-signed",
       self_signed.base_url() + "/api",
       {"TLS: certificate verify failed (self-signed certificate)",
        "TLS: certificate verify failed (self signed certificate)"}},
  };

  install_driver("solopool");
  service_args = {"--ca-file", cas.path};
  start_service("Loaded 1 driver(s) and 0 pool config(s)");
  const auto before = numbers();

  for (const auto& c : cases) pool(c.pool_id, c.base_url);
  reload();

  // First poll within 5 s of the reload, cut at 4.5 s. On an overloaded machine a poll of a
  // quick fault can itself miss the 4.5 s deadline ("(poll deadline)"), so each pool is
  // waited for until one of its polls shows the fault's own message: 40 s, bounded.
  std::map<std::string, std::string> last;
  auto shows_its_fault = [&](const fault_case& c, const js::object& dash) {
    const auto* entry = dash.if_contains(c.pool_id);
    if (!entry || entry->at("last_updated").is_null()) return false;  // not polled yet
    const auto msg = message_of(*entry);
    last[c.pool_id] = msg;
    for (const auto& want : c.any_of)
      if (msg.find(want) != std::string::npos) return true;
    return false;
  };
  BOOST_TEST(eventually(40s, [&] {
    const auto dash = get_json("/api/dashboard/pools").as_object();
    bool all = true;
    for (const auto& c : cases) all = shows_its_fault(c, dash) && all;
    return all;
  }));
  const auto dash = get_json("/api/dashboard/pools").as_object();
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT("pool " << c.pool_id) {
      const auto& entry = dash.at(c.pool_id);
      BOOST_TEST(entry.at("tile_1_health").at("health_status") == false);
      BOOST_TEST(shows_its_fault(c, dash), "message: " << last[c.pool_id]);
      BOOST_TEST(entry.at("tile_2_network").at("pool_hashrate").is_null());
      BOOST_TEST_MESSAGE(c.pool_id << ": " << last[c.pool_id]);
    }
  }
  // The client asks for no compression: a gzip body is never inflated (no bomb can go off).
  BOOST_TEST(bad["gzip_bomb"]->requests("gzip_bomb") >= 1u);
  for (const auto& [fault, s] : bad) BOOST_TEST(s->accept_encoding_requests() == 0u, fault);
  // Redirects are not followed: each poll sends each of its 3 requests once, never a loop.
  // (At most 3 requests per poll, counting the poll that may be under way.)
  const auto polls =
      mc::test::parse_prometheus(mc::test::http_get("127.0.0.1", service_port, "/metrics").body)
          .value("mc_pool_polls_total", {{"pool_id", "redirect-loop"}});
  const auto redirects = bad["redirect_loop"]->requests("redirect_loop");
  BOOST_TEST(redirects >= 1u);
  BOOST_TEST(redirects <= 3 * (polls.value_or(0) + 1),
             redirects << " requests in " << polls.value_or(0) << " polls");
  const auto during = numbers();

  // Remove every faulty pool: fds, actors and connections must come back to where they were.
  for (const auto& c : cases) std::filesystem::remove(dir / "pools" / (c.pool_id + ".yaml"));
  reload();
  // 30 s: where no DNS server answers, a lookup of the .invalid name may still be running.
  process_numbers after;
  BOOST_TEST(eventually(30s, [&] {
    after = numbers();
    return after.fds == before.fds && after.actors == before.actors && bad_connections() == 0;
  }));
  BOOST_TEST_MESSAGE("fds before/during/after: " << before.fds << "/" << during.fds << "/"
                                                 << after.fds);
  BOOST_TEST_MESSAGE("actors before/during/after: " << before.actors << "/" << during.actors << "/"
                                                    << after.actors);
  BOOST_TEST_MESSAGE("resident MiB before/during/after: " << before.rss / 1048576 << "/"
                                                          << during.rss / 1048576 << "/"
                                                          << after.rss / 1048576);
  BOOST_TEST(after.fds == before.fds);
  BOOST_TEST(after.actors == before.actors);
  BOOST_TEST(during.actors == before.actors + cases.size());
  BOOST_TEST(bad_connections() == 0u);
  BOOST_TEST(stop_service() == 0);  // LeakSanitizer fails the exit code on a leak
}
