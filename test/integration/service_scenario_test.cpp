// The scenario of issue 2, end to end: one driver and eight pool files, six of them polled from
// the mock pool; the mock goes away and comes back.
#define BOOST_TEST_MODULE service scenario
#include <boost/test/unit_test.hpp>

#include "test/bench/http_client.hpp"
#include "test/integration/service_fixture.hpp"

namespace js = boost::json;
using namespace std::chrono_literals;

namespace {

struct solo_pool {
  std::string id, coin, region, host;
  int port;
  std::string wallet;
};

const std::vector<solo_pool> pools = {
    {"solopool-dgb-eu1", "DGB", "EU", "eu1.solopool.org", 8004,
     "dgb1qeeeeuuuuoneoneone0000000000000"},
    {"solopool-dgb-us1", "DGB", "US", "us1.solopool.org", 8004,
     "dgb1quuuusssoneoneone0000000000000"},
    {"solopool-bch-eu2", "BCH", "EU", "eu2.solopool.org", 8002,
     "bitcoincash:qeeeuuutwotwotwo000000"},
    {"solopool-bch-us1", "BCH", "US", "us1.solopool.org", 8002,
     "bitcoincash:quuusssoneoneone000000"},
    {"solopool-btc-eu3", "BTC", "EU", "eu3.solopool.org", 8005,
     "bc1qeeeuuuthreethree0000000000000"},
    {"solopool-bc2-eu3", "BC2", "EU", "eu3.solopool.org", 8001, "bc1qbc2bc2threethree000000000000"},
};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string pool_yaml(const solo_pool& p, const std::string& mock) {
  return "driver: solopool\ndisplay_name: Solopool.org " + p.coin + " " + p.region +
         "\nurl: stratum+tcp://" + p.host + "\nport: " + std::to_string(p.port) +
         "\ncoin: " + lower(p.coin) + "\nregion: " + p.region +
         "\nmining_model: solo\nfee_percent: 1\nsupports_shares: true\n"
         "description: test pool\npoll_interval_s: 5\nwallet: " +
         p.wallet + "\napi_base_url: " + mock + "/solopool/" + lower(p.coin) + "/api\n";
}

bool has_line(const std::vector<std::string>& log, const std::string& text) {
  for (const auto& l : log)
    if (l.find(text) != std::string::npos) return true;
  return false;
}

struct scenario : mc::test::service_fixture {
  scenario() {
    install_driver("solopool");
    start_mock(0, {"--frozen-clock", "1764000000"});
    for (const auto& p : pools) write("pools/" + p.id + ".yaml", pool_yaml(p, mock_base()));
    // Once their drivers are installed these two are polled too: loopback only, like all tests.
    write("pools/braiins-btc-eu.yaml",
          "driver: braiins\ndisplay_name: Braiins BTC EU\nurl: eu.stratum.braiins.com\n"
          "port: 3333\ncoin: BTC\npoll_interval_s: 5\napi_base_url: " +
              mock_base() + "/braiins\n");
    write("pools/mmfp-bch-local.yaml",
          "driver: mmfp\ndisplay_name: MMFP BCH\nurl: 192.168.1.20\nport: 3333\ncoin: BCH\n"
          "poll_interval_s: 5\napi_base_url: " +
              mock_base() + "/mmfp\n");
    start_service("Loaded 1 driver(s) and 6 pool config(s)");
  }

  js::object dashboard() { return get_json("/api/dashboard/pools").as_object(); }

  // True when every pool's tile shows the mock's current numbers, healthy and fresh.
  bool all_tiles_match_the_mock() {
    auto dash = dashboard();
    for (const auto& p : pools) {
      const auto* e = dash.if_contains(p.id);
      if (!e) return false;
      const auto& health = e->at("tile_1_health");
      if (health.at("health_status") != true || e->at("stale") != false) return false;
      auto account = mock_json("/solopool/" + lower(p.coin) + "/api/accounts/" + p.wallet);
      auto stats = mock_json("/solopool/" + lower(p.coin) + "/api/stats");
      const auto& net = e->at("tile_2_network");
      BOOST_TEST(net.at("pool_hashrate_hs").to_number<double>() ==
                 account.at("currentHashrate").to_number<double>());
      BOOST_TEST(net.at("active_workers").to_number<std::int64_t>() ==
                 account.at("workersOnline").to_number<std::int64_t>());
      BOOST_TEST(net.at("network_difficulty").to_number<double>() ==
                 stats.at("stats").at("difficulty").to_number<double>());
      const auto online = account.at("workersOnline").to_number<std::int64_t>();
      BOOST_TEST(
          health.at("health_message") ==
          js::value(std::to_string(online) + (online == 1 ? " worker online" : " workers online")));
      BOOST_TEST(e->at("tile_4_blocks").at("currency") == js::value(p.coin));
    }
    return true;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(one_driver_eight_configs_then_the_pool_goes_away_and_comes_back, scenario) {
  // Start-up log.
  BOOST_TEST(has_line(log, "Loaded driver: solopool from solopool_driver.so"));
  // One summary line for the pools, whatever their number; the rejected ones have their own.
  BOOST_TEST(has_line(log, "Loaded 1 driver(s) and 6 pool config(s) (solopool 6"));
  BOOST_TEST(!has_line(log, "Loaded pool config"));
  BOOST_TEST(has_line(
      log, "Rejected pool config pools/braiins-btc-eu.yaml:1: driver: unknown driver: braiins"));
  BOOST_TEST(has_line(
      log, "Rejected pool config pools/mmfp-bch-local.yaml:1: driver: unknown driver: mmfp"));
  BOOST_TEST(get_json("/healthz").at("status") == "ok");
  BOOST_TEST(eventually(
      5s, [&] { return mc::test::http_get("127.0.0.1", service_port, "/readyz").status == 200; }));

  // Catalogue: six templates with every field, one driver, two rejected configs.
  auto templates = get_json("/api/pool-templates").as_array();
  BOOST_TEST(templates.size() == 6u);
  for (const auto& t : templates) {
    for (const char* field :
         {"pool_type", "pool_display_name", "template_id", "display_name", "url", "port", "coin",
          "mining_model", "region", "requires_auth", "supports_shares", "supports_earnings",
          "supports_balance", "description", "fee_percent"})
      BOOST_TEST(t.as_object().contains(field), field);
    BOOST_TEST(t.at("pool_type") == "solopool");
    BOOST_TEST(t.at("pool_display_name") == "Solopool.org");
    BOOST_TEST(t.at("mining_model") == "solo");
  }
  BOOST_TEST(templates[0].at("template_id") == "solopool-bc2-eu3");  // sorted by pool id
  BOOST_TEST(templates[0].at("url") == "eu3.solopool.org");          // stratum+tcp:// stripped
  BOOST_TEST(templates[0].at("coin") == "BC2");                      // upper-cased
  BOOST_TEST(get_json("/api/pool-templates/solopool/dgb").as_array().size() == 2u);
  BOOST_TEST(get_json("/api/pool-templates/solopool").as_array().size() == 6u);
  BOOST_TEST(get_json("/api/pool-templates/braiins", 404).at("error") == "unknown driver: braiins");

  auto drivers = get_json("/api/drivers");
  BOOST_TEST(drivers.at("loaded").as_array().size() == 1u);
  BOOST_TEST(drivers.at("loaded").at(0).at("type") == "solopool");
  BOOST_TEST(drivers.at("loaded").at(0).at("file") == "solopool_driver.so");

  auto listed = get_json("/api/pools").as_array();
  BOOST_TEST(listed.size() == 8u);
  int rejected = 0;
  for (const auto& p : listed) {
    if (p.at("status") != "rejected") {
      BOOST_TEST(p.at("status") == "active");
      continue;
    }
    ++rejected;
    const auto reason = std::string(p.at("reasons").at(0).as_string());
    BOOST_TEST((reason.find("driver: unknown driver: braiins") != std::string::npos ||
                reason.find("driver: unknown driver: mmfp") != std::string::npos),
               reason);
  }
  BOOST_TEST(rejected == 2);

  // Within one poll interval (5 s, first poll within it) every tile is healthy with the
  // mock's numbers.
  BOOST_TEST(eventually(8s, [&] { return all_tiles_match_the_mock(); }));
  auto one = get_json("/api/dashboard/pools?pool_id=solopool-dgb-eu1");
  BOOST_TEST(one.at("pool_id") == "solopool-dgb-eu1");
  BOOST_TEST(one.at("tile_2_network").at("estimated_time_to_block").is_string());
  BOOST_TEST(get_json("/api/dashboard/pools?pool_id=nope", 404).at("error") ==
             "unknown pool: nope");
  const double dgb_rate = one.at("tile_2_network").at("pool_hashrate_hs").to_number<double>();

  // The mock goes away: tiles turn unhealthy, keep their last values, marked stale.
  const auto port = mock_port;
  stop_mock();
  BOOST_TEST(eventually(12s, [&] {
    auto dash = dashboard();
    for (const auto& p : pools) {
      const auto& e = dash.at(p.id);
      if (e.at("tile_1_health").at("health_status") != false || e.at("stale") != true) return false;
    }
    return true;
  }));
  auto down = get_json("/api/dashboard/pools?pool_id=solopool-dgb-eu1");
  const std::string message(down.at("tile_1_health").at("health_message").as_string());
  BOOST_TEST(message.find("127.0.0.1") != std::string::npos, message);
  BOOST_TEST(message.find("refused") != std::string::npos, message);
  BOOST_TEST(down.at("tile_2_network").at("pool_hashrate_hs").to_number<double>() == dgb_rate);
  BOOST_TEST(down.at("last_success").is_string());

  // It comes back on the same port: every tile recovers.
  start_mock(port, {"--frozen-clock", "1764000000"});
  BOOST_TEST(eventually(12s, [&] { return all_tiles_match_the_mock(); }));

  // SIGTERM: a clean stop with exit code 0, the recovery in the log.
  BOOST_TEST(stop_service() == 0);
  BOOST_TEST(has_line(log, "Pool solopool-dgb-eu1 unhealthy: 127.0.0.1"));
  BOOST_TEST(has_line(log, "Pool solopool-dgb-eu1 healthy: "));
  BOOST_TEST(has_line(log, "Received SIGTERM: shutting down"));
  BOOST_TEST(has_line(log, "Stopped"));

  // The documented next step: copy the braiins and mmfp drivers in (and ckpool with a pool of
  // its own), restart: every config loads and polls the mock's API of its driver.
  install_driver("braiins");
  install_driver("mmfp");
  install_driver("ckpool");
  write("config.yaml", "api_keys: { braiins: \"read-only-token-123456\" }\n");
  write("pools/ckpool-btc-local.yaml",
        "driver: ckpool\ndisplay_name: ckpool BTC\nurl: 192.168.1.21\nport: 3333\ncoin: BTC\n"
        "wallet: bc1qckpoolckpoolckpoolckpool000000\npoll_interval_s: 5\n"
        "api_base_url: " +
            mock_base() + "/ckpool\n");
  log.clear();
  start_service("Loaded 4 driver(s) and 9 pool config(s)");
  BOOST_TEST(has_line(log, "Loaded driver: braiins from braiins_driver.so"));
  BOOST_TEST(has_line(log, "Loaded 4 driver(s) and 9 pool config(s) (braiins 1, ckpool 1, mmfp 1"));
  BOOST_TEST(eventually(
      5s, [&] { return mc::test::http_get("127.0.0.1", service_port, "/readyz").status == 200; }));
  const auto all_pools = get_json("/api/pools");
  BOOST_TEST(all_pools.as_array().size() == 9u);
  for (const auto& p : all_pools.as_array()) BOOST_TEST(p.at("status") == "active");
  BOOST_TEST(get_json("/api/pool-templates").as_array().size() == 9u);
  BOOST_TEST(eventually(8s, [&] {
    auto dash = dashboard();
    for (const char* id : {"braiins-btc-eu", "mmfp-bch-local", "ckpool-btc-local"}) {
      const auto& e = dash.at(id);
      if (e.at("tile_1_health").at("health_status") != true) return false;
      if (!e.at("tile_2_network").at("pool_hashrate_hs").is_number()) return false;
    }
    return true;
  }));
  auto braiins = get_json("/api/dashboard/pools?pool_id=braiins-btc-eu");
  BOOST_TEST(braiins.at("tile_4_blocks").at("confirmed_balance").is_number());
  auto ckpool = get_json("/api/dashboard/pools?pool_id=ckpool-btc-local");
  BOOST_TEST(ckpool.at("tile_3_shares").at("accepted_difficulty").is_number());
  // The token is a secret: the API shows it masked only.
  const auto pools_body = mc::test::http_get("127.0.0.1", service_port, "/api/pools").body;
  BOOST_TEST(pools_body.find("read-only-token-123456") == std::string::npos);
  BOOST_TEST(pools_body.find("\"***3456\"") != std::string::npos);
  BOOST_TEST(stop_service() == 0);
}
