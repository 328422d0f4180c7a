#define BOOST_TEST_MODULE tile cache
#include "actors/tile_cache.hpp"

#include <boost/test/unit_test.hpp>

#include "test/actors/tile_cache_fixture.hpp"
#include "test/support/prometheus_text.hpp"

BOOST_FIXTURE_TEST_SUITE(cache, fixture)

BOOST_AUTO_TEST_CASE(catalog_becomes_templates_pools_and_waiting_tiles) {
  auto rejected = pool("broken");
  rejected.status = mc::config::pool_status::rejected;
  rejected.reasons = {"pools/broken.yaml:3: port: must be 1..65535, got 0"};
  load({pool("a"), pool("b", false), rejected});
  auto s = next_snapshot();
  BOOST_TEST(s->ready);
  auto templates = js::parse(*s->templates->all()).as_array();
  BOOST_TEST(templates.size() == 2u);  // rejected configs are no templates
  BOOST_TEST(templates[0].at("template_id") == "a");
  BOOST_TEST(templates[0].at("pool_display_name") == "Solopool.org");
  BOOST_TEST(js::parse(*s->templates->group("solopool/DGB")).as_array().size() == 2u);
  BOOST_TEST(*s->templates->group("solopool/DGB") == *s->templates->all());  // one encoding
  BOOST_TEST(*s->templates->group("solopool") == *s->templates->all());
  BOOST_TEST(!s->templates->group("solopool/BTC"));
  auto pools = js::parse(*s->pools->get()).as_array();
  BOOST_TEST(pools.size() == 3u);
  BOOST_TEST(pools[2].at("status") == "rejected");
  BOOST_TEST(pools[2].at("reasons").as_array()[0] == js::value(rejected.reasons[0]));
  BOOST_TEST(s->pools->get()->find("secret-token-value-1234") == std::string::npos);
  BOOST_TEST(js::parse(*s->dashboard()).as_object().size() == 2u);
  BOOST_TEST(!s->dashboard_of("broken"));
  auto a = entry(*s, "a");
  BOOST_TEST(a.at("tile_1_health").at("health_message") == "waiting for the first poll");
  BOOST_TEST(a.at("last_updated").is_null());
  BOOST_TEST(entry(*s, "b").at("tile_1_health").at("health_message") == "disabled: not polled");
  BOOST_TEST(entry(*s, "b").at("status") == "disabled");
}

BOOST_AUTO_TEST_CASE(a_failed_poll_keeps_the_last_good_numbers_marked_stale) {
  load({pool("a")});
  next_snapshot();
  http->send(cache, poll_result{"a", 0, good_tile(1.2e12), 1764000000});
  auto s = next_snapshot();
  auto a = entry(*s, "a");
  BOOST_TEST(a.at("tile_2_network").at("pool_hashrate") == 1.2);
  BOOST_TEST(a.at("stale") == false);
  BOOST_TEST(a.at("last_success") == "2025-11-24T16:00:00Z");

  mc::tile down;
  down.health_message = "pool.test: connection refused";
  http->send(cache, poll_result{"a", 0, down, 1764000030});
  a = entry(*next_snapshot(), "a");
  BOOST_TEST(a.at("tile_1_health").at("health_status") == false);
  BOOST_TEST(a.at("tile_1_health").at("health_message") == "pool.test: connection refused");
  BOOST_TEST(a.at("tile_2_network").at("pool_hashrate") == 1.2);
  BOOST_TEST(a.at("stale") == true);
  BOOST_TEST(a.at("last_success") == "2025-11-24T16:00:00Z");
  BOOST_TEST(a.at("last_updated") == "2025-11-24T16:00:30Z");

  http->send(cache, poll_result{"a", 0, good_tile(2.0e12), 1764000060});
  a = entry(*next_snapshot(), "a");
  BOOST_TEST(a.at("stale") == false);
  BOOST_TEST(a.at("tile_2_network").at("pool_hashrate") == 2.0);
}

BOOST_AUTO_TEST_CASE(a_failure_before_any_success_shows_the_failure_without_numbers) {
  load({pool("a")});
  next_snapshot();
  mc::tile down;
  down.health_message = "HTTP 500 from pool.test";
  http->send(cache, poll_result{"a", 0, down, 1764000000});
  auto a = entry(*next_snapshot(), "a");
  BOOST_TEST(a.at("stale") == false);
  BOOST_TEST(a.at("last_success").is_null());
  BOOST_TEST(a.at("tile_1_health").at("health_message") == "HTTP 500 from pool.test");
}

BOOST_AUTO_TEST_CASE(the_dashboard_is_every_entry_joined_in_catalog_order) {
  load({pool("a"), pool("b")});
  auto s = next_snapshot();
  auto dash = js::parse(*s->dashboard()).as_object();
  BOOST_TEST(dash.size() == 2u);
  BOOST_TEST(js::serialize(dash.at("b")) == *s->dashboard_of("b"));
  // The entries' own bytes, not a re-encoding of them.
  BOOST_TEST(*s->dashboard() ==
             R"({"a":)" + *s->dashboard_of("a") + R"(,"b":)" + *s->dashboard_of("b") + "}");
  BOOST_TEST(s->dashboard() == s->dashboard());  // built once
}

BOOST_AUTO_TEST_CASE(a_pool_that_did_not_change_shares_its_entry_between_snapshots) {
  load({pool("a"), pool("b")});
  auto first = next_snapshot();
  http->send(cache, poll_result{"a", 0, good_tile(1e12), 1764000000});
  auto second = next_snapshot();
  BOOST_TEST(first->dashboard_of("b") == second->dashboard_of("b"));  // the same string
  BOOST_TEST(first->dashboard_of("a") != second->dashboard_of("a"));
  BOOST_TEST(entry(*second, "a").at("stale") == false);
}

BOOST_AUTO_TEST_CASE(a_publish_rebuilds_only_the_chunks_in_which_a_pool_changed) {
  // Three chunks: p00-p31, p32-p63, p64-p69.
  std::vector<mc::config::pool_entry> pools;
  for (int i = 0; i < 70; ++i) pools.push_back(pool((i < 10 ? "p0" : "p") + std::to_string(i)));
  load(pools);
  auto first = next_snapshot();
  BOOST_TEST_REQUIRE(first->pool_chunks().size() == 3u);
  http->send(cache, poll_result{"p40", 0, good_tile(1e12), 1764000000});
  auto second = next_snapshot();
  BOOST_TEST_REQUIRE(second->pool_chunks().size() == 3u);
  BOOST_TEST(second->pool_chunks()[0] == first->pool_chunks()[0]);
  BOOST_TEST(second->pool_chunks()[1] != first->pool_chunks()[1]);
  BOOST_TEST(second->pool_chunks()[2] == first->pool_chunks()[2]);
  BOOST_TEST(entry(*second, "p40").at("tile_2_network").at("pool_hashrate_hs") == 1e12);
  BOOST_TEST(first->dashboard_of("p41") == second->dashboard_of("p41"));
  BOOST_TEST(js::parse(*second->dashboard()).as_object().size() == 70u);
}

BOOST_AUTO_TEST_CASE(changes_are_coalesced_into_one_snapshot) {
  load({pool("a")});
  next_snapshot();
  for (int i = 0; i < 50; ++i)
    http->send(cache, poll_result{"a", 0, good_tile(1e12 + i), 1764000000 + i});
  auto s = next_snapshot();
  BOOST_TEST(entry(*s, "a").at("tile_2_network").at("pool_hashrate_hs") == 1e12 + 49);
  bool another = false;
  http->receive([&](mc::http::snapshot_ptr&) { another = true; }, caf::after(200ms) >> [] {});
  BOOST_TEST(!another);
}

BOOST_AUTO_TEST_CASE(a_crash_notice_shows_on_the_tile_and_in_the_pool_list) {
  load({pool("a")});
  next_snapshot();
  http->send(cache, pool_runtime{"a", mc::config::pool_status::failed,
                                 "pool actor crashed (boom) 3 times in a row; restarting in 4 s"});
  auto s = next_snapshot();
  auto a = entry(*s, "a");
  BOOST_TEST(a.at("status") == "failed");
  BOOST_TEST(a.at("tile_1_health").at("health_message") ==
             "pool actor crashed (boom) 3 times in a row; restarting in 4 s");
  BOOST_TEST(js::parse(*s->pools->get()).as_array()[0].at("status") == "failed");
}

BOOST_AUTO_TEST_CASE(the_snapshot_carries_each_enabled_pools_series) {
  load({pool("a"), pool("b"), pool("off", false)});
  auto metrics = [&](const mc::http::snapshot& s) {
    auto d = mc::test::parse_prometheus(*s.metrics());
    for (const auto& e : d.errors) BOOST_ERROR(e);
    return d;
  };
  auto d = metrics(*next_snapshot());
  const mc::test::prom_labels a{{"pool_id", "a"}, {"driver", "solopool"}, {"coin", "DGB"}};
  BOOST_TEST(d.at("mc_pool_up", a) == 0);  // not polled yet
  BOOST_TEST(d.at("mc_pool_polls_total", a) == 0);
  BOOST_TEST(!d.value("mc_pool_up", {{"pool_id", "off"}}));  // disabled: never polled

  auto t = good_tile(1.2e12);
  t.latency_ms = 250;
  t.shares_valid = 10;
  http->send(cache, poll_result{"a", 0, t, 1764000000});
  mc::tile down;
  down.health_message = "HTTP 429 from pool.test: rate limited";
  down.latency_ms = 5;
  http->send(cache, poll_result{"b", 0, down, 1764000000});
  d = metrics(*next_snapshot());
  BOOST_TEST(d.at("mc_pool_up", a) == 1);
  BOOST_TEST(d.at("mc_pool_hashrate_hps", a) == 1.2e12);
  BOOST_TEST(d.at("mc_pool_workers", a) == 2);
  BOOST_TEST(d.at("mc_pool_shares", {{"pool_id", "a"}, {"kind", "valid"}}) == 10);
  BOOST_TEST(!d.value("mc_pool_shares", {{"pool_id", "a"}, {"kind", "stale"}}));  // unknown
  BOOST_TEST(d.at("mc_pool_poll_latency_seconds", a) == 0.25);
  BOOST_TEST(d.at("mc_pool_last_success_timestamp_seconds", a) == 1764000000);
  BOOST_TEST(d.at("mc_pool_up", {{"pool_id", "b"}}) == 0);
  BOOST_TEST(d.at("mc_pool_poll_errors_total", {{"pool_id", "b"}, {"kind", "rate_limited"}}) == 1);

  // Down after a success: numbers gone (the dashboard shows them stale), the time of the last
  // success stays, the failure is counted by kind.
  down.health_message = "pool.test: timeout after 10 s";
  http->send(cache, poll_result{"a", 0, down, 1764000030});
  d = metrics(*next_snapshot());
  BOOST_TEST(d.at("mc_pool_up", a) == 0);
  BOOST_TEST(!d.value("mc_pool_hashrate_hps", a));
  BOOST_TEST(d.at("mc_pool_last_success_timestamp_seconds", a) == 1764000000);
  BOOST_TEST(d.at("mc_pool_poll_latency_seconds", a) == 0.005);
  BOOST_TEST(d.at("mc_pool_polls_total", a) == 2);
  BOOST_TEST(d.at("mc_pool_poll_errors_total", {{"pool_id", "a"}, {"kind", "timeout"}}) == 1);

  // The counters survive a reload of an unchanged catalog.
  load({pool("a"), pool("b")});
  d = metrics(*next_snapshot());
  BOOST_TEST(d.at("mc_pool_polls_total", a) == 2);
}

BOOST_AUTO_TEST_SUITE_END()
