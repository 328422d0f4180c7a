// Runs the real mock_pool binary and talks to it over loopback.
#define BOOST_TEST_MODULE mock_pool
#include <signal.h>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>
#include <thread>

#include "test/bench/http_client.hpp"
#include "test/bench/process.hpp"

namespace json = boost::json;
using mc::test::child_process;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t frozen = 1764000000;
const std::string host = "127.0.0.1";

struct mock {
  child_process process;
  std::uint16_t port = 0;
  std::string line;

  explicit mock(std::vector<std::string> args = {"--frozen-clock", std::to_string(frozen)},
                std::string listen = "127.0.0.1:0") {
    args.insert(args.begin(), {"--listen", listen});
    process = child_process::start(MC_MOCK_POOL_PATH, args);
    line = process.read_line();
    port = mc::test::port_from_line(line);
  }

  mc::test::http_result get(const std::string& target) const {
    return mc::test::http_get(host, port, target);
  }
  json::value get_json(const std::string& target, unsigned status = 200) const {
    const auto r = get(target);
    BOOST_TEST_REQUIRE(r.status == status, target << " answered " << r.status << ": " << r.body);
    BOOST_TEST(r.content_type == "application/json");
    return json::parse(r.body);
  }
  json::value post_json(const std::string& target, const std::string& body,
                        unsigned status = 200) const {
    const auto r = mc::test::http_post(host, port, target, body);
    BOOST_TEST_REQUIRE(r.status == status, target << " answered " << r.status << ": " << r.body);
    return json::parse(r.body);
  }
};

json::value fixture(const std::string& name) {
  std::ifstream in(std::string(MC_FIXTURES_DIR) + "/solopool/" + name);
  BOOST_TEST_REQUIRE(in.good(), "missing fixture " << name);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

std::string kind(const json::value& v) {
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_bool()) return "bool";
  if (v.is_null()) return "null";
  if (v.is_array()) return "array";
  return "object";
}

// Every field of the fixture exists in the answer with the same JSON type. Arrays and the
// worker map (keyed by worker name) check each element against the fixture's first one.
void check_shape(const json::value& expected, const json::value& actual, const std::string& at) {
  BOOST_TEST_REQUIRE(kind(actual) == kind(expected),
                     at << ": " << kind(actual) << " instead of " << kind(expected));
  if (expected.is_array() && !expected.get_array().empty()) {
    for (const auto& e : actual.get_array()) check_shape(expected.get_array()[0], e, at + "[]");
  } else if (expected.is_object() && at.ends_with(".workers")) {
    BOOST_TEST_REQUIRE(!expected.get_object().empty());
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

double num(const json::value& v, std::string_view key) { return v.at(key).to_number<double>(); }
std::int64_t integer(const json::value& v, std::string_view key) {
  return v.at(key).to_number<std::int64_t>();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(api)

BOOST_AUTO_TEST_CASE(prints_one_listening_line) {
  mock m;
  BOOST_TEST(m.line == "mock_pool listening on 127.0.0.1:" + std::to_string(m.port));
}

BOOST_AUTO_TEST_CASE(stats_match_fixture_shape_with_plausible_network) {
  mock m;
  struct coin {
    std::string name;
    double min_difficulty, max_difficulty, block_time_s;
  };
  for (const auto& c : {coin{"dgb", 5e8, 1e10, 75}, coin{"bch", 1e11, 5e12, 600},
                        coin{"btc", 5e13, 5e14, 600}, coin{"bc2", 1e8, 1e11, 600}}) {
    BOOST_TEST_CONTEXT(c.name) {
      const auto stats = m.get_json("/solopool/" + c.name + "/api/stats");
      check_shape(fixture("stats.json"), stats, "stats");
      BOOST_TEST(integer(stats, "now") == frozen * 1000);
      const auto& s = stats.at("stats");
      const double difficulty = num(s, "difficulty");
      BOOST_TEST(difficulty >= c.min_difficulty);
      BOOST_TEST(difficulty <= c.max_difficulty);
      const double implied = difficulty * 4294967296.0 / c.block_time_s;
      BOOST_TEST(std::abs(num(s, "hashrate") / implied - 1.0) < 0.1);
      BOOST_TEST(num(stats, "poolHashrate") < num(s, "hashrate"));
      BOOST_TEST(integer(s, "lastBlockFound") <= frozen);

      const auto blocks = m.get_json("/solopool/" + c.name + "/api/blocks");
      check_shape(fixture("blocks.json"), blocks, "blocks");
      BOOST_TEST(integer(stats, "immatureTotal") == integer(blocks, "immatureTotal"));
      BOOST_TEST(integer(stats, "maturedTotal") == integer(blocks, "maturedTotal"));
      BOOST_TEST(integer(blocks, "immatureTotal") ==
                 static_cast<std::int64_t>(blocks.at("immature").as_array().size()));
      BOOST_TEST(integer(blocks, "maturedTotal") >=
                 static_cast<std::int64_t>(blocks.at("matured").as_array().size()));
      std::int64_t newest = 0;
      for (const char* list : {"immature", "matured"}) {
        for (const auto& b : blocks.at(list).as_array()) {
          BOOST_TEST(integer(b, "timestamp") <= frozen);
          BOOST_TEST(num(b, "shareDifficulty") >= num(b, "difficulty"));
          BOOST_TEST(b.at("hash").as_string().size() == 64u);
          newest = std::max(newest, integer(b, "timestamp"));
        }
      }
      BOOST_TEST(newest == integer(s, "lastBlockFound"));
    }
  }
}

BOOST_AUTO_TEST_CASE(dgb_has_recent_blocks) {
  mock m;
  const auto blocks = m.get_json("/solopool/dgb/api/blocks");
  int within_24h = 0;
  for (const char* list : {"immature", "matured"}) {
    for (const auto& b : blocks.at(list).as_array()) {
      within_24h += integer(b, "timestamp") >= frozen - 86400;
    }
  }
  BOOST_TEST(within_24h >= 3);
}

BOOST_AUTO_TEST_CASE(account_matches_fixture_shape_with_home_miner_numbers) {
  mock m;
  for (const std::string coin : {"dgb", "bch", "btc", "bc2"}) {
    for (int i = 0; i < 20; ++i) {
      const auto target = "/solopool/" + coin + "/api/accounts/wallet" + std::to_string(i);
      BOOST_TEST_CONTEXT(target) {
        const auto a = m.get_json(target);
        check_shape(fixture("account.json"), a, "account");
        const auto& workers = a.at("workers").as_object();
        BOOST_TEST(integer(a, "workersTotal") == static_cast<std::int64_t>(workers.size()));
        BOOST_TEST(integer(a, "workersOnline") >= 1);
        BOOST_TEST(integer(a, "workersOnline") <= 3);
        BOOST_TEST(integer(a, "workersOnline") + integer(a, "workersOffline") ==
                   integer(a, "workersTotal"));
        double hashrate = 0;
        std::int64_t valid = 0;
        for (const auto& [name, w] : workers) {
          if (w.at("offline").as_bool()) {
            BOOST_TEST(num(w, "hr") == 0.0);
            continue;
          }
          BOOST_TEST(num(w, "hr") >= 0.25e12);
          BOOST_TEST(num(w, "hr") <= 3.1e12);
          BOOST_TEST(integer(w, "lastBeat") <= frozen);
          BOOST_TEST(integer(w, "lastBeat") > frozen - 60);
          BOOST_TEST(integer(w, "sharesValid") > integer(w, "sharesInvalid"));
          hashrate += num(w, "hr");
          valid += integer(w, "sharesValid");
        }
        BOOST_TEST(num(a, "currentHashrate") == hashrate);
        BOOST_TEST(integer(a, "roundShares") == valid);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(frozen_clock_repeats_and_wallets_differ) {
  mock m;
  const std::string a = "/solopool/dgb/api/accounts/dgb1qexampleexampleexampleexample0000000";
  const std::string b = "/solopool/dgb/api/accounts/dgb1qanotherwalletanotherwallet00000000";
  const auto first = m.get(a);
  BOOST_TEST(first.status == 200u);
  BOOST_TEST(m.get(a).body == first.body);
  BOOST_TEST(m.get("/solopool/dgb/api/stats").body == m.get("/solopool/dgb/api/stats").body);
  BOOST_TEST(m.get("/solopool/dgb/api/blocks").body == m.get("/solopool/dgb/api/blocks").body);
  const auto other = m.get(b);
  BOOST_TEST(other.body != first.body);
  BOOST_TEST(num(json::parse(other.body), "currentHashrate") !=
             num(json::parse(first.body), "currentHashrate"));

  // The same numbers from a second process: the answer depends on clock, seed and wallet only.
  mock again;
  BOOST_TEST(again.get(a).body == first.body);
  mock seeded({"--frozen-clock", std::to_string(frozen), "--seed", "7"});
  BOOST_TEST(seeded.get(a).body != first.body);
}

BOOST_AUTO_TEST_CASE(numbers_move_with_the_clock) {
  mock m;
  const std::string target = "/solopool/bch/api/accounts/bitcoincash:qzexample";
  const auto before = m.get_json(target);
  m.post_json("/_control", R"({"frozen_clock":)" + std::to_string(frozen + 3600) + "}");
  const auto after = m.get_json(target);
  BOOST_TEST(integer(m.get_json("/solopool/bch/api/stats"), "now") == (frozen + 3600) * 1000);
  BOOST_TEST(num(before, "currentHashrate") != num(after, "currentHashrate"));
  BOOST_TEST(integer(after, "roundShares") > integer(before, "roundShares"));
  for (const auto& [name, w] : before.at("workers").as_object()) {
    const auto& later = after.at("workers").at(name);
    BOOST_TEST(integer(later, "sharesValid") >= integer(w, "sharesValid"));
    BOOST_TEST(integer(later, "sharesInvalid") >= integer(w, "sharesInvalid"));
    BOOST_TEST(integer(later, "sharesStale") >= integer(w, "sharesStale"));
  }
  m.post_json("/_control/reset", "");
  BOOST_TEST(m.get(target).body == json::serialize(before));
}

BOOST_AUTO_TEST_CASE(unknown_wallets_coins_and_paths_are_404) {
  mock m;
  const auto unknown = m.get("/solopool/dgb/api/accounts/unknown-dgb1qxyz");
  BOOST_TEST(unknown.status == 404u);
  BOOST_TEST(unknown.body == R"({"error":"not found"})");
  for (const char* target : {"/solopool/xmr/api/stats", "/solopool/DGB/api/stats",
                             "/solopool/dgb/api/accounts/", "/solopool/dgb/api/nothing",
                             "/solopool/dgb/api/stats/extra", "/nopool/dgb/api/stats", "/"}) {
    BOOST_TEST(m.get(target).status == 404u, target);
  }
  const auto empty = m.get_json("/solopool/dgb/api/accounts/empty-dgb1q");
  BOOST_TEST(integer(empty, "workersOnline") == 0);
  BOOST_TEST(empty.at("workers").as_object().empty());
}

BOOST_AUTO_TEST_CASE(percent_encoded_wallet_is_the_same_wallet) {
  mock m;
  BOOST_TEST(m.get("/solopool/bch/api/accounts/bitcoincash%3Aqzexample").body ==
             m.get("/solopool/bch/api/accounts/bitcoincash:qzexample").body);
  BOOST_TEST(m.get("/solopool/bch/api/accounts/bad%zz").status == 400u);
}

BOOST_AUTO_TEST_CASE(keep_alive_serves_many_requests_on_one_connection) {
  mock m;
  mc::test::http_connection c(host, m.port);
  for (int i = 0; i < 200; ++i) {
    const auto r = c.get("/solopool/btc/api/accounts/bc1q" + std::to_string(i));
    BOOST_TEST_REQUIRE(r.status == 200u);
    BOOST_TEST_REQUIRE(r.keep_alive);
  }
  BOOST_TEST(integer(m.get_json("/_stats"), "total") == 200);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(control)

BOOST_AUTO_TEST_CASE(fail_path_until_reset_and_counted) {
  mock m;
  const std::string stats = "/solopool/dgb/api/stats";
  m.post_json("/_control", R"({"fail_paths":{"/solopool/dgb/api/stats":{"status":500}}})");
  for (int i = 0; i < 3; ++i) {
    const auto r = m.get(stats);
    BOOST_TEST(r.status == 500u);
    BOOST_TEST(json::parse(r.body).at("error").is_string());
  }
  BOOST_TEST(m.get("/solopool/bch/api/stats").status == 200u);
  const auto counted = m.get_json("/_stats");
  BOOST_TEST(integer(counted, "total") == 4);
  BOOST_TEST(integer(counted, "errors_injected") == 3);
  BOOST_TEST(integer(counted.at("by_endpoint"), "solopool/stats") == 4);
  BOOST_TEST(integer(counted.at("by_status"), "500") == 3);

  m.post_json("/_control/reset", "");
  BOOST_TEST(m.get(stats).status == 200u);
  m.post_json("/_stats/reset", "");
  BOOST_TEST(integer(m.get_json("/_stats"), "total") == 0);
}

BOOST_AUTO_TEST_CASE(fail_path_for_a_number_of_times) {
  mock m;
  m.post_json("/_control",
              R"({"fail_paths":{"/solopool/btc/api/blocks":{"status":429,"times":2}}})");
  BOOST_TEST(m.get("/solopool/btc/api/blocks").status == 429u);
  BOOST_TEST(m.get("/solopool/btc/api/blocks").status == 429u);
  BOOST_TEST(m.get("/solopool/btc/api/blocks").status == 200u);
}

BOOST_AUTO_TEST_CASE(error_rate_with_status) {
  mock m;
  m.post_json("/_control", R"({"error_rate":1,"error_status":503})");
  const auto r = m.get("/solopool/bc2/api/accounts/x");
  BOOST_TEST(r.status == 503u);
  BOOST_TEST(json::parse(r.body).at("error").is_string());
  BOOST_TEST(m.get("/_stats").status == 200u);  // the controls never fail

  m.post_json("/_control", R"({"error_rate":0.5})");
  int failed = 0;
  mc::test::http_connection c(host, m.port);
  for (int i = 0; i < 400; ++i) failed += c.get("/solopool/bc2/api/stats").status == 503u;
  BOOST_TEST(failed > 120);
  BOOST_TEST(failed < 280);
  BOOST_TEST(integer(m.get_json("/_stats"), "errors_injected") == failed + 1);
}

BOOST_AUTO_TEST_CASE(rejects_bad_control_bodies_without_changing_anything) {
  mock m;
  for (const char* body :
       {"not json", "[]", R"({"error_rate":2})", R"({"latency_ms":-1})", R"({"nope":1})",
        R"({"error_status":200})", R"({"fail_paths":{"x":{"status":500}}})",
        R"({"error_rate":1,"fail_paths":{"/a":{"status":"500"}}})"}) {
    BOOST_TEST(mc::test::http_post(host, m.port, "/_control", body).status == 400u, body);
  }
  const auto settings = m.get_json("/_control");
  BOOST_TEST(num(settings, "error_rate") == 0.0);
  BOOST_TEST(settings.at("fail_paths").as_object().empty());
  BOOST_TEST(integer(settings, "frozen_clock") == frozen);
}

BOOST_AUTO_TEST_CASE(latency_delays_answers_without_blocking_others) {
  mock m;  // one io thread: a blocking delay would stall the second client
  m.post_json("/_control", R"({"latency_ms":800})");
  const auto start = std::chrono::steady_clock::now();
  unsigned slow_status = 0;
  std::thread slow([&] { slow_status = m.get("/solopool/dgb/api/stats").status; });
  std::this_thread::sleep_for(50ms);
  BOOST_TEST(m.get("/_stats").status == 200u);  // control requests are never delayed
  BOOST_TEST((std::chrono::steady_clock::now() - start < 600ms));
  slow.join();
  BOOST_TEST(slow_status == 200u);
  BOOST_TEST((std::chrono::steady_clock::now() - start >= 800ms));
}

BOOST_AUTO_TEST_CASE(command_line_faults) {
  mock m({"--error-rate", "1", "--error-status", "502", "--latency-ms", "50", "--jitter-ms", "20",
          "--threads", "2"});
  BOOST_TEST(m.get("/solopool/dgb/api/stats").status == 502u);
  const auto settings = m.get_json("/_control");
  BOOST_TEST(integer(settings, "latency_ms") == 50);
  BOOST_TEST(integer(settings, "jitter_ms") == 20);
  BOOST_TEST(settings.at("frozen_clock").is_null());
  m.post_json("/_control", R"({"error_rate":0})");
  BOOST_TEST(m.get("/solopool/dgb/api/stats").status == 200u);
  m.post_json("/_control/reset", "");  // back to the command line, not to zero
  BOOST_TEST(m.get("/solopool/dgb/api/stats").status == 502u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(robustness)

BOOST_AUTO_TEST_CASE(malformed_requests_get_400_and_the_server_lives_on) {
  mock m;
  const auto garbage = mc::test::raw_exchange(host, m.port, "GARBAGE\r\n\r\n");
  BOOST_TEST(garbage.starts_with("HTTP/1.1 400"), garbage);
  const auto bad_version = mc::test::raw_exchange(host, m.port, "GET / HTTP/9.9\r\n\r\n");
  BOOST_TEST(bad_version.starts_with("HTTP/1.1 400"), bad_version);
  const auto huge = mc::test::raw_exchange(
      host, m.port, "POST /_control HTTP/1.1\r\nContent-Length: 100000000\r\n\r\n");
  BOOST_TEST(huge.starts_with("HTTP/1.1 413"), huge);
  const auto relative =
      mc::test::raw_exchange(host, m.port, "GET x HTTP/1.1\r\nConnection: close\r\n\r\n");
  BOOST_TEST(relative.starts_with("HTTP/1.1 400"), relative);
  // A client that vanishes mid-request.
  mc::test::raw_exchange(host, m.port, "GET /solopool/dgb/api/st", 200ms);
  BOOST_TEST(m.get("/solopool/dgb/api/stats").status == 200u);
  const auto post = mc::test::http_post(host, m.port, "/solopool/dgb/api/stats", "{}");
  BOOST_TEST(post.status == 405u);
  BOOST_TEST(m.process.running());
}

BOOST_AUTO_TEST_CASE(bad_options_exit_2) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--error-rate", "2"},
                                               {"--listen", "nowhere"},
                                               {"--bogus", "1"},
                                               {"--threads"}}) {
    auto p = child_process::start(MC_MOCK_POOL_PATH, args);
    BOOST_TEST(p.wait() == 2);
  }
}

BOOST_AUTO_TEST_CASE(sigterm_and_sigint_exit_0_and_restart_on_the_same_port) {
  std::uint16_t port = 0;
  {
    mock m;
    port = m.port;
    // Leave a kept-alive connection open: the restart must not trip over it.
    mc::test::http_connection c(host, port);
    BOOST_TEST(c.get("/solopool/dgb/api/stats").status == 200u);
    m.process.terminate();
    BOOST_TEST(m.process.wait() == 0);
  }
  mock again({"--threads", "2"}, "127.0.0.1:" + std::to_string(port));
  BOOST_TEST(again.port == port);
  BOOST_TEST(again.get("/solopool/dgb/api/stats").status == 200u);
  ::kill(again.process.pid(), SIGINT);
  BOOST_TEST(again.process.wait() == 0);
}

BOOST_AUTO_TEST_CASE(sigterm_during_a_delayed_answer_exits_0) {
  mock m({"--latency-ms", "5000"});
  std::thread client([&] {
    try {
      mc::test::http_get(host, m.port, "/solopool/dgb/api/stats", 10s);
    } catch (const std::exception&) {  // the server goes away mid-request: expected
    }
  });
  std::this_thread::sleep_for(200ms);
  m.process.terminate();
  BOOST_TEST(m.process.wait() == 0);
  client.join();
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(process_helper)

BOOST_AUTO_TEST_CASE(reads_lines_and_reports_exit_codes) {
  auto p = child_process::start("/bin/sh", {"-c", "echo one; echo two; exit 3"});
  BOOST_TEST(p.read_line() == "one");
  BOOST_TEST(p.read_line() == "two");
  BOOST_CHECK_THROW(p.read_line(1s), std::runtime_error);  // stdout closed
  BOOST_TEST(p.wait() == 3);
  BOOST_TEST(p.wait() == 3);
  BOOST_TEST(!p.running());
}

BOOST_AUTO_TEST_CASE(bounded_waits_kill_and_reap) {
  auto p = child_process::start("/bin/sleep", {"30"});
  BOOST_CHECK_THROW(p.read_line(100ms), std::runtime_error);
  BOOST_CHECK_THROW(p.wait(100ms), std::runtime_error);
  BOOST_TEST(*p.exit_code() == 128 + SIGKILL);
}

BOOST_AUTO_TEST_CASE(destructor_kills_a_running_child) {
  pid_t pid = -1;
  {
    auto p = child_process::start("/bin/sleep", {"30"});
    pid = p.pid();
    BOOST_TEST(p.running());
  }
  BOOST_TEST(::kill(pid, 0) == -1);  // reaped: no such process any more
}

BOOST_AUTO_TEST_CASE(missing_program_throws) {
  BOOST_CHECK_THROW(child_process::start("/nonexistent/program", {}), std::runtime_error);
  BOOST_CHECK_THROW(mc::test::port_from_line("no port here"), std::runtime_error);
  BOOST_TEST(mc::test::port_from_line("x listening on [::1]:8081") == 8081);
}

BOOST_AUTO_TEST_SUITE_END()
