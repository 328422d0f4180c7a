#define BOOST_TEST_MODULE bundled drivers golden tiles
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "config/pool_config.hpp"
#include "http/tile_json.hpp"
#include "test/drivers/driver_fixture.hpp"
#include "test/support/local_server.hpp"

namespace js = boost::json;
using mc::test::answer;
using mc::test::fixture;

namespace {

constexpr std::int64_t clock_now = 1764000000;
const std::string ck_wallet = "bc1qexampleexampleexampleexampleexample00";

struct golden_case {
  std::string driver;
  std::string coin;
  std::string wallet;
  std::string token;
  std::vector<std::pair<std::string, std::string>> routes;  // path → fixture file
};

std::vector<golden_case> cases() {
  return {
      {"braiins",
       "BTC",
       "",
       "read-only-token-123456",
       {{"/accounts/profile/json/btc/", "braiins/profile.json"}}},
      {"mmfp",
       "BCH",
       "",
       "",
       {{"/api/v1/health", "mmfp/health.json"},
        {"/api/v1/BCH/metrics/pool", "mmfp/metrics-pool.json"}}},
      {"ckpool",
       "BTC",
       ck_wallet,
       "",
       {{"/pool/pool.status", "ckpool/pool.status"}, {"/users/" + ck_wallet, "ckpool/user.json"}}},
  };
}

mc::pool_config config_for(const golden_case& c, const std::string& base) {
  mc::pool_config p;
  p.pool_id = c.driver + "-test";
  p.driver = c.driver;
  p.url = "pool.test";
  p.port = 3333;
  p.coin = c.coin;
  p.wallet = c.wallet;
  p.api_token = c.token;
  p.api_base_url = base;
  return p;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_bundled_driver_matches_its_golden_tile_over_real_http) {
  for (const auto& c : cases()) {
    BOOST_TEST_CONTEXT("driver " << c.driver) {
      auto d = mc::test::load_bundled_driver(c.driver);
      mc::test::local_server server;
      for (const auto& [path, file] : c.routes) server.route(path, {200, fixture(file)});
      auto pool = config_for(c, server.base_url());
      BOOST_TEST(d.instance->validate(pool).empty());
      auto tile = mc::test::poll_once(*d.instance, pool, clock_now);
      auto golden = js::parse(fixture(c.driver + "/expected-tile.json")).as_object();
      mc::test::check_matches_golden(tile, golden);
      for (const auto& [path, file] : c.routes) BOOST_TEST(server.hits(path) == 1u);
    }
  }
}

BOOST_AUTO_TEST_CASE(braiins_sends_both_token_headers_and_maps_auth_failures) {
  auto d = mc::test::load_bundled_driver("braiins");
  auto pool = config_for(cases()[0], "https://pool.braiins.com");
  auto reqs = d.instance->plan({pool, clock_now});
  BOOST_REQUIRE(reqs.size() == 1u);
  BOOST_TEST(reqs[0].url == "https://pool.braiins.com/accounts/profile/json/btc/");
  BOOST_TEST(
      (reqs[0].headers == mc::http_headers{{"Pool-Auth-Token", "read-only-token-123456"},
                                           {"SlushPool-Auth-Token", "read-only-token-123456"}}));
  for (int status : {401, 403}) {
    auto t = d.instance->parse({pool, clock_now}, {answer("profile", status, "Forbidden")});
    BOOST_TEST(t.health_message ==
               "HTTP " + std::to_string(status) + " from pool.test: check api_token");
  }
  auto t = d.instance->parse({pool, clock_now},
                             {answer("profile", 200, "Invalid Access Profile token")});
  BOOST_TEST(!t.health_status);
  BOOST_TEST(t.health_message == "pool.test rejected the token: check api_token");
}

BOOST_AUTO_TEST_CASE(braiins_requires_a_token_and_btc) {
  auto d = mc::test::load_bundled_driver("braiins");
  auto pool = config_for(cases()[0], "");
  pool.api_token.clear();
  pool.coin = "BCH";
  auto problems = d.instance->validate(pool);
  BOOST_REQUIRE(problems.size() == 2u);
  BOOST_TEST(problems[0].field == "coin");
  BOOST_TEST(problems[1].field == "api_token");
  BOOST_TEST(!d.info.needs_wallet);
}

BOOST_AUTO_TEST_CASE(braiins_converts_every_hash_rate_unit) {
  auto d = mc::test::load_bundled_driver("braiins");
  auto pool = config_for(cases()[0], "");
  for (auto [unit, scale] : std::vector<std::pair<std::string, double>>{{"H/s", 1},
                                                                        {"Kh/s", 1e3},
                                                                        {"Mh/s", 1e6},
                                                                        {"Gh/s", 1e9},
                                                                        {"Th/s", 1e12},
                                                                        {"Ph/s", 1e15},
                                                                        {"Eh/s", 1e18}}) {
    auto body = R"({"btc":{"hash_rate_unit":")" + unit + R"(","hash_rate_5m":2.5,"ok_workers":1}})";
    auto t = d.instance->parse({pool, clock_now}, {answer("profile", 200, body)});
    BOOST_TEST(t.user_hashrate->hs() == 2.5 * scale, unit);
  }
  auto t = d.instance->parse(
      {pool, clock_now},
      {answer("profile", 200, R"({"btc":{"hash_rate_unit":"Sol/s","hash_rate_5m":1}})")});
  BOOST_TEST(!t.health_status);
}

BOOST_AUTO_TEST_CASE(ckpool_torn_status_and_unknown_user) {
  auto d = mc::test::load_bundled_driver("ckpool");
  auto pool = config_for(cases()[2], "http://pool.test:3001");
  auto status = fixture("ckpool/pool.status");
  auto torn = status.substr(0, status.find('\n', status.find('\n') + 1) + 1);  // two lines
  auto t = d.instance->parse({pool, clock_now}, {answer("pool", 200, torn),
                                                 answer("user", 200, fixture("ckpool/user.json"))});
  BOOST_TEST(!t.health_status);
  BOOST_TEST(t.health_message.find("incomplete pool.status from pool.test (2 of 3 lines)") == 0u,
             t.health_message);
  t = d.instance->parse({pool, clock_now}, {answer("pool", 200, status), answer("user", 404, "")});
  BOOST_TEST(t.health_status);
  BOOST_TEST(t.health_message.starts_with("no shares from " + ck_wallet + " yet"));
  BOOST_TEST(!t.accepted_difficulty.has_value());
}

BOOST_AUTO_TEST_CASE(ckpool_default_api_is_port_3001_of_the_pool_host) {
  auto d = mc::test::load_bundled_driver("ckpool");
  auto pool = config_for(cases()[2], "");
  auto reqs = d.instance->plan({pool, clock_now});
  BOOST_REQUIRE(reqs.size() == 2u);
  BOOST_TEST(reqs[0].url == "http://pool.test:3001/pool/pool.status");
  BOOST_TEST(reqs[1].url == "http://pool.test:3001/users/" + ck_wallet);
}

BOOST_AUTO_TEST_CASE(si_hash_rates_parse_exactly) {
  using mc::hash_rate;
  BOOST_TEST(hash_rate::from_si_text("610G")->hs() == 610e9);
  BOOST_TEST(hash_rate::from_si_text("2.41T")->hs() == 2.41e12);
  BOOST_TEST(hash_rate::from_si_text("1.19T")->hs() == 1190000000000.0);
  BOOST_TEST(hash_rate::from_si_text("12345")->hs() == 12345.0);
  BOOST_TEST(hash_rate::from_si_text("1.5K")->hs() == 1500.0);
  BOOST_TEST(hash_rate::from_si_text("3E")->hs() == 3e18);
  BOOST_TEST(hash_rate::from_si_text("1e")->hs() == 1e18);  // a trailing letter is a prefix
  BOOST_TEST(hash_rate::from_si_text("1e3K")->hs() == 1e6);
  BOOST_TEST(hash_rate::from_si_text(" 7M ")->hs() == 7e6);
  BOOST_TEST(hash_rate::from_si_text("0")->hs() == 0.0);
  for (const char* bad : {"", "G", "12X", "1.2.3T", "-5G", "abc", "nanT", "1e999999T"})
    BOOST_TEST(!hash_rate::from_si_text(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(mmfp_reports_a_pool_that_says_it_is_not_ok) {
  auto d = mc::test::load_bundled_driver("mmfp");
  auto pool = config_for(cases()[1], "");
  auto reqs = d.instance->plan({pool, clock_now});
  BOOST_TEST(reqs[0].url == "http://pool.test:4004/api/v1/health");
  BOOST_TEST(reqs[1].url == "http://pool.test:4004/api/v1/BCH/metrics/pool");
  auto t = d.instance->parse({pool, clock_now},
                             {answer("health", 200, R"({"status":"syncing"})"),
                              answer("pool", 200, fixture("mmfp/metrics-pool.json"))});
  BOOST_TEST(!t.health_status);
  BOOST_TEST(t.health_message == R"(pool at pool.test reports status "syncing")");
}

BOOST_AUTO_TEST_CASE(every_bundled_example_pool_is_accepted_by_its_driver) {
  int checked = 0;
  for (const auto& e : std::filesystem::directory_iterator(MC_SOURCE_DIR "/config/bundled/pools")) {
    const std::string name = e.path().filename().string();
    if (!name.ends_with(".yaml.example")) continue;
    const std::string id = name.substr(0, name.size() - std::string(".yaml.example").size());
    std::ifstream in(e.path());
    auto parsed = mc::config::parse_pool_config(
        id, "pools/" + name, std::string(std::istreambuf_iterator<char>(in), {}));
    BOOST_REQUIRE_MESSAGE(parsed.config, name);
    auto pool = *parsed.config;
    pool.wallet = "bc1qexampleexampleexampleexampleexample00";
    pool.api_token = "a-read-only-token-1234";  // what config.yaml would supply
    auto d = mc::test::load_bundled_driver(pool.driver);
    auto problems = d.instance->validate(pool);
    BOOST_TEST(problems.empty(),
               name << ": " << (problems.empty() ? std::string() : problems[0].reason));
    BOOST_TEST(!d.instance->plan({pool, clock_now}).empty(), name);
    ++checked;
  }
  BOOST_TEST(checked >= 12);
}
