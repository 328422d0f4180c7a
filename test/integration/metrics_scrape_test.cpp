// GET /metrics end to end: the real service polls the mock pool over loopback and a scrape over
// real HTTP must be valid text format (strict parser) whose pool numbers are the mock's and the
// dashboard's, whose server counters grow with requests, and whose client counters see a 429
// the mock injects.
#define BOOST_TEST_MODULE metrics scrape
#include <boost/test/unit_test.hpp>

#include "test/bench/http_client.hpp"
#include "test/integration/service_fixture.hpp"
#include "test/support/prometheus_text.hpp"

namespace js = boost::json;
using namespace std::chrono_literals;
using mc::test::prom_labels;

namespace {

const std::string dgb_wallet = "dgb1qmetricsmetricsmetrics0000000000";
const std::string bch_wallet = "bitcoincash:qmetricsmetrics0000000";
const std::string unknown_wallet = "unknown-dgb1qnobodynobody000000000";

struct scrape_fixture : mc::test::service_fixture {
  scrape_fixture() {
    install_driver("solopool");
    start_mock(0, {"--frozen-clock", "1764000000"});
    pool("dgb-a", "dgb", dgb_wallet);
    pool("bch-b", "bch", bch_wallet);
    pool("dgb-unknown", "dgb", unknown_wallet);
    start_service("Loaded 1 driver(s) and 3 pool config(s)");
  }

  void pool(const std::string& id, const std::string& coin, const std::string& wallet) {
    write("pools/" + id + ".yaml",
          "driver: solopool\ndisplay_name: " + id + "\nurl: 127.0.0.1\nport: 3333\ncoin: " + coin +
              "\npoll_interval_s: 5\nwallet: " + wallet + "\napi_base_url: " + mock_base() +
              "/solopool/" + coin + "/api\n");
  }

  mc::test::prom_document scrape() {
    auto r = mc::test::http_get("127.0.0.1", service_port, "/metrics");
    BOOST_REQUIRE_MESSAGE(r.status == 200, "GET /metrics: " << r.status << " " << r.body);
    BOOST_TEST(r.content_type == "text/plain; version=0.0.4; charset=utf-8");
    auto doc = mc::test::parse_prometheus(r.body);
    for (const auto& e : doc.errors) BOOST_ERROR("invalid metrics text: " << e);
    return doc;
  }

  prom_labels of(const std::string& id, const std::string& coin) {
    return {{"pool_id", id}, {"driver", "solopool"}, {"coin", coin}};
  }

  std::string mock_host() const { return "127.0.0.1:" + std::to_string(mock_port); }
};

double value_or(const std::optional<double>& v, double fallback) { return v ? *v : fallback; }

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_scrape_tells_what_the_dashboard_and_the_mock_tell, scrape_fixture) {
  // Every pool polled once (first poll within the 5 s interval).
  BOOST_REQUIRE(eventually(10s, [&] {
    auto d = scrape();
    for (const char* id : {"dgb-a", "bch-b", "dgb-unknown"})
      if (value_or(d.value("mc_pool_up", {{"pool_id", id}}), 0) != 1) return false;
    return true;
  }));

  auto d = scrape();
  const auto dash = get_json("/api/dashboard/pools").as_object();
  for (auto [id, coin, wallet] :
       {std::tuple{"dgb-a", "DGB", dgb_wallet}, std::tuple{"bch-b", "BCH", bch_wallet}}) {
    BOOST_TEST_CONTEXT("pool " << id) {
      std::string lower = coin;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const auto account = mock_json("/solopool/" + lower + "/api/accounts/" + wallet);
      const auto& net = dash.at(id).at("tile_2_network");
      const auto labels = of(id, coin);
      BOOST_TEST(d.at("mc_pool_up", labels) == 1);
      BOOST_TEST(d.at("mc_pool_hashrate_hps", labels) ==
                 account.at("currentHashrate").to_number<double>());
      BOOST_TEST(d.at("mc_pool_hashrate_hps", labels) ==
                 net.at("pool_hashrate_hs").to_number<double>());
      BOOST_TEST(d.at("mc_pool_workers", labels) ==
                 account.at("workersOnline").to_number<double>());
      BOOST_TEST(d.at("mc_pool_workers", labels) == net.at("active_workers").to_number<double>());
      BOOST_TEST(d.at("mc_pool_poll_latency_seconds", labels) ==
                     dash.at(id).at("tile_1_health").at("latency_ms").to_number<double>() / 1000,
                 boost::test_tools::tolerance(1e-9));
      BOOST_TEST(d.value("mc_pool_last_success_timestamp_seconds", labels).has_value());
      BOOST_TEST(d.at("mc_pool_polls_total", labels) >= 1);
    }
  }
  // A wallet the pool does not know yet: the API is fine (up), the numbers unknown (no series).
  BOOST_TEST(dash.at("dgb-unknown").at("tile_2_network").at("pool_hashrate_hs").is_null());
  BOOST_TEST(!d.value("mc_pool_hashrate_hps", {{"pool_id", "dgb-unknown"}}));

  // Server counters grow with requests: one more dashboard GET, one more in its histogram.
  const prom_labels dash_ok{{"route", "/api/dashboard/pools"}, {"code", "2xx"}};
  const prom_labels dash_route{{"route", "/api/dashboard/pools"}};
  d = scrape();
  const double before = value_or(d.value("mc_http_requests_total", dash_ok), 0);
  const double hist_before =
      value_or(d.value("mc_http_request_duration_seconds_count", dash_route), 0);
  const double missing_before =
      value_or(d.value("mc_http_requests_total", {{"route", "other"}, {"code", "4xx"}}), 0);
  get_json("/api/dashboard/pools");
  get_json("/nope", 404);
  d = scrape();
  BOOST_TEST(d.at("mc_http_requests_total", dash_ok) == before + 1);
  BOOST_TEST(d.at("mc_http_request_duration_seconds_count", dash_route) == hist_before + 1);
  BOOST_TEST(d.at("mc_http_requests_total", {{"route", "other"}, {"code", "4xx"}}) ==
             missing_before + 1);
  BOOST_TEST(d.at("mc_http_requests_total", {{"route", "/metrics"}, {"code", "2xx"}}) >= 1);
  BOOST_TEST(d.at("mc_http_connections_total") >= 1);

  // Client counters: the mock answers the next account request with a 429.
  const prom_labels host{{"host", mock_host()}};
  BOOST_TEST(d.at("mc_upstream_requests_total", host) >= 3);
  BOOST_TEST(value_or(d.value("mc_upstream_responses_429_total", host), 0) == 0);
  const auto fault = mc::test::http_post("127.0.0.1", mock_port, "/_control",
                                         R"({"fail_paths":{"/solopool/dgb/api/accounts/)" +
                                             dgb_wallet + R"(":{"status":429,"times":1}}})");
  BOOST_REQUIRE(fault.status == 200);
  const prom_labels limited{{"pool_id", "dgb-a"}, {"kind", "rate_limited"}};
  BOOST_TEST(eventually(12s, [&] {
    auto now = scrape();
    return value_or(now.value("mc_upstream_responses_429_total", host), 0) == 1 &&
           value_or(now.value("mc_pool_poll_errors_total", limited), 0) == 1;
  }));
  d = scrape();
  BOOST_TEST(d.at("mc_pool_up", of("dgb-a", "DGB")) == 0);
  BOOST_TEST(dash.at("dgb-a").at("tile_1_health").at("health_status") == true);    // before
  BOOST_TEST(get_json("/api/dashboard/pools?pool_id=dgb-a").at("stale") == true);  // now

  // The fault answered once: the pool is up again on its next poll.
  BOOST_TEST(eventually(
      12s, [&] { return value_or(scrape().value("mc_pool_up", of("dgb-a", "DGB")), 0) == 1; }));

  // Process gauges: the actor count follows the pools (one actor each), fds and memory are there.
  d = scrape();
  BOOST_TEST(d.at("process_open_fds") > 0);
  BOOST_TEST(d.at("process_resident_memory_bytes") > 0);
  const double actors = d.at("mc_actors_running");
  BOOST_TEST(actors >= 3 + 3);  // three pools, supervisor, tile cache, http actor
  mc::test::http_connection c("127.0.0.1", service_port);
  BOOST_REQUIRE(c.request("DELETE", "/api/pools/bch-b").status == 200);
  BOOST_TEST(eventually(5s, [&] { return scrape().at("mc_actors_running") == actors - 1; }));
  BOOST_TEST(stop_service() == 0);
}
