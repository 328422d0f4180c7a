#define BOOST_TEST_MODULE solopool driver
#include <boost/test/unit_test.hpp>

#include "http/tile_json.hpp"
#include "test/drivers/driver_fixture.hpp"
#include "test/support/local_server.hpp"

namespace js = boost::json;
using mc::test::answer;
using mc::test::fixture;

namespace {

constexpr std::int64_t clock_now = 1764000000;  // the fixtures' clock
const std::string wallet = "dgb1qexampleexampleexampleexample0000000";

mc::pool_config dgb_pool(std::string base = "https://pool.test/api") {
  mc::pool_config p;
  p.pool_id = "solopool-dgb-eu1";
  p.driver = "solopool";
  p.coin = "DGB";
  p.wallet = wallet;
  p.api_base_url = std::move(base);
  return p;
}

struct driver_fixture {
  mc::drivers::loaded_driver d = mc::test::load_bundled_driver("solopool");
  const mc::driver& drv = *d.instance;

  std::vector<mc::http_response> good() const {
    return {answer("stats", 200, fixture("solopool/stats.json")),
            answer("blocks", 200, fixture("solopool/blocks.json")),
            answer("account", 200, fixture("solopool/account.json"))};
  }
  mc::tile parse(const mc::pool_config& pool, const std::vector<mc::http_response>& rs) const {
    return drv.parse({pool, clock_now}, rs);
  }
};

js::object golden() { return js::parse(fixture("solopool/expected-tile.json")).as_object(); }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(solopool, driver_fixture)

BOOST_AUTO_TEST_CASE(golden_tile_through_a_real_http_server) {
  mc::test::local_server server;
  server.route("/api/stats", {200, fixture("solopool/stats.json")});
  server.route("/api/blocks", {200, fixture("solopool/blocks.json")});
  server.route("/api/accounts/" + wallet, {200, fixture("solopool/account.json")});
  auto tile = mc::test::poll_once(drv, dgb_pool(server.base_url() + "/api"), clock_now);
  mc::test::check_matches_golden(tile, golden());
  BOOST_TEST(server.hits("/api/accounts/" + wallet) == 1u);
}

BOOST_AUTO_TEST_CASE(plans_the_default_api_of_the_coin_and_the_wallet_before_the_worker_name) {
  auto pool = dgb_pool("");
  pool.wallet = wallet + ".bitaxe-1";
  auto reqs = drv.plan({pool, clock_now});
  BOOST_REQUIRE(reqs.size() == 3u);
  BOOST_TEST(reqs[0].url == "https://dgb-sha.solopool.org/api/stats");
  BOOST_TEST(reqs[1].url == "https://dgb-sha.solopool.org/api/blocks");
  BOOST_TEST(reqs[2].url == "https://dgb-sha.solopool.org/api/accounts/" + wallet);
}

BOOST_AUTO_TEST_CASE(golden_tile_from_the_fixture_bytes) {
  mc::test::check_matches_golden(parse(dgb_pool(), good()), golden());
}

BOOST_AUTO_TEST_CASE(unknown_wallet_is_no_shares_yet_not_an_outage) {
  auto rs = good();
  rs[2] = answer("account", 404, R"({"error":"not found"})");
  auto t = parse(dgb_pool(), rs);
  BOOST_TEST(t.health_status);
  BOOST_TEST(t.health_message ==
             "no shares from " + wallet + " yet: check the address if this miner is running");
  BOOST_TEST(!t.user_hashrate.has_value());
  BOOST_TEST(!t.shares_valid.has_value());
  BOOST_TEST(!t.active_workers.has_value());
  BOOST_TEST(t.network_difficulty.value() == 2e9);
}

BOOST_AUTO_TEST_CASE(account_without_workers_is_no_shares_yet) {
  auto rs = good();
  rs[2] = answer("account", 200,
                 R"({"currentHashrate":0,"workersOnline":0,"workersTotal":0,"workers":{}})");
  auto t = parse(dgb_pool(), rs);
  BOOST_TEST(t.health_status);
  BOOST_TEST(t.health_message.starts_with("no shares from "));
}

BOOST_AUTO_TEST_CASE(http_failures_become_failure_tiles_with_the_host_and_status) {
  for (int status : {401, 403, 429, 500, 502, 503}) {
    auto rs = good();
    rs[0] = answer("stats", status, "oops");
    auto t = parse(dgb_pool(), rs);
    BOOST_TEST(!t.health_status);
    BOOST_TEST(t.health_message.starts_with("HTTP " + std::to_string(status) + " from pool.test"),
               t.health_message);
    BOOST_TEST(!t.network_difficulty.has_value());
  }
}

BOOST_AUTO_TEST_CASE(account_server_error_is_an_outage_not_no_shares) {
  auto rs = good();
  rs[2] = answer("account", 500, "internal error");
  auto t = parse(dgb_pool(), rs);
  BOOST_TEST(!t.health_status);
  BOOST_TEST(t.health_message == "HTTP 500 from pool.test");
}

BOOST_AUTO_TEST_CASE(transport_errors_name_the_host) {
  auto rs = good();
  rs[1] = mc::test::transport_error("blocks", "timeout after 10 s");
  auto t = parse(dgb_pool(), rs);
  BOOST_TEST(!t.health_status);
  BOOST_TEST(t.health_message == "pool.test: timeout after 10 s");
}

BOOST_AUTO_TEST_CASE(bodies_that_are_not_json_or_not_objects_fail_clearly) {
  auto rs = good();
  rs[2] = answer("account", 200, R"({"currentHashrate": 12)");  // cut mid-JSON
  BOOST_TEST(parse(dgb_pool(), rs).health_message ==
             "unparsable response from pool.test (account): not JSON");
  rs = good();
  rs[0] = answer("stats", 200, "[1,2,3]");
  BOOST_TEST(parse(dgb_pool(), rs).health_message ==
             "unexpected response from pool.test (stats): not a JSON object");
}

BOOST_AUTO_TEST_CASE(missing_fields_are_null_never_zero) {
  auto rs = good();
  rs[0] = answer("stats", 200, R"({"now": 1764000000000})");
  rs[2] = answer("account", 200, R"({"workersOnline": 1, "workers": {"a": {"hr": 5}}})");
  auto t = parse(dgb_pool(), rs);
  BOOST_TEST(t.health_status);
  BOOST_TEST(!t.network_difficulty.has_value());
  BOOST_TEST(!t.network_hashrate.has_value());
  BOOST_TEST(!t.user_hashrate.has_value());
  BOOST_TEST(!t.shares_valid.has_value());
  auto f = mc::codec::tile_fields(t);
  BOOST_TEST(f["estimated_seconds_to_block"].is_null());
  BOOST_TEST(f["reject_rate"].is_null());
}

BOOST_AUTO_TEST_CASE(one_worker_reads_as_singular) {
  auto rs = good();
  rs[2] = answer("account", 200,
                 R"({"currentHashrate": 5e11, "workersOnline": 1, "workers": {"a": {}}})");
  BOOST_TEST(parse(dgb_pool(), rs).health_message == "1 worker online");
}

BOOST_AUTO_TEST_CASE(numbers_as_strings_are_read) {
  auto rs = good();
  rs[2] = answer("account", 200,
                 R"({"currentHashrate": "1200000000000", "workersOnline": "2",
                     "workers": {"a": {"sharesValid": "10", "sharesInvalid": "0", "sharesStale": "0"}}})");
  auto t = parse(dgb_pool(), rs);
  BOOST_TEST(t.user_hashrate->hs() == 1.2e12);
  BOOST_TEST(t.active_workers.value() == 2);
  BOOST_TEST(t.shares_valid.value() == 10);
}

BOOST_AUTO_TEST_CASE(no_wallet_shows_network_facts_and_says_what_is_missing) {
  auto pool = dgb_pool();
  pool.wallet.clear();
  auto reqs = drv.plan({pool, clock_now});
  BOOST_TEST(reqs.size() == 2u);
  auto rs = good();
  rs.pop_back();
  auto t = parse(pool, rs);
  BOOST_TEST(!t.health_status);
  BOOST_TEST(t.health_message == "no wallet configured for DGB");
  BOOST_TEST(t.network_difficulty.value() == 2e9);
}

BOOST_AUTO_TEST_CASE(validate_rejects_unsupported_coins_and_bad_api_urls) {
  auto pool = dgb_pool("");
  pool.coin = "XMR";
  auto problems = drv.validate(pool);
  BOOST_REQUIRE(problems.size() == 1u);
  BOOST_TEST(problems[0].field == "coin");
  pool = dgb_pool("ftp://x");
  problems = drv.validate(pool);
  BOOST_REQUIRE(problems.size() == 1u);
  BOOST_TEST(problems[0].field == "api_base_url");
  BOOST_TEST(drv.validate(dgb_pool()).empty());
}

BOOST_AUTO_TEST_SUITE_END()
