// The braiins, mmfp and ckpool APIs of the real mock_pool binary, checked against the shared
// fixtures (shared/fixtures/pool-apis/{braiins,mmfp,ckpool}).
#define BOOST_TEST_MODULE mock_pool_apis
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "test/bench/http_client.hpp"
#include "test/bench/process.hpp"

namespace json = boost::json;
using mc::test::header_list;

namespace {

constexpr std::int64_t frozen = 1764000000;
const std::string host = "127.0.0.1";
const std::string profile_path = "/braiins/accounts/profile/json/btc/";
const std::string workers_path = "/braiins/accounts/workers/json/btc/";
const std::string rewards_path = "/braiins/accounts/rewards/json/btc/";

struct mock {
  mc::test::child_process process;
  std::uint16_t port = 0;

  explicit mock(std::vector<std::string> args = {"--frozen-clock", std::to_string(frozen)}) {
    args.insert(args.begin(), {"--listen", "127.0.0.1:0"});
    process = mc::test::child_process::start(MC_MOCK_POOL_PATH, args);
    port = mc::test::port_from_line(process.read_line());
  }

  mc::test::http_result get(const std::string& target, const header_list& headers = {}) const {
    return mc::test::http_get(host, port, target, std::chrono::seconds(10), headers);
  }
  json::value get_json(const std::string& target, const header_list& headers = {}) const {
    const auto r = get(target, headers);
    BOOST_TEST_REQUIRE(r.status == 200u, target << " answered " << r.status << ": " << r.body);
    BOOST_TEST(r.content_type == "application/json");
    return json::parse(r.body);
  }
  json::value braiins(const std::string& target, const std::string& token) const {
    return get_json(target, {{"Pool-Auth-Token", token}});
  }
  void post(const std::string& target, const std::string& body) const {
    BOOST_TEST_REQUIRE(mc::test::http_post(host, port, target, body).status == 200u);
  }
};

std::string fixture_text(const std::string& name) {
  std::ifstream in(std::string(MC_FIXTURES_DIR) + "/" + name);
  BOOST_TEST_REQUIRE(in.good(), "missing fixture " << name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
json::value fixture(const std::string& name) { return json::parse(fixture_text(name)); }

std::string kind(const json::value& v) {
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_bool()) return "bool";
  if (v.is_null()) return "null";
  if (v.is_array()) return "array";
  return "object";
}

// Every fixture field exists with the same JSON type. Arrays and maps keyed by worker name
// (braiins "workers") check each element against the fixture's first one.
void check_shape(const json::value& expected, const json::value& actual, const std::string& at) {
  BOOST_TEST_REQUIRE(kind(actual) == kind(expected),
                     at << ": " << kind(actual) << " instead of " << kind(expected));
  if (expected.is_array() && !expected.get_array().empty()) {
    for (const auto& e : actual.get_array()) check_shape(expected.get_array()[0], e, at + "[]");
  } else if (expected.is_object() && at.ends_with(".workers")) {
    const auto& first = expected.get_object().begin()->value();
    for (const auto& [name, w] : actual.get_object()) {
      check_shape(first, w, at + "." + std::string(name));
    }
  } else if (expected.is_object()) {
    for (const auto& [key, value] : expected.get_object()) {
      const auto* got = actual.get_object().if_contains(key);
      BOOST_TEST(got != nullptr, at << ": missing " << key);
      if (got) check_shape(value, *got, at + "." + std::string(key));
    }
  }
}

std::set<std::string> keys(const json::value& v) {
  std::set<std::string> out;
  for (const auto& [key, value] : v.as_object()) out.emplace(key);
  return out;
}

double num(const json::value& v, std::string_view key) { return v.at(key).to_number<double>(); }
std::int64_t integer(const json::value& v, std::string_view key) {
  return v.at(key).to_number<std::int64_t>();
}

// "610G" -> 6.1e11: a number with an optional SI suffix and nothing else.
double si_value(const std::string& text) {
  static const std::regex form(R"(([0-9]+(\.[0-9]+)?)([KMGTPEZ]?))");
  std::smatch m;
  BOOST_TEST_REQUIRE(std::regex_match(text, m, form), "not an SI number: " << text);
  const std::string suffixes = "KMGTPEZ";
  const double exponent = m[3].length() == 0 ? 0.0 : 3.0 * (1.0 + suffixes.find(m[3].str()[0]));
  return std::stod(m[1].str()) * std::pow(10.0, exponent);
}

bool btc_amount(const json::value& v) {
  static const std::regex form(R"(0|[0-9]+\.[0-9]{8})");
  return v.is_string() && std::regex_match(std::string(v.as_string()), form);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(braiins)

BOOST_AUTO_TEST_CASE(token_rules) {
  mock m;
  const auto none = m.get(profile_path);
  BOOST_TEST(none.status == 401u);
  BOOST_TEST(none.content_type == "text/plain");
  BOOST_TEST(m.get(profile_path, {{"Pool-Auth-Token", ""}}).status == 401u);
  for (const char* header : {"Pool-Auth-Token", "SlushPool-Auth-Token"}) {
    const auto bad = m.get(profile_path, {{header, "bad-token"}});
    BOOST_TEST(bad.status == 403u);
    BOOST_TEST(bad.content_type == "text/plain");
    BOOST_TEST(bad.body == "Invalid Access Profile token");
  }
  const auto good = m.get(profile_path, {{"Pool-Auth-Token", "good-token"}});
  BOOST_TEST(good.status == 200u);
  BOOST_TEST(m.get(profile_path, {{"SlushPool-Auth-Token", "good-token"}}).body == good.body);
  BOOST_TEST(m.get(profile_path, {{"pool-auth-token", "good-token"}}).body == good.body);
  // Both names sent, as the service does: the token is the same, so is the account.
  BOOST_TEST(m.get(profile_path,
                   {{"Pool-Auth-Token", "good-token"}, {"SlushPool-Auth-Token", "good-token"}})
                 .body == good.body);
  BOOST_TEST(m.get(profile_path, {{"Pool-Auth-Token", "other-token"}}).body != good.body);
  for (const auto& path : {profile_path, workers_path, rewards_path}) {
    const auto bare = path.substr(0, path.size() - 1);
    BOOST_TEST(m.get(bare, {{"Pool-Auth-Token", "t"}}).body ==
               m.get(path, {{"Pool-Auth-Token", "t"}}).body);
    BOOST_TEST(m.get(bare).status == 401u);
  }
  for (const char* path : {"/braiins/accounts/profile/json/bch/", "/braiins/accounts/x/json/btc/",
                           "/braiins/accounts/profile/json/btc/extra", "/braiins/"}) {
    BOOST_TEST(m.get(path, {{"Pool-Auth-Token", "t"}}).status == 404u, path);
  }
}

BOOST_AUTO_TEST_CASE(shapes_states_and_sums) {
  mock m;
  std::set<std::string> states;
  for (int i = 0; i < 40; ++i) {
    const std::string token = "token-" + std::to_string(i);
    BOOST_TEST_CONTEXT(token) {
      const auto profile = m.braiins(profile_path, token);
      const auto workers = m.braiins(workers_path, token);
      const auto rewards = m.braiins(rewards_path, token);
      check_shape(fixture("braiins/profile.json"), profile, "profile");
      check_shape(fixture("braiins/workers.json"), workers, "workers");
      check_shape(fixture("braiins/rewards.json"), rewards, "rewards");

      const auto& p = profile.at("btc");
      BOOST_TEST(p.at("hash_rate_unit").as_string() == "Gh/s");
      for (const char* amount :
           {"all_time_reward", "current_balance", "today_reward", "estimated_reward"}) {
        BOOST_TEST(btc_amount(p.at(amount)), amount << " = " << p.at(amount));
      }
      std::map<std::string, std::int64_t> count;
      double rate_5m = 0;
      std::int64_t shares_5m = 0, shares_24h = 0;
      const std::string prefix = std::string(profile.at("username").as_string()) + ".";
      for (const auto& [name, w] : workers.at("btc").at("workers").as_object()) {
        BOOST_TEST(std::string(name).starts_with(prefix));
        const std::string state(w.at("state").as_string());
        states.insert(state);
        ++count[state];
        BOOST_TEST(w.at("hash_rate_unit").as_string() == "Gh/s");
        BOOST_TEST(integer(w, "shares_5m") <= integer(w, "shares_60m"));
        BOOST_TEST(integer(w, "shares_60m") <= integer(w, "shares_24h"));
        BOOST_TEST(integer(w, "last_share") <= frozen);
        if (state == "off" || state == "dis") {
          BOOST_TEST(num(w, "hash_rate_5m") == 0.0);
          BOOST_TEST(integer(w, "shares_24h") == 0);
          BOOST_TEST(integer(w, "last_share") < frozen - 3600);
        } else {
          BOOST_TEST(num(w, "hash_rate_5m") >= 50.0);  // a throttled Bitaxe at least
          BOOST_TEST(num(w, "hash_rate_5m") <= 3100.0);
          BOOST_TEST(integer(w, "shares_5m") > 0);
          BOOST_TEST(integer(w, "last_share") > frozen - 60);
        }
        rate_5m += num(w, "hash_rate_5m");
        shares_5m += integer(w, "shares_5m");
        shares_24h += integer(w, "shares_24h");
      }
      for (const char* state : {"ok", "low", "off", "dis"}) {
        BOOST_TEST(integer(p, std::string(state) + "_workers") == count[state], state);
      }
      BOOST_TEST(integer(p, "ok_workers") + integer(p, "low_workers") >= 1);
      BOOST_TEST(std::abs(num(p, "hash_rate_5m") - rate_5m) < 0.05);
      BOOST_TEST(integer(p, "shares_5m") == shares_5m);
      BOOST_TEST(integer(p, "shares_24h") == shares_24h);

      const auto& days = rewards.at("btc").at("daily_rewards").as_array();
      BOOST_TEST_REQUIRE(!days.empty());
      BOOST_TEST(integer(days[0], "date") == frozen - frozen % 86400);
      BOOST_TEST(days[0].at("total_reward") == p.at("today_reward"));
      for (std::size_t d = 0; d < days.size(); ++d) {
        BOOST_TEST(btc_amount(days[d].at("total_reward")));
        BOOST_TEST(btc_amount(days[d].at("mining_reward")));
        BOOST_TEST(integer(days[d], "calculation_date") <= frozen);
        if (d > 0) BOOST_TEST(integer(days[d], "date") == integer(days[d - 1], "date") - 86400);
      }
    }
  }
  BOOST_TEST((states == std::set<std::string>{"ok", "low", "off", "dis"}));
}

BOOST_AUTO_TEST_CASE(rewards_and_shares_move_with_the_clock) {
  mock m;
  const auto before = m.braiins(profile_path, "clock-token").at("btc");
  m.post("/_control", R"({"frozen_clock":)" + std::to_string(frozen + 7200) + "}");
  const auto after = m.braiins(profile_path, "clock-token").at("btc");
  const auto sats = [](const json::value& v) {
    return std::llround(std::stod(std::string(v.as_string())) * 1e8);
  };
  BOOST_TEST(sats(after.at("all_time_reward")) > sats(before.at("all_time_reward")));
  BOOST_TEST(sats(after.at("today_reward")) > sats(before.at("today_reward")));
  BOOST_TEST(num(after, "hash_rate_5m") != num(before, "hash_rate_5m"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(mmfp)

BOOST_AUTO_TEST_CASE(shapes_and_consistency_per_coin) {
  mock m;
  const auto health = m.get_json("/mmfp/api/v1/health");
  check_shape(fixture("mmfp/health.json"), health, "health");
  BOOST_TEST(health.at("status").as_string() == "ok");
  BOOST_TEST(integer(health, "uptime") > 30 * 86400);
  for (const std::string coin : {"BCH", "BTC", "DGB", "BC2"}) {
    BOOST_TEST_CONTEXT(coin) {
      const auto pool = m.get_json("/mmfp/api/v1/" + coin + "/metrics/pool");
      const auto miners = m.get_json("/mmfp/api/v1/" + coin + "/metrics/miners");
      check_shape(fixture("mmfp/metrics-pool.json"), pool, "pool");
      check_shape(fixture("mmfp/metrics-miners.json"), miners, "miners");
      BOOST_TEST(pool.at("coin").as_string() == coin);
      const auto& workers = miners.at("workers").as_array();
      std::int64_t active = 0, valid = 0;
      double current = 0;
      for (const auto& w : workers) {
        active += w.at("is_active").as_bool();
        valid += integer(w, "current_valid_shares");
        current += num(w, "current_hashrate");
        BOOST_TEST(std::string(w.at("worker_name").as_string()).find('.') != std::string::npos);
        BOOST_TEST(std::regex_match(std::string(w.at("last_seen_at").as_string()),
                                    std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
      }
      BOOST_TEST(integer(pool, "active_miners") == active);
      BOOST_TEST(active >= 1);
      const auto& shares = pool.at("shares");
      BOOST_TEST(integer(shares, "valid") == valid);
      BOOST_TEST(integer(shares, "total") ==
                 integer(shares, "valid") + integer(shares, "invalid") + integer(shares, "stale"));
      BOOST_TEST(integer(shares.at("1m"), "valid") <= integer(shares.at("5m"), "valid"));
      const auto& rates = pool.at("hashrate");
      BOOST_TEST(num(rates, "5m") >= 0.25e12 * static_cast<double>(active));
      BOOST_TEST(std::abs(num(rates, "1m") / current - 1.0) < 0.1);
      const auto& net = pool.at("network_comparison");
      BOOST_TEST(num(net, "network_hashrate") > num(rates, "5m") * 1000);
      BOOST_TEST(std::abs(num(net, "pool_percentage") /
                              (num(rates, "5m") / num(net, "network_hashrate") * 100) -
                          1.0) < 1e-9);
    }
  }
}

BOOST_AUTO_TEST_CASE(coins_paths_and_instances) {
  mock m;
  for (const char* target :
       {"/mmfp/api/v1/bch/metrics/pool", "/mmfp/api/v1/Bch/metrics/pool",
        "/mmfp/api/v1/XMR/metrics/pool", "/mmfp/api/v1/BCH/metrics/other", "/mmfp/api/v2/health",
        "/mmfp/api/v1/health/x", "/mmfp/a/b/api/v1/health"}) {
    BOOST_TEST(m.get(target).status == 404u, target);
  }
  const auto plain = m.get("/mmfp/api/v1/BCH/metrics/pool").body;
  const auto one = m.get("/mmfp/pool-17/api/v1/BCH/metrics/pool").body;
  BOOST_TEST(one != plain);
  BOOST_TEST(m.get("/mmfp/pool-17/api/v1/BCH/metrics/pool").body == one);
  BOOST_TEST(m.get("/mmfp/pool-18/api/v1/BCH/metrics/pool").body != one);
  BOOST_TEST(m.get("/mmfp/pool-17/api/v1/health").status == 200u);
  BOOST_TEST(m.get("/mmfp/pool-17/api/v1/bch/metrics/pool").status == 404u);
  // The network is the same for every local pool; the pool's own numbers are not.
  const auto a = json::parse(plain);
  const auto b = json::parse(one);
  BOOST_TEST(a.at("network_comparison").at("network_difficulty") ==
             b.at("network_comparison").at("network_difficulty"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(ckpool)

BOOST_AUTO_TEST_CASE(pool_status_has_three_lines_with_the_fixture_keys) {
  mock m;
  const auto expected = lines(fixture_text("ckpool/pool.status"));
  BOOST_TEST_REQUIRE(expected.size() == 3u);
  for (const std::string target : {"/ckpool/pool/pool.status", "/ckpool/a1/pool/pool.status"}) {
    const auto r = m.get(target);
    BOOST_TEST_REQUIRE(r.status == 200u);
    BOOST_TEST(r.content_type == "text/plain");
    BOOST_TEST(r.body.ends_with('\n'));
    const auto got = lines(r.body);
    BOOST_TEST_REQUIRE(got.size() == 3u);
    for (std::size_t i = 0; i < 3; ++i) {
      const auto e = json::parse(expected[i]);
      const auto g = json::parse(got[i]);
      BOOST_TEST((keys(g) == keys(e)), "line " << i);
      check_shape(e, g, "line" + std::to_string(i));
    }
    const auto counts = json::parse(got[0]);
    BOOST_TEST(integer(counts, "lastupdate") <= frozen);
    BOOST_TEST(integer(counts, "Workers") >= integer(counts, "Users"));
    BOOST_TEST(integer(counts, "Idle") <= integer(counts, "Workers"));
    const auto rates = json::parse(got[1]);
    for (const auto& [key, value] : rates.as_object()) {
      const double hs = si_value(std::string(value.as_string()));
      BOOST_TEST(hs > 0.2e12, key);
      BOOST_TEST(hs < 1e14, key);
    }
    const auto shares = json::parse(got[2]);
    BOOST_TEST(num(shares, "diff") < 1e6);  // a share difficulty, never the network's
    BOOST_TEST(integer(shares, "accepted") > integer(shares, "rejected"));
  }
  BOOST_TEST(m.get("/ckpool/a1/pool/pool.status").body != m.get("/ckpool/pool/pool.status").body);
}

BOOST_AUTO_TEST_CASE(users_match_the_fixture) {
  mock m;
  for (int i = 0; i < 20; ++i) {
    const std::string wallet = "bc1qwallet" + std::to_string(i);
    BOOST_TEST_CONTEXT(wallet) {
      const auto user = m.get_json("/ckpool/users/" + wallet);
      check_shape(fixture("ckpool/user.json"), user, "user");
      const auto& workers = user.at("worker").as_array();
      BOOST_TEST(integer(user, "workers") == static_cast<std::int64_t>(workers.size()));
      BOOST_TEST(!workers.empty());
      double rate = 0;
      std::int64_t shares = 0;
      for (const auto& w : workers) {
        BOOST_TEST(std::string(w.at("workername").as_string()).starts_with(wallet + "."));
        const double hs = si_value(std::string(w.at("hashrate5m").as_string()));
        BOOST_TEST(hs >= 0.25e12);
        BOOST_TEST(hs <= 3.1e12);
        for (const char* key : {"hashrate1m", "hashrate1hr", "hashrate1d", "hashrate7d"}) {
          si_value(std::string(w.at(key).as_string()));
        }
        BOOST_TEST(num(w, "bestshare") <= num(w, "bestever"));
        BOOST_TEST(integer(w, "lastshare") <= frozen);
        rate += hs;
        shares += integer(w, "shares");
      }
      // The strings carry three significant digits.
      BOOST_TEST(std::abs(si_value(std::string(user.at("hashrate5m").as_string())) / rate - 1.0) <
                 0.01);
      BOOST_TEST(integer(user, "shares") == shares);
      BOOST_TEST(integer(user, "authorised") < frozen);
    }
  }
}

BOOST_AUTO_TEST_CASE(unknown_wallets_and_paths_are_404) {
  mock m;
  BOOST_TEST(m.get("/ckpool/users/unknown-bc1q").status == 404u);
  BOOST_TEST(m.get("/ckpool/x/users/unknown-bc1q").status == 404u);
  for (const char* target : {"/ckpool/users/", "/ckpool/users/a/b", "/ckpool/pool/other",
                             "/ckpool/pool.status", "/ckpool/a/b/pool/pool.status"}) {
    BOOST_TEST(m.get(target).status == 404u, target);
  }
  BOOST_TEST(m.get("/ckpool/x/users/bc1q").body != m.get("/ckpool/users/bc1q").body);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(common)

const std::vector<std::pair<std::string, header_list>> every_endpoint = {
    {profile_path, {{"Pool-Auth-Token", "tok"}}},
    {workers_path, {{"Pool-Auth-Token", "tok"}}},
    {rewards_path, {{"Pool-Auth-Token", "tok"}}},
    {"/mmfp/api/v1/health", {}},
    {"/mmfp/api/v1/DGB/metrics/pool", {}},
    {"/mmfp/api/v1/DGB/metrics/miners", {}},
    {"/ckpool/pool/pool.status", {}},
    {"/ckpool/users/bc1qexample", {}},
};

BOOST_AUTO_TEST_CASE(frozen_clock_answers_are_byte_identical_across_processes) {
  mock m;
  mock again;
  mock seeded({"--frozen-clock", std::to_string(frozen), "--seed", "7"});
  for (const auto& [target, headers] : every_endpoint) {
    const auto first = m.get(target, headers);
    BOOST_TEST_REQUIRE(first.status == 200u, target);
    BOOST_TEST(m.get(target, headers).body == first.body, target);
    BOOST_TEST(again.get(target, headers).body == first.body, target);
    if (target != "/mmfp/api/v1/health") {
      BOOST_TEST(seeded.get(target, headers).body != first.body, target);
    }
  }
}

BOOST_AUTO_TEST_CASE(stats_count_each_endpoint_kind) {
  mock m;
  for (const auto& [target, headers] : every_endpoint) m.get(target, headers);
  m.get(profile_path);  // 401 still counts as a profile request
  const auto stats = m.get_json("/_stats");
  const auto& by = stats.at("by_endpoint");
  BOOST_TEST(integer(by, "braiins/profile") == 2);
  for (const char* kind : {"braiins/workers", "braiins/rewards", "mmfp/health", "mmfp/pool",
                           "mmfp/miners", "ckpool/status", "ckpool/user"}) {
    BOOST_TEST(integer(by, kind) == 1, kind);
  }
  BOOST_TEST(integer(stats.at("by_status"), "401") == 1);
}

BOOST_AUTO_TEST_CASE(faults_apply_and_answer_json) {
  mock m;
  m.post("/_control", R"({"fail_paths":{"/ckpool/pool/pool.status":{"status":503,"times":1},)"
                      R"("/braiins/accounts/profile/json/btc/":{"status":429}}})");
  const auto status = m.get("/ckpool/pool/pool.status");
  BOOST_TEST(status.status == 503u);
  BOOST_TEST(status.content_type == "application/json");
  BOOST_TEST(m.get("/ckpool/pool/pool.status").status == 200u);
  BOOST_TEST(m.get(profile_path, {{"Pool-Auth-Token", "tok"}}).status == 429u);
  BOOST_TEST(m.get(profile_path).status == 429u);  // a fault wins over the auth answer
  BOOST_TEST(integer(m.get_json("/_stats"), "errors_injected") == 3);
}

BOOST_AUTO_TEST_SUITE_END()
