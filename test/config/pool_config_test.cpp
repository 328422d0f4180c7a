#define BOOST_TEST_MODULE pool config
#include "config/pool_config.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "config/yaml_fields.hpp"

using mc::config::parse_pool_config;

namespace {

const std::string good = R"(driver: solopool
display_name: Solopool.org DGB EU1
url: stratum+tcp://eu1.solopool.org
port: 8004
coin: dgb
region: EU
mining_model: solo
fee_percent: 1.5
supports_shares: true
description: Solo DGB
poll_interval_s: 60
api_base_url: http://127.0.0.1:9/api
wallet: dgb1qabc
api_token: secret-token-abcdefgh
custom_field: 42
nested: {a: [1, two]}
)";

std::vector<std::string> texts(const mc::config::pool_file_result& r) {
  std::vector<std::string> out;
  for (const auto& p : r.problems) out.push_back(p.to_string());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_good_file_fills_every_field) {
  auto r = parse_pool_config("solopool-dgb-eu1", "pools/solopool-dgb-eu1.yaml", good);
  BOOST_TEST(r.problems.empty(), (texts(r).empty() ? std::string() : texts(r)[0]));
  BOOST_REQUIRE(r.config);
  const auto& c = *r.config;
  BOOST_TEST(c.pool_id == "solopool-dgb-eu1");
  BOOST_TEST(c.driver == "solopool");
  BOOST_TEST(c.url == "eu1.solopool.org");
  BOOST_TEST(c.port == 8004);
  BOOST_TEST(c.coin == "DGB");
  BOOST_TEST(c.mining_model == "solo");
  BOOST_TEST(c.fee_percent.value() == 1.5);
  BOOST_TEST(c.supports_shares);
  BOOST_TEST(!c.supports_balance);
  BOOST_TEST(c.enabled);
  BOOST_TEST(c.poll_interval_s == 60);
  BOOST_TEST(c.api_base_url == "http://127.0.0.1:9/api");
  BOOST_TEST(c.wallet == "dgb1qabc");
  BOOST_TEST(c.extra.at("custom_field") == 42);
  BOOST_TEST(c.extra.at("nested").at("a").at(1) == "two");
  BOOST_TEST(r.field_lines.at("port") == 4);
}

BOOST_AUTO_TEST_CASE(defaults_apply_to_optional_fields) {
  auto r = parse_pool_config("p", "pools/p.yaml",
                             "driver: x\ndisplay_name: X\nurl: h\nport: 1\ncoin: BTC\n");
  BOOST_REQUIRE(r.config);
  BOOST_TEST(r.config->mining_model == "pool");
  BOOST_TEST(r.config->poll_interval_s == 30);
  BOOST_TEST(r.config->enabled);
  BOOST_TEST(!r.config->fee_percent.has_value());
  BOOST_TEST(!r.config->requires_auth);
}

BOOST_AUTO_TEST_CASE(every_problem_of_a_file_is_reported_at_once_with_its_line) {
  const std::string bad = R"(driver: solopool
port: 70000
coin: d
mining_model: pps
enabled: yes
poll_interval_s: 2
fee_percent: abc
url: http://x.org/path
)";
  auto r = parse_pool_config("x", "pools/x.yaml", bad);
  BOOST_TEST(!r.config);
  auto t = texts(r);
  BOOST_REQUIRE(t.size() == 8u);
  BOOST_TEST(t[0] == "pools/x.yaml:1: display_name: required");
  BOOST_TEST(t[1] ==
             "pools/x.yaml:8: url: must be a host name without a scheme (a stratum+tcp:// prefix "
             "is fine)");
  BOOST_TEST(t[2] == "pools/x.yaml:2: port: must be 1..65535, got 70000");
  BOOST_TEST(t[3] ==
             "pools/x.yaml:3: coin: must be a coin symbol of 2..10 letters or digits, got \"d\"");
  BOOST_TEST(t[4] == "pools/x.yaml:4: mining_model: must be solo or pool, got \"pps\"");
  BOOST_TEST(t[5] == "pools/x.yaml:7: fee_percent: must be a number, got \"abc\"");
  BOOST_TEST(t[6] == "pools/x.yaml:5: enabled: must be true or false, got \"yes\"");
  BOOST_TEST(t[7] == "pools/x.yaml:6: poll_interval_s: must be 5..3600, got 2");
}

BOOST_AUTO_TEST_CASE(wrong_types_are_problems_not_defaults) {
  auto r = parse_pool_config(
      "x", "pools/x.yaml",
      "driver: s\ndisplay_name: {a: 1}\nurl: h\nport: [1, 2]\ncoin: BTC\nport2: 1\n");
  auto t = texts(r);
  BOOST_REQUIRE(t.size() == 2u);
  BOOST_TEST(t[0] == "pools/x.yaml:2: display_name: must be text, got a mapping");
  BOOST_TEST(t[1] == "pools/x.yaml:4: port: must be a whole number, got a list");
  r = parse_pool_config("x", "pools/x.yaml",
                        "driver: s\ndisplay_name: X\nurl: h\nport: eighty\ncoin: BTC\n");
  BOOST_TEST(texts(r).at(0) == "pools/x.yaml:4: port: must be a whole number, got \"eighty\"");
}

BOOST_AUTO_TEST_CASE(duplicate_keys_syntax_errors_and_non_mappings) {
  auto r = parse_pool_config("x", "pools/x.yaml",
                             "driver: a\ndriver: b\ndisplay_name: X\nurl: h\nport: 1\ncoin: BTC\n");
  BOOST_TEST(texts(r).at(0) == "pools/x.yaml:2: driver: duplicate key (first at line 1)");
  r = parse_pool_config("x", "pools/x.yaml", "driver: a\n  port: [1\n");
  BOOST_REQUIRE(r.problems.size() == 1u);
  BOOST_TEST(r.problems[0].line >= 2);
  BOOST_TEST(r.problems[0].reason.starts_with("invalid YAML: "));
  r = parse_pool_config("x", "pools/x.yaml", "");
  BOOST_TEST(texts(r).at(0).starts_with("pools/x.yaml:1: empty file"));
  r = parse_pool_config("x", "pools/x.yaml", "- a\n- b\n");
  BOOST_TEST(texts(r).at(0) == "pools/x.yaml:1: expected a mapping of pool fields");
}

BOOST_AUTO_TEST_CASE(pool_ids_follow_the_pattern) {
  BOOST_TEST(mc::config::valid_pool_id("solopool-dgb-eu1"));
  BOOST_TEST(mc::config::valid_pool_id("a.b_c-1"));
  BOOST_TEST(!mc::config::valid_pool_id("Upper"));
  BOOST_TEST(!mc::config::valid_pool_id("-lead"));
  BOOST_TEST(!mc::config::valid_pool_id(""));
  BOOST_TEST(!mc::config::valid_pool_id(std::string(65, 'a')));
  BOOST_TEST(mc::config::valid_pool_id(std::string(64, 'a')));
}

BOOST_AUTO_TEST_CASE(no_problem_quotes_a_token) {
  auto r = parse_pool_config("x", "pools/x.yaml", "api_token: [supersecretvalue]\n");
  for (const auto& t : texts(r)) BOOST_TEST(t.find("supersecretvalue") == std::string::npos, t);
}

BOOST_AUTO_TEST_CASE(files_over_one_mib_are_refused_unread) {
  auto file = std::filesystem::temp_directory_path() / "mc_big_pool.yaml";
  {
    std::ofstream out(file);
    out << "description: \"" << std::string((1 << 20) + 10, 'x') << "\"\n";
  }
  auto r = mc::config::load_pool_file(file, "pools/mc_big_pool.yaml");
  BOOST_TEST(texts(r).at(0) == "pools/mc_big_pool.yaml: file is larger than 1048576 bytes");
  std::filesystem::remove(file);
}

// Issue 7: nine levels of ten aliases expand to 10^9 values; reading the extra keys must stop
// at the budget (before the fix this test never ended).
BOOST_AUTO_TEST_CASE(an_alias_bomb_is_refused_not_expanded) {
  std::string bomb = good + "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int level = 1; level < 9; ++level) {
    bomb += "l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) bomb += (i ? ", *l" : "*l") + std::to_string(level - 1);
    bomb += "]\n";
  }
  auto r = parse_pool_config("x", "pools/x.yaml", bomb);
  BOOST_TEST(!r.config.has_value());
  BOOST_REQUIRE(!r.problems.empty());
  BOOST_TEST(r.problems[0].reason ==
             "more than 10000 values (YAML aliases are counted each time they are used)");
  // A few aliases are fine: they are copied out like any value.
  r = parse_pool_config("x", "pools/x.yaml", good + "a: &a [1, 2]\nb: [*a, *a]\n");
  BOOST_REQUIRE(r.config.has_value());
  BOOST_TEST(boost::json::serialize(r.config->extra.at("b")) == "[[1,2],[1,2]]");
}

BOOST_AUTO_TEST_CASE(an_empty_or_bare_tagged_required_field_is_refused) {
  // Found by the CI fuzz run: `driver: !olopolo` is a tagged empty scalar, not null, and
  // passed as a driver named "".
  std::string bad = good;
  bad.replace(0, bad.find('\n'), "driver: !olopolo");
  auto r = parse_pool_config("x", "pools/x.yaml", bad);
  BOOST_TEST(!r.config);
  BOOST_TEST(texts(r).at(0) == "pools/x.yaml:1: driver: required, got an empty value");
  bad = good;
  bad.replace(0, bad.find('\n'), "driver: \"\"");
  r = parse_pool_config("x", "pools/x.yaml", bad);
  BOOST_TEST(!r.config);
  BOOST_TEST(texts(r).at(0) == "pools/x.yaml:1: driver: required, got an empty value");
}

BOOST_AUTO_TEST_CASE(the_valid_utf8_prefix_stops_at_the_first_bad_sequence) {
  for (const char* bad : {"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"})
    BOOST_TEST(mc::config::utf8_valid_prefix(std::string("ok") + bad) == 2u, bad);
  BOOST_TEST(mc::config::utf8_valid_prefix("\xef\xbb\xbf"
                                           "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80") == 13u);
}

BOOST_AUTO_TEST_CASE(a_value_cut_in_a_problem_never_splits_a_utf8_character) {
  std::string value = "x";
  for (int i = 0; i < 30; ++i) value += "\xc3\xa9";
  auto r = parse_pool_config("x", "pools/x.yaml", "port: \"" + value + "\"\n");
  const auto all = texts(r);
  const auto port = std::find_if(all.begin(), all.end(),
                                 [](const std::string& t) { return t.find("port:") != t.npos; });
  BOOST_REQUIRE(port != all.end());
  BOOST_TEST(mc::config::utf8_valid_prefix(*port) == port->size(), *port);
  BOOST_TEST(port->find("got \"x" + value.substr(1, 38) + "...\"") != std::string::npos, *port);
}

BOOST_AUTO_TEST_CASE(every_bundled_example_pool_parses) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(MC_SOURCE_DIR "/config/bundled/pools")) {
    if (!e.path().string().ends_with(".yaml.example")) continue;
    auto id = e.path().filename().string();
    id.resize(id.size() - std::string(".yaml.example").size());
    auto r = parse_pool_config(id, "pools/" + id, [&] {
      std::ifstream in(e.path());
      return std::string(std::istreambuf_iterator<char>(in), {});
    }());
    BOOST_TEST(r.problems.empty(),
               id << ": " << (r.problems.empty() ? std::string() : r.problems[0].to_string()));
    ++n;
  }
  BOOST_TEST(n >= 6);
}

// Found by the pool_config fuzz target's UTF-8 invariant: yaml-cpp accepts any bytes, which
// then made /api/pools invalid JSON.
BOOST_AUTO_TEST_CASE(a_file_that_is_not_utf8_is_rejected_with_its_line) {
  const auto r = parse_pool_config("x", "pools/x.yaml", good + "region: \xE9t\xE9\n");
  BOOST_TEST(!r.config.has_value());
  BOOST_REQUIRE(r.problems.size() == 1u);
  BOOST_TEST(r.problems[0].to_string() == "pools/x.yaml:17: not UTF-8 text (byte " +
                                              std::to_string(good.size() + 9) +
                                              "): save the file as UTF-8");
  // The same in UTF-8 is read (and only the repeated key is a problem).
  for (const auto& p :
       parse_pool_config("x", "pools/x.yaml", good + "region: \xC3\xA9t\xC3\xA9\n").problems)
    BOOST_TEST(p.reason.find("UTF-8") == std::string::npos);
}
