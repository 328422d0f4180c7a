#define BOOST_TEST_MODULE pool actor
#include "actors/pool_actor.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/test/unit_test.hpp>
#include <thread>

#include "actors/messages.hpp"
#include "drivers/loader.hpp"
#include "http/client.hpp"
#include "test/actors/actor_fixture.hpp"
#include "test/drivers/driver_fixture.hpp"
#include "test/support/local_server.hpp"

using namespace mc::actors;
using namespace std::chrono_literals;

namespace {

const std::string wallet = "dgb1qexampleexampleexampleexample0000000";

struct fixture : mc::test::actor_fixture {
  mc::test::local_server upstream;
  mc::drivers::loaded_driver driver = mc::test::load_bundled_driver("solopool");

  fixture() {
    upstream.route("/api/stats", {200, mc::test::fixture("solopool/stats.json")});
    upstream.route("/api/blocks", {200, mc::test::fixture("solopool/blocks.json")});
    upstream.route("/api/accounts/" + wallet, {200, mc::test::fixture("solopool/account.json")});
  }

  pool_actor_args args(int interval_s) {
    mc::pool_config p;
    p.pool_id = "dgb";
    p.driver = "solopool";
    p.coin = "DGB";
    p.wallet = wallet;
    p.poll_interval_s = interval_s;
    p.api_base_url = upstream.base_url() + "/api";
    return {p, driver.instance, client, cache, 0ms};
  }

  poll_result next_result(std::chrono::milliseconds within) {
    poll_result out;
    cache->receive([&](poll_result& r) { out = std::move(r); },
                   caf::after(within) >> [&] { BOOST_FAIL("no poll result in time"); });
    return out;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(pool, fixture)

BOOST_AUTO_TEST_CASE(polls_at_once_then_every_interval_and_publishes_tiles) {
  auto a = sys.spawn(pool_actor, args(1));
  auto first = next_result(2s);
  BOOST_TEST(first.pool_id == "dgb");
  BOOST_TEST(first.tile.health_status);
  BOOST_TEST(first.tile.health_message == "2 workers online");
  BOOST_TEST(first.tile.user_hashrate->hs() == 1.2e12);
  BOOST_TEST(first.tile.latency_ms.has_value());
  auto t0 = std::chrono::steady_clock::now();
  auto second = next_result(3s);
  auto gap = std::chrono::steady_clock::now() - t0;
  BOOST_TEST(second.tile.health_status);
  BOOST_TEST((gap > 500ms));  // one interval (1 s ± 2 %) apart, not back to back
  BOOST_TEST(upstream.hits("/api/stats") >= 2u);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(a_poll_that_outlives_its_deadline_is_cut_and_reported) {
  upstream.route("/api/blocks", {200, mc::test::fixture("solopool/blocks.json"), {}, 5s});
  auto a = sys.spawn(pool_actor, args(1));  // deadline: 0.9 s
  auto t0 = std::chrono::steady_clock::now();
  auto r = next_result(3s);
  BOOST_TEST((std::chrono::steady_clock::now() - t0 < 2500ms));
  BOOST_TEST(!r.tile.health_status);
  BOOST_TEST(r.tile.health_message.find("timeout after") != std::string::npos,
             r.tile.health_message);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(an_unreachable_pool_gives_a_failure_tile_naming_the_host) {
  auto p = args(5);
  p.pool.api_base_url = "http://127.0.0.1:1/api";  // nothing listens on port 1
  auto a = sys.spawn(pool_actor, p);
  auto r = next_result(3s);
  BOOST_TEST(!r.tile.health_status);
  BOOST_TEST(r.tile.health_message.starts_with("127.0.0.1: "), r.tile.health_message);
  BOOST_TEST(r.tile.currency == "DGB");
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(a_429_with_retry_after_holds_the_next_poll_back) {
  upstream.route("/api/stats", {429, R"({"error":"slow down"})", {{"Retry-After", "3"}}});
  auto a = sys.spawn(pool_actor, args(1));  // would poll every second otherwise
  auto first = next_result(2s);
  BOOST_TEST(first.tile.health_message == "HTTP 429 from 127.0.0.1: rate limited, retry after 3 s");
  const auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(2500ms);
  BOOST_TEST(upstream.hits("/api/stats") == 1u);
  upstream.route("/api/stats", {200, mc::test::fixture("solopool/stats.json")});
  auto second = next_result(3s);
  BOOST_TEST((std::chrono::steady_clock::now() - t0 >= 2800ms));
  BOOST_TEST(second.tile.health_status);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(retry_after_reads_seconds_and_http_dates) {
  mc::http_response r;
  r.status = 429;
  BOOST_TEST(!retry_after_of(r, 0).has_value());
  r.headers = {{"retry-after", "120"}};
  BOOST_TEST(retry_after_of(r, 0)->count() == 120);
  r.headers = {{"retry-after", "Mon, 24 Nov 2025 16:01:30 GMT"}};
  BOOST_TEST(retry_after_of(r, 1764000000)->count() == 90);
  r.headers = {{"retry-after", "999999"}};
  BOOST_TEST(retry_after_of(r, 0)->count() == 3600);  // capped at an hour
  r.status = 200;
  BOOST_TEST(!retry_after_of(r, 0).has_value());
}

BOOST_AUTO_TEST_CASE(first_poll_jitter_spreads_over_at_most_ten_seconds) {
  std::set<long> seen;
  for (int i = 0; i < 200; ++i) {
    auto d = first_poll_jitter(30).count();
    BOOST_TEST_REQUIRE(d >= 0);
    BOOST_TEST_REQUIRE(d < 10'000);
    seen.insert(d / 1000);
  }
  BOOST_TEST(seen.size() >= 8u);  // 200 draws land in most of the ten 1-second slots
  for (int i = 0; i < 50; ++i) BOOST_TEST(first_poll_jitter(5).count() < 5'000);
}

BOOST_AUTO_TEST_CASE(the_second_poll_stretches_the_first_polls_phase_over_the_interval) {
  // 30 s: first polls within 10 s; 2.5 s in, the second poll comes 5 s later than an interval.
  BOOST_TEST(second_poll_spread(2500ms, 30).count() == 5000);
  BOOST_TEST(second_poll_spread(9999ms, 30).count() == 19998);  // phase 29.997 s of 30
  BOOST_TEST(second_poll_spread(0ms, 30).count() == 0);
  BOOST_TEST(second_poll_spread(6s, 60).count() == 30000);  // phase 36 s of 60
  // Up to 10 s the first polls already spread over the whole interval.
  BOOST_TEST(second_poll_spread(4s, 5).count() == 0);
  BOOST_TEST(second_poll_spread(9s, 10).count() == 0);
}

BOOST_AUTO_TEST_CASE(a_late_timer_does_not_stretch_the_interval_but_polls_never_crowd) {
  const std::chrono::steady_clock::time_point due{100s};
  // Fired 400 ms late (the clock's slack): the next poll keeps to the schedule.
  BOOST_TEST((next_poll_due(due, 30s, due + 400ms, 27s) == due + 30s));
  // Fired 4 s late, at a 5 s interval: at least the 90 % gap after this poll, not 1 s.
  BOOST_TEST((next_poll_due(due, 5s, due + 4s, 4500ms) == due + 8500ms));
  // Resumed an hour late: one poll now, the next a gap later, not a burst to catch up.
  BOOST_TEST((next_poll_due(due, 30s, due + 3600s, 27s) == due + 3627s));
}

BOOST_AUTO_TEST_SUITE_END()
