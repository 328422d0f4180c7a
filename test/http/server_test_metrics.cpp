// GET /metrics over real sockets: the snapshot's text, the server's own counters and the extra
// source joined into one valid document, counted exactly while several threads send requests.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <stdexcept>

#include "test/http/server_test_util.hpp"
#include "test/support/fixed_pool_part.hpp"
#include "test/support/prometheus_text.hpp"

using namespace mc::test;

namespace {

mc::test::prom_document scrape(client& c) {
  auto r = c.get("/metrics");
  BOOST_REQUIRE(r.result_int() == 200);
  BOOST_TEST(r[bhttp::field::content_type] == "text/plain; version=0.0.4; charset=utf-8");
  auto d = parse_prometheus(r.body());
  for (const auto& e : d.errors) BOOST_ERROR(e << " in:\n" << r.body());
  return d;
}

}  // namespace

BOOST_AUTO_TEST_CASE(metrics_join_snapshot_server_and_extra_and_count_every_request) {
  std::atomic<int> extra_calls{0};
  running_server server({}, {}, 2, [&] {
    ++extra_calls;
    return std::string("# TYPE mc_extra gauge\nmc_extra 7\n");
  });
  client c(server.port());
  auto before = scrape(c);  // no snapshot yet: the live part answers alone
  BOOST_TEST(!before.family("mc_pool_up"));
  BOOST_TEST(before.at("mc_extra") == 7);

  auto snap = std::make_shared<mc::http::snapshot>();
  snap->ready = true;
  snap->pools = mc::http::lazy_body::of(body("[]"));
  mc::http::metrics::pool_sample a;
  a.pool_id = "a";
  a.up = true;
  snap->set_pools(std::make_shared<const mc::http::pool_index>(std::vector<std::string>{"a"}),
                  {mc::test::fixed_part("{}", mc::http::metrics::render_pool(a))});
  server.srv->publish(snap);

  // Four readers on their own connections, one scraper meanwhile, two io threads.
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t)
    readers.emplace_back([&] {
      client r(server.port());
      for (int i = 0; i < 50; ++i) r.get(i % 10 == 0 ? "/api/nope" : "/api/pools");
    });
  for (int i = 0; i < 10; ++i) scrape(c);
  for (auto& r : readers) r.join();

  auto d = scrape(c);
  BOOST_TEST(d.at("mc_pool_up", {{"pool_id", "a"}}) == 1);
  BOOST_TEST(d.at("mc_extra") == 7);
  BOOST_TEST(extra_calls.load() == 12);
  BOOST_TEST(d.at("mc_http_requests_total", {{"route", "/api/pools"}, {"code", "2xx"}}) == 180);
  BOOST_TEST(d.at("mc_http_requests_total", {{"route", "other"}, {"code", "4xx"}}) == 20);
  BOOST_TEST(d.at("mc_http_requests_total", {{"route", "/metrics"}, {"code", "2xx"}}) == 11);
  BOOST_TEST(d.at("mc_http_request_duration_seconds_count", {{"route", "/api/pools"}}) == 180);
  BOOST_TEST(d.at("mc_http_connections_total") == 5);
  BOOST_TEST(d.at("mc_http_open_connections") >= 1);
}

BOOST_AUTO_TEST_CASE(a_failing_extra_source_loses_only_its_part) {
  running_server server({}, {}, 2, []() -> std::string { throw std::runtime_error("broken"); });
  client c(server.port());
  c.get("/healthz");
  auto d = scrape(c);
  BOOST_TEST(d.at("mc_http_requests_total", {{"route", "/healthz"}, {"code", "2xx"}}) == 1);
  BOOST_TEST(c.get("/healthz").result_int() == 200);  // and the server runs on
}
