// The failure matrix of issue 3, end to end: the real service polls one pool per (driver, fault)
// from a real local HTTP server; every fault must give its own clear tile, and none may crash
// the service or touch another pool's tile (each driver keeps a healthy control pool).
#define BOOST_TEST_MODULE failure matrix
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "test/bench/http_client.hpp"
#include "test/integration/service_fixture.hpp"
#include "test/support/local_server.hpp"

namespace js = boost::json;
using namespace std::chrono_literals;

namespace {

const std::string wallet = "bc1qexampleexampleexampleexampleexample00";
const std::string dgb_wallet = "dgb1qexampleexampleexampleexample0000000";

std::string fixture(const std::string& rel) {
  std::ifstream in(std::string(MC_FIXTURES_DIR) + "/" + rel);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every number in a JSON text turned into a string, as some pools send them. pool.status is
// one JSON object per line, so each line is converted on its own.
std::string numbers_as_strings(const std::string& text) {
  std::function<void(js::value&)> walk = [&](js::value& v) {
    if (v.is_object())
      for (auto& [k, x] : v.as_object()) walk(x);
    else if (v.is_array())
      for (auto& x : v.as_array()) walk(x);
    else if (v.is_number())
      v = js::serialize(v);
  };
  const bool per_line = text.find("}\n{") != std::string::npos;
  if (!per_line) {
    auto v = js::parse(text);
    walk(v);
    return js::serialize(v);
  }
  std::string out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto v = js::parse(line);
    walk(v);
    out += js::serialize(v) + "\n";
  }
  return out;
}

struct endpoint {
  std::string path;     // below the pool's prefix
  std::string fixture;  // file under shared/fixtures/pool-apis
};

struct driver_case {
  std::string type, coin, wallet;
  std::vector<endpoint>
      endpoints;  // the first one (the user's, where there is one) gets the faults
  std::map<std::string, std::string> missing_fields;  // path → body with fields left out
  std::string golden;
};

std::vector<driver_case> drivers() {
  return {
      {"solopool",
       "DGB",
       dgb_wallet,
       {{"/accounts/" + dgb_wallet, "solopool/account.json"},
        {"/stats", "solopool/stats.json"},
        {"/blocks", "solopool/blocks.json"}},
       {{"/stats", "{}"},
        {"/blocks", "{}"},
        {"/accounts/" + dgb_wallet, R"({"workers":{"w":{}}})"}},
       "solopool/expected-tile.json"},
      {"braiins",
       "BTC",
       "",
       {{"/accounts/profile/json/btc/", "braiins/profile.json"}},
       {{"/accounts/profile/json/btc/", R"({"btc":{}})"}},
       "braiins/expected-tile.json"},
      {"mmfp",
       "BCH",
       "",
       {{"/api/v1/BCH/metrics/pool", "mmfp/metrics-pool.json"},
        {"/api/v1/health", "mmfp/health.json"}},
       {{"/api/v1/BCH/metrics/pool", "{}"}, {"/api/v1/health", R"({"status":"ok"})"}},
       "mmfp/expected-tile.json"},
      {"ckpool",
       "BTC",
       wallet,
       {{"/users/" + wallet, "ckpool/user.json"}, {"/pool/pool.status", "ckpool/pool.status"}},
       {{"/users/" + wallet, "{}"}, {"/pool/pool.status", "{}\n{}\n{}\n"}},
       "ckpool/expected-tile.json"},
  };
}

struct row {
  std::string name;
  // Sets up the pool's routes (prefix = "/<pool id>"); may change the pool's api_base_url.
  std::function<void(mc::test::local_server&, const driver_case&, const std::string& prefix,
                     std::string& base)>
      setup;
  // Checks the pool's dashboard entry.
  std::function<void(const js::object& entry, const driver_case&)> check;
};

void serve_good(mc::test::local_server& s, const driver_case& d, const std::string& prefix) {
  for (const auto& e : d.endpoints) s.route(prefix + e.path, {200, fixture(e.fixture)});
}

std::string message(const js::object& e) {
  return std::string(e.at("tile_1_health").at("health_message").as_string());
}
bool healthy(const js::object& e) { return e.at("tile_1_health").at("health_status") == true; }
const js::value& field(const js::object& e, const char* group, const char* name) {
  return e.at(group).at(name);
}

void expect_failure(const js::object& e, const std::string& starts) {
  BOOST_TEST(!healthy(e));
  BOOST_TEST(message(e).starts_with(starts), message(e) << " / expected: " << starts);
  BOOST_TEST(e.at("stale") == false);  // nothing good was ever seen: no old numbers to show
  BOOST_TEST(field(e, "tile_2_network", "pool_hashrate").is_null());
}

void expect_golden(const js::object& e, const driver_case& d) {
  BOOST_TEST(healthy(e), message(e));
  auto golden = js::parse(fixture(d.golden)).as_object();
  BOOST_TEST(field(e, "tile_2_network", "pool_hashrate_hs") == golden.at("pool_hashrate_hs"));
  BOOST_TEST(field(e, "tile_2_network", "active_workers") == golden.at("active_workers"));
  BOOST_TEST(message(e) == std::string(golden.at("health_message").as_string()));
}

std::vector<row> rows(unsigned short refused_port, const std::string& plain_base) {
  return {
      {"ok", [](auto& s, auto& d, auto& p, auto&) { serve_good(s, d, p); }, expect_golden},
      {"unauthorized",
       [](auto& s, auto& d, auto& p, auto&) {
         serve_good(s, d, p);
         s.route(p + d.endpoints[0].path, {401, "Unauthorized"});
       },
       [](auto& e, auto& d) {
         expect_failure(e, d.type == "braiins" ? "HTTP 401 from 127.0.0.1: check api_token"
                                               : "HTTP 401 from 127.0.0.1");
       }},
      {"unknown-wallet",
       [](auto& s, auto& d, auto& p, auto&) {
         serve_good(s, d, p);
         s.route(p + d.endpoints[0].path, {404, R"({"error":"not found"})"});
       },
       [](auto& e, auto& d) {
         if (d.wallet.empty()) return expect_failure(e, "HTTP 404 from 127.0.0.1");
         BOOST_TEST(healthy(e));
         BOOST_TEST(message(e) == "no shares from " + d.wallet +
                                      " yet: check the address if this miner is running");
         BOOST_TEST(field(e, "tile_2_network", "pool_hashrate").is_null());
       }},
      {"rate-limited",
       [](auto& s, auto& d, auto& p, auto&) {
         serve_good(s, d, p);
         s.route(p + d.endpoints[0].path,
                 {429, R"({"error":"slow down"})", {{"Retry-After", "30"}}});
       },
       [](auto& e, auto&) {
         expect_failure(e, "HTTP 429 from 127.0.0.1: rate limited, retry after 30 s");
       }},
      {"server-error",
       [](auto& s, auto& d, auto& p, auto&) {
         serve_good(s, d, p);
         s.route(p + d.endpoints[0].path, {500, "Internal Server Error"});
       },
       [](auto& e, auto&) { expect_failure(e, "HTTP 500 from 127.0.0.1"); }},
      {"refused",
       [refused_port](auto&, auto&, auto& p, auto& base) {
         base = "http://127.0.0.1:" + std::to_string(refused_port) + p;
       },
       [](auto& e, auto&) { expect_failure(e, "127.0.0.1: connection refused"); }},
      {"timeout",
       [](auto& s, auto& d, auto& p, auto&) {
         serve_good(s, d, p);
         s.route(p + d.endpoints[0].path, {200, fixture(d.endpoints[0].fixture), {}, 8s});
       },
       [](auto& e, auto&) { expect_failure(e, "127.0.0.1: timeout after 4.5 s"); }},
      {"cut-json",
       [](auto& s, auto& d, auto& p, auto&) {
         serve_good(s, d, p);
         auto body = fixture(d.endpoints[0].fixture);
         s.route(p + d.endpoints[0].path, {200, body.substr(0, body.size() / 2)});
       },
       [](auto& e, auto& d) {
         expect_failure(e, d.type == "ckpool" ? "unparsable response from 127.0.0.1 (user)"
                                              : "unparsable response from 127.0.0.1");
       }},
      {"cut-connection",
       [](auto& s, auto& d, auto& p, auto&) {
         serve_good(s, d, p);
         mc::test::canned c{200, fixture(d.endpoints[0].fixture)};
         c.truncate_body = true;
         s.route(p + d.endpoints[0].path, c);
       },
       [](auto& e, auto&) {
         expect_failure(e, "127.0.0.1: connection closed before a complete response");
       }},
      {"wrong-shape",
       [](auto& s, auto& d, auto& p, auto&) {
         serve_good(s, d, p);
         s.route(p + d.endpoints[0].path, {200, "[1,2,3]"});
       },
       [](auto& e, auto& d) {
         expect_failure(e, d.type == "braiins" ? "unexpected response from 127.0.0.1 (profile)"
                                               : "unexpected response from 127.0.0.1");
       }},
      {"numbers-as-strings",
       [](auto& s, auto& d, auto& p, auto&) {
         for (const auto& ep : d.endpoints)
           s.route(p + ep.path, {200, numbers_as_strings(fixture(ep.fixture))});
       },
       expect_golden},
      {"missing-fields",
       [](auto& s, auto& d, auto& p, auto&) {
         for (const auto& [path, body] : d.missing_fields) s.route(p + path, {200, body});
       },
       [](auto& e, auto&) {
         BOOST_TEST(healthy(e), message(e));
         for (auto [g, f] : {std::pair{"tile_2_network", "pool_hashrate"},
                             {"tile_2_network", "active_workers"},
                             {"tile_2_network", "network_difficulty"},
                             {"tile_3_shares", "shares_valid"},
                             {"tile_3_shares", "reject_rate"},
                             {"tile_4_blocks", "confirmed_balance"}})
           BOOST_TEST(field(e, g, f).is_null(), g << "." << f << " must be null, never 0");
       }},
      {"oversized",
       [](auto& s, auto& d, auto& p, auto&) {
         serve_good(s, d, p);
         s.route(p + d.endpoints[0].path, {200, std::string(5 << 20, ' ') + "{}"});
       },
       [](auto& e, auto&) { expect_failure(e, "127.0.0.1: response body over 4194304 bytes"); }},
      {"tls-handshake",
       [plain_base](auto& s, auto& d, auto& p, auto& base) {
         serve_good(s, d, p);
         base = "https" + plain_base.substr(4) + p;  // TLS spoken to a plain HTTP server
       },
       [](auto& e, auto&) { expect_failure(e, "127.0.0.1: TLS: "); }},
  };
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(every_fault_gives_its_own_tile_and_touches_no_other_pool,
                        mc::test::service_fixture) {
  mc::test::local_server upstream;
  const auto refused = mc::test::unused_port();
  for (const auto& d : drivers()) install_driver(d.type);
  write("config.yaml", "api_keys: { braiins: \"read-only-token-123456\" }\n");

  std::map<std::string, std::pair<const row*, driver_case>> pools;
  const auto all_rows = rows(refused, upstream.base_url());
  for (const auto& d : drivers()) {
    for (const auto& r : all_rows) {
      const std::string id = d.type + "-" + r.name;
      const std::string prefix = "/" + id;
      std::string base = upstream.base_url() + prefix;
      r.setup(upstream, d, prefix, base);
      write("pools/" + id + ".yaml", "driver: " + d.type + "\ndisplay_name: " + id +
                                         "\nurl: 127.0.0.1\nport: 3333\ncoin: " + d.coin +
                                         "\npoll_interval_s: 5\napi_base_url: " + base + "\n" +
                                         (d.wallet.empty() ? "" : "wallet: " + d.wallet + "\n"));
      pools[id] = {&r, d};
    }
  }
  start_service("pool config(s)");

  // Every pool polled once: the slowest row is the timeout, cut at 4.5 s of a 5 s interval.
  js::object dash;
  BOOST_REQUIRE(eventually(20s, [&] {
    auto r = mc::test::http_get("127.0.0.1", service_port, "/api/dashboard/pools");
    if (r.status != 200) return false;  // 503 until the first snapshot
    dash = js::parse(r.body).as_object();
    for (const auto& [id, _] : pools)
      if (!dash.contains(id) || dash.at(id).at("last_updated").is_null()) return false;
    return true;
  }));
  for (const auto& [id, p] : pools) {
    BOOST_TEST_CONTEXT("pool " << id) { p.first->check(dash.at(id).as_object(), p.second); }
  }

  // 429 with Retry-After: 30: the pool is not called again meanwhile; its neighbours are.
  auto hits_of = [&](const std::string& row_name, const driver_case& d) {
    return upstream.hits("/" + d.type + "-" + row_name + d.endpoints[0].path);
  };
  std::map<std::string, std::size_t> limited_before, ok_before;
  for (const auto& d : drivers()) {
    limited_before[d.type] = hits_of("rate-limited", d);
    ok_before[d.type] = hits_of("ok", d);
  }
  // A pool's next poll comes 5 s ± 2 % after its last, on the next whole second of the actors'
  // timer slack (1 s): up to 6.1 s, more on a slow sanitizer run. So: wait 6 s, then until every
  // neighbour was polled again. The rate-limited pools' hold (30 s from the first 429) lasts
  // beyond that: the dashboard above was complete about 10 s after their 429 at most.
  // The per-driver checks below say which neighbour, if any, was still not polled.
  std::this_thread::sleep_for(6s);
  eventually(8s, [&] {
    for (const auto& d : drivers())
      if (hits_of("ok", d) <= ok_before[d.type]) return false;
    return true;
  });
  for (const auto& d : drivers()) {
    BOOST_TEST(hits_of("rate-limited", d) == limited_before[d.type], d.type);
    BOOST_TEST(hits_of("ok", d) > ok_before[d.type], d.type);
  }

  BOOST_TEST(get_json("/healthz").at("status") == "ok");
  BOOST_TEST(stop_service() == 0);  // nothing crashed it
}
